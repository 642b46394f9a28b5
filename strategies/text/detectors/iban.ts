/**
 * International bank account numbers: country code, two check digits and the BBAN, printed compact or in
 * groups of four, with the country's length and a valid ISO 13616 mod-97 check.
 *
 * @module
 */
import type { Span } from "../entities.ts";

/** IBAN length by country (ISO 13616 registry). */
const LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  IR: 26,
  LY: 25,
  SD: 18,
  BI: 27,
  DJ: 27,
  SO: 23,
  RU: 33,
  NI: 28,
  MN: 20,
  FK: 18,
  OM: 23,
  YE: 30,
  HN: 28,
};

const CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{1,4}){3,8}(?![A-Za-z0-9])/g;

/** True when the compact, upper-case IBAN has its country's length and passes mod-97. */
export function ibanValid(iban: string): boolean {
  if (LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

/** Appends a span for every valid IBAN in `text`. */
export function findIbans(text: string, out: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const raw = m[0];
    // Try the longest prefix of the candidate that is a valid IBAN, so a word after it is not swallowed.
    const compact = raw.replace(/ /g, "").toUpperCase();
    const len = LENGTHS[compact.slice(0, 2)];
    if (len === undefined || compact.length < len) continue;
    if (!ibanValid(compact.slice(0, len))) continue;
    let end = m.index;
    for (let n = 0; n < len; end++) if (text[end] !== " ") n++;
    if (end < m.index + raw.length && /[A-Za-z0-9]/.test(text[end] ?? "")) continue;
    out.push({ start: m.index, end, entity: "iban" });
    CANDIDATE.lastIndex = end;
  }
}
