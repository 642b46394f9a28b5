/**
 * Writing numbers back in a column's type: integers within the type's range, `numeric(p, s)` within
 * its precision and scale, floats as JavaScript prints them.
 *
 * @module
 */
import { columnLabel } from "../_column.ts";
import { StrategyParamsError } from "../errors.ts";
import type { ColumnInfo } from "../types.ts";

/** The largest magnitudes written; for int8 the largest double below 2^63 (larger ones take exact arithmetic). */
const INT_LIMIT: Record<string, number> = { int2: 32767, int4: 2147483647, int8: 9223372036854774784 };

/** Decimal places written in `v` (`12.50` → 2). */
export function decimalsOf(v: string): number {
  const dot = v.indexOf(".");
  if (dot === -1) return 0;
  let end = v.length;
  const e = v.search(/[eE]/);
  if (e !== -1) end = e;
  return end - dot - 1;
}

/**
 * A function writing a number for the column, with `decimals` places where the type keeps them.
 *
 * @throws {StrategyParamsError} for `money` and non-numeric columns.
 */
export function numberWriter(strategy: string, column: ColumnInfo): (x: number, decimals: number) => string {
  if (column.family === "integer") {
    const limit = INT_LIMIT[column.baseType] ?? Number.MAX_SAFE_INTEGER;
    return (x) =>
      String(Math.max(limit < Number.MAX_SAFE_INTEGER ? -limit - 1 : -limit, Math.min(limit, Math.round(x))));
  }
  if (column.family === "float") return (x) => String(x);
  if (column.family === "numeric" && column.baseType === "numeric") {
    const m = /numeric\((\d+)(?:,\s*(\d+))?\)/.exec(column.type);
    const scale = m ? Number(m[2] ?? 0) : null;
    const bound = m ? 10 ** (Number(m[1]) - Number(m[2] ?? 0)) : Infinity;
    return (x, decimals) => {
      const places = Math.min(scale ?? decimals, 20);
      const top = bound === Infinity ? Infinity : bound - 10 ** -places;
      const clamped = Math.max(-top, Math.min(top, x));
      return clamped.toFixed(places);
    };
  }
  throw new StrategyParamsError(
    `Cannot use ${strategy} on ${
      columnLabel(column)
    } as it cannot write ${column.type} values: it writes integer, numeric and float`,
    { hint: "use redact or constant for this column" },
  );
}
