/**
 * Exact decimal arithmetic on COPY text numbers, for values a double cannot hold exactly (`bigint`
 * ids past 2^53, `numeric` with more than 15 significant digits) and for bucket edges (`0.1` is not a
 * binary fraction). A value is a BigInt `n` and a `scale`: `n / 10^scale`.
 *
 * @module
 */
import { columnLabel } from "../_column.ts";
import { StrategyParamsError } from "../errors.ts";
import type { ColumnInfo } from "../types.ts";

/** `n / 10^scale`. */
export interface Decimal {
  n: bigint;
  scale: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** The exact value of a decimal literal (`-12.50`, `1e21`, `.5`), or `null` for anything else. */
export function parseDecimal(v: string): Decimal | null {
  const m = NUMBER.exec(v.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  let n = BigInt((m[2] || "0") + frac);
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { n: m[1] === "-" ? -n : n, scale };
}

/** The decimal of a JavaScript number as it prints (`0.1` is exactly 1/10). */
export function decimalOf(x: number): Decimal {
  const d = parseDecimal(String(x));
  if (d === null) {
    throw new RangeError(`Cannot take the decimal of a number that is not finite: current value is ${x}`);
  }
  return d;
}

/** `n / 10^scale` written out, with exactly `scale` decimals. */
export function formatDecimal(n: bigint, scale: number): string {
  const neg = n < 0n;
  let s = (neg ? -n : n).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, "0");
    s = `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  }
  return neg ? `-${s}` : s;
}

/** `n` (at scale `from`) at scale `to`, rounded half away from zero. */
export function rescale(n: bigint, from: number, to: number): bigint {
  if (to >= from) return n * 10n ** BigInt(to - from);
  return divRound(n, 10n ** BigInt(from - to));
}

/** `a / b` for `b > 0`, rounded half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  const q = a / b, r = a % b;
  if (2n * (r < 0n ? -r : r) >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** `floor(a / b)` for `b > 0`. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** True when the literal has at most 15 significant digits, so a double holds it exactly. */
export function fitsDouble(v: string): boolean {
  let digits = 0, leading = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 101 || c === 69) break; // e, E
    if (c < 48 || c > 57) continue;
    if (leading && c === 48) continue;
    leading = false;
    if (++digits > 15) return false;
  }
  return true;
}

const INT_BOUNDS: Record<string, [bigint, bigint]> = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * A function writing an exact decimal in the column's type: integers rounded and kept within the
 * type's range, `numeric(p, s)` at scale `s` within its precision, unconstrained `numeric` at the
 * value's scale, floats as JavaScript prints the nearest double, text as the decimal itself.
 *
 * @throws {StrategyParamsError} for other column types.
 */
export function decimalWriter(strategy: string, column: ColumnInfo): (n: bigint, scale: number) => string {
  if (column.family === "integer") {
    const [min, max] = INT_BOUNDS[column.baseType] ?? INT_BOUNDS.int8;
    return (n, scale) => {
      const i = rescale(n, scale, 0);
      return String(i < min ? min : i > max ? max : i);
    };
  }
  if (column.family === "float") return (n, scale) => String(Number(formatDecimal(n, scale)));
  if (column.family === "string") return formatDecimal;
  if (column.family === "numeric" && column.baseType === "numeric") {
    const m = /numeric\((\d+)(?:,\s*(\d+))?\)/.exec(column.type);
    if (m === null) return formatDecimal;
    const s = Number(m[2] ?? 0), top = 10n ** BigInt(Number(m[1])) - 1n;
    return (n, scale) => {
      const x = rescale(n, scale, s);
      return formatDecimal(x < -top ? -top : x > top ? top : x, s);
    };
  }
  throw new StrategyParamsError(
    `Cannot use ${strategy} on ${
      columnLabel(column)
    } as it cannot write ${column.type} values: it writes integer, numeric and float`,
    { hint: "use redact or constant for this column" },
  );
}
