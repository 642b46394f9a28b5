/**
 * `constant`: writes one fixed value. NULL stays NULL unless `keep_null: false`.
 *
 * @module
 */
import { z } from "zod";
import { columnLabel } from "./_column.ts";
import { validFor } from "./_valid.ts";
import { StrategyParamsError } from "./errors.ts";
import type { Cell, StrategyDefinition } from "./types.ts";

const params = z.strictObject({
  value: z.union([z.string(), z.number(), z.boolean()]).describe(
    "The value to write, as the column type spells it",
  ),
  keep_null: z.boolean().default(true).describe("Leave NULL as NULL (false writes the value instead)"),
});
type Params = z.infer<typeof params>;

/** The `constant` strategy. */
export const constant = {
  meta: {
    name: "constant",
    description: "Writes one fixed value in every row",
    deterministic: true,
    reproduces: "placeholder",
    unique: false,
    keyed: false,
    examples: [
      { params: { value: "n/a" }, input: "alice@example.com", output: "n/a" },
      { params: { value: 0 }, input: "42", output: "0" },
    ],
  },
  params,
  create({ params, column }) {
    const value = params.value === true ? "t" : params.value === false ? "f" : String(params.value);
    if (!validFor(column, value)) {
      throw new StrategyParamsError(
        `Cannot write the constant into ${columnLabel(column)}: it is not a valid ${column.type} value`,
        { hint: "give a value the column type accepts (and that fits its length)" },
      );
    }
    const keepNull = params.keep_null;
    return {
      mask: (values: readonly Cell[]) => values.map((v) => (v === null && keepNull ? null : value)),
    };
  },
} satisfies StrategyDefinition<Params>;
