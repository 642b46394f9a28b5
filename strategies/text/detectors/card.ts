/**
 * Payment card numbers: 13–19 digits in groups separated by single spaces or dashes, a known issuer
 * prefix, and a valid Luhn check digit.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const CANDIDATE = /(?<![\d.,+-])\d(?:[ -]?\d){12,18}(?![\d-]|[.,]\d)/g;

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

/** Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro, UnionPay prefixes. */
const ISSUER = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6|50|5[6-8])/;

/** Appends a span for every Luhn-valid card number in `text`. */
export function findCards(text: string, out: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const raw = m[0];
    const seps = raw.match(/[ -]/g);
    if (seps && new Set(seps).size > 1) continue;
    const digits = raw.replace(/[ -]/g, "");
    if (digits.length < 13 || digits.length > 19 || !ISSUER.test(digits) || !luhnValid(digits)) continue;
    out.push({ start: m.index, end: m.index + raw.length, entity: "card" });
  }
}
