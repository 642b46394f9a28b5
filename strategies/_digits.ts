/**
 * Digit-string helpers for format-preserving strategies: take the digits out of a formatted value and
 * put new digits back into the same places, Luhn and ISO 7064 mod-97 check digits.
 *
 * @module
 */

// The helpers below copy runs of characters with slice() rather than one character at a time: a
// value is a few runs, and each one-character concatenation is a new string.

/** The ASCII digits of `s`, in order. */
export function digitsOf(s: string): string {
  const n = s.length;
  let out = "", i = 0;
  while (i < n) {
    while (i < n && !isDigit(s.charCodeAt(i))) i++;
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (start === 0 && i === n) return s;
    out += s.slice(start, i);
  }
  return out;
}

/** `s` with its ASCII digits replaced, in order, by those of `digits` (same count). */
export function replaceDigits(s: string, digits: string): string {
  const n = s.length;
  let out = "", i = 0, j = 0;
  while (i < n) {
    const start = i;
    while (i < n && !isDigit(s.charCodeAt(i))) i++;
    if (i > start) out += s.slice(start, i);
    const from = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i > from) {
      out += digits.slice(j, j + i - from);
      j += i - from;
    }
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The Luhn check digit (0–9) to append to `payload` (or to its first `length` digits). */
export function luhnCheckDigit(payload: string, length: number = payload.length): number {
  let sum = 0;
  for (let i = length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  return digits.length > 1 &&
    luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** `s` (digits and upper-case letters, letters as 10–35) modulo 97. */
export function mod97(s: string): number {
  return mod97On(0, s, false);
}

/** `r` followed by the characters of `s` modulo 97, ASCII letters upper-cased when `upper`. */
function mod97On(r: number, s: string, upper: boolean): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else {
      if (upper && c >= 97 && c <= 122) c -= 32;
      r = (r * 100 + (c - 55)) % 97;
    }
  }
  return r;
}

/** The two IBAN check digits (as a number 0–99 in theory, 2–98 in practice) for country and BBAN. */
export function ibanCheck(country: string, bban: string): number {
  // toUpperCase() can change the length of non-ASCII text; only ASCII takes the no-copy path.
  if (!isAscii(bban) || !isAscii(country)) {
    return 98 - mod97(bban.toUpperCase() + country.toUpperCase() + "00");
  }
  return 98 - (mod97On(mod97On(0, bban, true), country, true) * 100) % 97;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** True when an IBAN (no spaces) passes the mod-97 check. */
export function ibanValid(iban: string): boolean {
  const s = iban.toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s) && mod97(s.slice(4) + s.slice(0, 4)) === 1;
}
