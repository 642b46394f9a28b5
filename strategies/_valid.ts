/**
 * Cheap checks that a COPY text value is valid input for a column type family, for params a policy
 * gives (`constant`, `redact`) and for tests. PostgreSQL stays the final judge.
 *
 * @module
 */
import type { ColumnInfo } from "./types.ts";

const INT_RANGE: Record<string, [number, number]> = {
  int2: [-32768, 32767],
  int4: [-2147483648, 2147483647],
};

const CHECKS: Partial<Record<ColumnInfo["family"], (v: string, base: string) => boolean>> = {
  integer: (v, base) => {
    if (!/^[+-]?\d+$/.test(v)) return false;
    const range = INT_RANGE[base];
    if (range) return Number(v) >= range[0] && Number(v) <= range[1];
    return BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;
  },
  numeric: (v) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^NaN$/.test(v),
  float: (v) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^(NaN|[+-]?Infinity)$/.test(v),
  boolean: (v) => /^(t|f|true|false|yes|no|on|off|1|0)$/i.test(v),
  date: (v) =>
    /^\d{4,}-\d{2}-\d{2}( BC)?$|^[+-]?infinity$/.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10))),
  timestamp: (v) =>
    /^\d{4,}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?)?( BC)?$|^[+-]?infinity$/.test(
      v,
    ),
  time: (v) => /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?)?$/.test(v),
  uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  json: (v) => {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  network: (v) => /^[0-9a-f:.]+(\/\d{1,3})?$/i.test(v),
  array: (v) => v.startsWith("{") && v.endsWith("}"),
};

/** True when `value` looks like valid input for the column's type (length included). */
export function validFor(column: ColumnInfo, value: string): boolean {
  if (column.maxLength !== null && [...value].length > column.maxLength) return false;
  const check = CHECKS[column.family];
  return check ? check(value, column.baseType) : true;
}
