/**
 * `number.round`: rounds a number to the nearest multiple of `to` (`to: 1000` for salaries, `to: 0.5`),
 * written back in the column's type; in doubles where they hold the value exactly, else (`bigint` past
 * 2^53, long `numeric`) in exact decimal arithmetic.
 *
 * @module
 */
import { z } from "zod";
import { columnLabel, requireFamily } from "../_column.ts";
import { memoMasker } from "../_memo.ts";
import { decimalsOf, numberWriter } from "./_numbers.ts";
import { decimalOf, decimalWriter, fitsDouble, floorDiv, parseDecimal, rescale } from "./_decimal.ts";
import { StrategyParamsError } from "../errors.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  to: z.number().positive().default(1).describe("Round to the nearest multiple of this"),
});
type Params = z.infer<typeof params>;

/** The `number.round` strategy. */
export const numberRound = {
  meta: {
    name: "number.round",
    description: "Rounds numbers to the nearest multiple of to",
    columnTypes: ["numeric", "integer", "float"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: false,
    examples: [
      { params: { to: 1000 }, input: "52340", output: "52000" },
      { params: { to: 0.5 }, input: "3.74", output: "3.50" },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("number.round", column, ["integer", "numeric", "float"]);
    if (column.family === "integer" && !Number.isInteger(params.to)) {
      throw new StrategyParamsError(
        `Cannot round ${columnLabel(column)} to ${params.to}: it is an integer column`,
        {
          hint: "give a whole number for 'to'",
        },
      );
    }
    const write = numberWriter("number.round", column);
    const step = params.to;
    const places = decimalsOf(String(step));
    const exact = decimalWriter("number.round", column);
    const to = decimalOf(step);
    // Float columns hold doubles: their values are always exact as one.
    const doubles = column.family === "float";
    return memoMasker((v) => {
      const x = Number(v);
      if (Number.isFinite(x) && (doubles || fitsDouble(v))) {
        const r = Math.round(x / step) * step;
        return write(Number(r.toFixed(places)), Math.max(places, decimalsOf(v)));
      }
      const d = parseDecimal(v);
      if (d === null) return v; // NaN, Infinity
      // Half-way values round up, as Math.round does: floor((2v + to) / 2to) multiples of `to`.
      const t = Math.max(d.scale, to.scale);
      const value = rescale(d.n, d.scale, t), unit = rescale(to.n, to.scale, t);
      return exact(floorDiv(2n * value + unit, 2n * unit) * unit, t);
    });
  },
} satisfies StrategyDefinition<Params>;
