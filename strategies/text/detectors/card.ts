/**
 * Payment card numbers: 12–19 digits in groups separated by single spaces or dashes, an issuer prefix
 * whose range allows that length, and a valid Luhn check digit. Visa, Mastercard (51–55, 2221–2720), Mir
 * (2200–2204), Amex (34, 37), Diners Club (300–305, 3095, 36, 38, 39; enRoute 2014, 2149), JCB (3528–3589;
 * 2131 and 1800 with 15 digits), Discover,
 * UnionPay (62, 81), RuPay (82; its other ranges fall in Maestro's, Discover's and JCB's), Troy (9792) and
 * Maestro (50, 56–69: 12 to 19 digits).
 *
 * @module
 */
import type { Span } from "../entities.ts";

const CANDIDATE = /(?<![\d.,+-])\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/g;

/** True when the digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and the lengths their ranges allow. */
const ISSUERS: readonly [RegExp, number, number][] = [
  [/^4/, 13, 19], // Visa
  [/^(?:5[1-5]|2(?:22[1-9]|2[3-9]|[3-6]|7[01]|720))/, 16, 16], // Mastercard
  [/^220[0-4]/, 16, 19], // Mir
  [/^3[47]/, 15, 15], // American Express
  [/^(?:30[0-5]|3095|3[689])/, 14, 19], // Diners Club
  [/^35(?:2[89]|[3-8])/, 16, 19], // JCB
  [/^(?:2131|1800)/, 15, 15], // JCB, 15-digit ranges
  [/^(?:2014|2149)/, 15, 15], // Diners Club enRoute
  [/^(?:6011|64[4-9]|65)/, 16, 19], // Discover
  [/^(?:62|81)/, 16, 19], // UnionPay
  [/^(?:82|9792)/, 16, 16], // RuPay, Troy
  [/^(?:50|5[6-9]|6)/, 12, 19], // Maestro
];

/** Whether some issuer's range holds `digits` at its length. */
export function issuerFits(digits: string): boolean {
  const n = digits.length;
  return ISSUERS.some(([re, min, max]) => n >= min && n <= max && re.test(digits));
}

/** Appends a span for every Luhn-valid card number in `text`. */
export function findCards(text: string, out: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const raw = m[0];
    const seps = raw.match(/[ -]/g);
    if (seps && new Set(seps).size > 1) continue;
    const digits = raw.replace(/[ -]/g, "");
    if (!issuerFits(digits) || !luhnValid(digits)) continue;
    out.push({ start: m.index, end: m.index + raw.length, entity: "card" });
  }
}
