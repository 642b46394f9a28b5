/**
 * `number.noise`: adds keyed noise to a number — up to `ratio` of its magnitude (`ratio: 0.1` is
 * ±10 %) or up to `abs` either way — the same for the same value, written back in the column's type
 * (integers rounded and kept in range, `numeric` with the input's decimals). Values a double holds
 * exactly are computed in doubles; longer ones (`bigint` past 2^53, `numeric` with more than 15
 * significant digits) in exact decimal arithmetic, so they keep their magnitude and get their noise.
 *
 * @module
 */
import { z } from "zod";
import { requireFamily, requireKey } from "../_column.ts";
import { memoMasker } from "../_memo.ts";
import { decimalsOf, numberWriter } from "./_numbers.ts";
import { decimalOf, decimalWriter, divRound, fitsDouble, parseDecimal, rescale } from "./_decimal.ts";
import { Prf, uint53 } from "../keyed/_prf.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  ratio: z.number().positive().max(10).optional().describe("Largest change as a fraction of the value"),
  abs: z.number().positive().optional().describe("Largest change in absolute terms"),
}).refine((p) => (p.ratio === undefined) !== (p.abs === undefined), "give exactly one of ratio and abs");
type Params = z.infer<typeof params>;
const TWEAK = 0x68;

/** The `number.noise` strategy. */
export const numberNoise = {
  meta: {
    name: "number.noise",
    description: "Adds keyed noise of up to ratio × value or abs to a number, in the column's type",
    columnTypes: ["numeric", "integer", "float"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: true,
    examples: [{ params: { ratio: 0.1 }, input: "1250.00", note: "between 1125.00 and 1375.00" }, {
      params: { abs: 5 },
      input: "42",
    }],
  },
  params,
  create({ params, column, key }) {
    requireFamily("number.noise", column, ["integer", "numeric", "float"]);
    const write = numberWriter("number.noise", column);
    const prf = new Prf(requireKey("number.noise", key));
    const exact = decimalWriter("number.noise", column);
    const abs = params.abs === undefined ? null : decimalOf(params.abs);
    const ratio = BigInt(Math.round((params.ratio ?? 0) * 2 ** 30));
    // Float columns hold doubles: their values are always exact as one.
    const doubles = column.family === "float";
    return memoMasker((v) => {
      const x = Number(v);
      if (Number.isFinite(x) && (doubles || fitsDouble(v))) {
        const u = uint53(prf.string(TWEAK, v), prf.hi) / 2 ** 53 * 2 - 1;
        const spread = params.abs ?? params.ratio! * Math.abs(x);
        return write(x + u * spread, decimalsOf(v));
      }
      const d = parseDecimal(v);
      if (d === null) return v; // NaN, Infinity
      // f / 2^53 is the same uniform value in [-1, 1) as u above.
      const f = 2n * BigInt(uint53(prf.string(TWEAK, v), prf.hi)) - 2n ** 53n;
      if (abs !== null) {
        const t = Math.max(d.scale, abs.scale);
        const noise = divRound(rescale(abs.n, abs.scale, t) * f, 2n ** 53n);
        return exact(rescale(rescale(d.n, d.scale, t) + noise, t, d.scale), d.scale);
      }
      const magnitude = d.n < 0n ? -d.n : d.n;
      return exact(d.n + divRound(magnitude * ratio * f, 2n ** 83n), d.scale);
    });
  },
} satisfies StrategyDefinition<Params>;
