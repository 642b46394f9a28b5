/**
 * Checks and fitting shared by the built-in strategies: which column types a strategy can write,
 * whether `varchar(n)` leaves room, the key requirement, and cutting a value to the column's length.
 *
 * @module
 */
import { StrategyParamsError } from "./errors.ts";
import type { ColumnInfo, TypeFamily } from "./types.ts";

/** `"table"."column"` for messages. */
export function columnLabel(column: ColumnInfo): string {
  return `"${column.table}"."${column.column}"`;
}

/**
 * Throws unless the column's family is one the strategy writes.
 *
 * @throws {StrategyParamsError} naming the column type and what the strategy writes.
 */
export function requireFamily(strategy: string, column: ColumnInfo, families: readonly TypeFamily[]): void {
  if (families.includes(column.family)) return;
  throw new StrategyParamsError(
    `Cannot use ${strategy} on ${columnLabel(column)} as it cannot write ${column.type} values: it writes ${
      families.join(", ")
    }`,
    { hint: "choose a strategy for this column type, e.g. hash, redact or constant" },
  );
}

/**
 * Throws when the column's length limit is below the shortest value the strategy can write.
 *
 * @throws {StrategyParamsError} naming the limit and the length needed.
 */
export function requireLength(strategy: string, column: ColumnInfo, min: number): void {
  if (column.maxLength === null || column.maxLength >= min) return;
  throw new StrategyParamsError(
    `Cannot use ${strategy} on ${
      columnLabel(column)
    } as ${column.type} is too short: it needs at least ${min} characters`,
    { hint: "use partial, redact or hash with a length for short columns" },
  );
}

/**
 * The subkey, or a clear error when the policy has none.
 *
 * @throws {StrategyParamsError} when `key` is null.
 */
export function requireKey(strategy: string, key: Uint8Array | null): Uint8Array {
  if (key !== null) return key;
  throw new StrategyParamsError(`Cannot use ${strategy} without a key: it is a keyed strategy`, {
    hint: "set 'key:' in the policy (e.g. key: ${PRIVACI_KEY}) with at least 32 bytes",
  });
}

/** `s` cut to at most `max` characters (code points); unchanged when `max` is null. */
export function fit(s: string, max: number | null): string {
  if (max === null || s.length <= max) return s;
  const points = [...s];
  return points.length <= max ? s : points.slice(0, max).join("").trimEnd();
}

/** Length of `s` in code points, as PostgreSQL counts characters. */
export function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
