/**
 * `redact`: writes a placeholder that suits the column type (`REDACTED` for text, 0 for numbers, the
 * epoch for dates, the nil UUID, `{}` for JSON and arrays), or the placeholder the policy gives.
 *
 * @module
 */
import { z } from "zod";
import { columnLabel, fit } from "./_column.ts";
import { validFor } from "./_valid.ts";
import { StrategyParamsError } from "./errors.ts";
import type { Cell, ColumnInfo, StrategyDefinition } from "./types.ts";

const params = z.strictObject({
  value: z.string().optional().describe("The placeholder; default depends on the column type"),
  keep_null: z.boolean().default(true).describe("Leave NULL as NULL (false writes the placeholder instead)"),
});
type Params = z.infer<typeof params>;

/** The default placeholder for a column, or null when its type has none. */
export function defaultPlaceholder(column: ColumnInfo): string | null {
  switch (column.family) {
    case "string":
      return fit("REDACTED", column.maxLength);
    case "integer":
    case "numeric":
    case "float":
      return "0";
    case "boolean":
      return "f";
    case "date":
      return "1970-01-01";
    case "timestamp":
      return column.baseType === "timestamptz" ? "1970-01-01 00:00:00+00" : "1970-01-01 00:00:00";
    case "time":
      return "00:00:00";
    case "interval":
      return "00:00:00";
    case "uuid":
      return "00000000-0000-0000-0000-000000000000";
    case "json":
      return "{}";
    case "network":
      return column.baseType.startsWith("macaddr")
        ? (column.baseType === "macaddr8" ? "00:00:00:00:00:00:00:00" : "00:00:00:00:00:00")
        : "0.0.0.0";
    case "bytea":
      return "\\x";
    case "array":
      return "{}";
    default:
      return null;
  }
}

/** The `redact` strategy. */
export const redact = {
  meta: {
    name: "redact",
    description: "Writes a type-appropriate placeholder (or the one given) in every non-NULL row",
    deterministic: true,
    reproduces: "placeholder",
    unique: false,
    keyed: false,
    examples: [
      { input: "alice@example.com", output: "REDACTED" },
      { params: { value: "***" }, input: "secret", output: "***" },
    ],
  },
  params,
  create({ params, column }) {
    const value = params.value ?? defaultPlaceholder(column);
    if (value === null) {
      throw new StrategyParamsError(
        `Cannot redact ${columnLabel(column)} without a placeholder: ${column.type} has no default`,
        { hint: "give one with 'value:'" },
      );
    }
    if (!validFor(column, value)) {
      throw new StrategyParamsError(
        `Cannot write the placeholder into ${columnLabel(column)}: it is not a valid ${column.type} value`,
        { hint: "give a placeholder the column type accepts (and that fits its length)" },
      );
    }
    const keepNull = params.keep_null;
    return {
      mask: (values: readonly Cell[]) => values.map((v) => (v === null && keepNull ? null : value)),
    };
  },
} satisfies StrategyDefinition<Params>;
