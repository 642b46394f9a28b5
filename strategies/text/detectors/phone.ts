/**
 * Telephone numbers. International: `+` or `00`, a country code and 7–14 more digits. National: a trunk
 * `0` and 9–11 digits in total (most of Europe, Asia), or the North American 3-3-4 plan with valid area
 * and exchange codes. Groups may be split by spaces, dots, dashes, slashes or a parenthesised area code.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const CANDIDATE = /(?<![\w+.\/-])(?:\+|00)?\(?\d[\d\s().\/-]{5,22}\d(?![\w]|[.,-]\d)/g;
const NANP = /^(?:\+?1[\s.-]?)?(?:\(([2-9]\d\d)\)|([2-9]\d\d))[\s.-]?([2-9]\d\d)[\s.-]?(\d{4})$/;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;

/** Appends a span for every telephone number in `text`. */
export function findPhones(text: string, out: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    let raw = m[0];
    // A candidate never spans a line break or two spaces: those separate numbers, not groups.
    const cut = raw.search(/\n|\s{2}|\t/);
    if (cut !== -1) raw = raw.slice(0, cut).replace(/[\s(.\/-]+$/, "");
    if (isPhone(raw)) out.push({ start: m.index, end: m.index + raw.length, entity: "phone" });
  }
}

/** True when `raw` (a candidate with its separators) reads as a telephone number. */
export function isPhone(raw: string): boolean {
  if (DATE_LIKE.test(raw)) return false;
  if ((raw.match(/\(/g)?.length ?? 0) !== (raw.match(/\)/g)?.length ?? 0)) return false;
  const digits = raw.replace(/\D/g, "");
  const seps = raw.replace(/[\d()+]/g, "").replace(/\s+/g, " ");
  if (new Set(seps.replace(/ /g, "")).size > 1) return false;
  if (raw.startsWith("+") || raw.startsWith("00")) {
    const n = raw.startsWith("00") ? digits.length - 2 : digits.length;
    return n >= 8 && n <= 15 && !digits.startsWith(raw.startsWith("00") ? "000" : "0");
  }
  if (NANP.test(raw)) return digits.length === 10 || digits.length === 11;
  if (digits[0] === "0" && digits[1] !== "0") {
    return digits.length >= 9 && digits.length <= 11 && seps.length <= 5;
  }
  return false;
}
