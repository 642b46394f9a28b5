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

/**
 * True when the `YYYY…-MM-DD` at the start of `v` is a day of the proleptic Gregorian calendar within
 * PostgreSQL's range: years of any number of digits up to `maxYear` AD, back to 4714-11-24 BC.
 */
function calendarDay(v: string, maxYear: number): boolean {
  const m = /^(\d+)-(\d{2})-(\d{2})/.exec(v)!;
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  const bc = v.endsWith(" BC");
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  if (bc ? year > 4714 || (year === 4714 && (month < 11 || (month === 11 && day < 24))) : year > maxYear) {
    return false;
  }
  // 1 BC is the astronomical year 0, a leap year.
  const y = bc ? 1 - year : year;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]);
}

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
  date: (v) => /^[+-]?infinity$/.test(v) || (/^\d{4,}-\d{2}-\d{2}( BC)?$/.test(v) && calendarDay(v, 5874897)),
  timestamp: (v) =>
    /^[+-]?infinity$/.test(v) ||
    (/^\d{4,}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?)?( BC)?$/.test(v) &&
      calendarDay(v, 294276)),
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
