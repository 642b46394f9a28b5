/**
 * Digit-string helpers for format-preserving strategies: take the digits out of a formatted value and
 * put new digits back into the same places, Luhn and ISO 7064 mod-97 check digits.
 *
 * @module
 */

/** The ASCII digits of `s`, in order. */
export function digitsOf(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

/** `s` with its ASCII digits replaced, in order, by those of `digits` (same count). */
export function replaceDigits(s: string, digits: string): string {
  let out = "", j = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 48 && c <= 57 ? digits[j++] : s[i];
  }
  return out;
}

/** The Luhn check digit (0–9) to append to `payload`. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
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
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else r = (r * 100 + (c - 55)) % 97;
  }
  return r;
}

/** The two IBAN check digits (as a number 0–99 in theory, 2–98 in practice) for country and BBAN. */
export function ibanCheck(country: string, bban: string): number {
  return 98 - mod97(bban.toUpperCase() + country.toUpperCase() + "00");
}

/** True when an IBAN (no spaces) passes the mod-97 check. */
export function ibanValid(iban: string): boolean {
  const s = iban.toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s) && mod97(s.slice(4) + s.slice(0, 4)) === 1;
}
