/**
 * `null`: writes SQL NULL. Refused on a NOT NULL column, where `redact` is the fitting choice.
 *
 * @module
 */
import { z } from "zod";
import { StrategyParamsError } from "./errors.ts";
import type { Cell, StrategyDefinition } from "./types.ts";

/** The `null` strategy. */
export const nullStrategy = {
  meta: {
    name: "null",
    description: "Writes NULL whatever the input",
    deterministic: true,
    reproduces: "placeholder",
    unique: false,
    keyed: false,
    examples: [{ input: "alice@example.com", output: null }],
  },
  params: z.strictObject({}),
  create({ column }) {
    if (column.notNull) {
      throw new StrategyParamsError(
        `Cannot write NULL into "${column.table}"."${column.column}" as the column is NOT NULL`,
        { hint: "use redact or constant for this column" },
      );
    }
    return { mask: (values: readonly Cell[]) => values.map(() => null) };
  },
} satisfies StrategyDefinition<Record<string, never>>;
