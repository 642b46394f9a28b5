/**
 * Case and diacritic folding for name lookups: "Nguyễn", "NGUYEN" and "nguyen" share one key.
 *
 * @module
 */

const SPECIAL: Readonly<Record<string, string>> = {
  "đ": "d",
  "ł": "l",
  "ı": "i",
  "ø": "o",
  "æ": "ae",
  "œ": "oe",
  "ß": "ss",
  "’": "'",
  "þ": "th",
  "ð": "d",
};
const MARKS = /\p{M}/gu;
const SPECIALS = /[đłıøæœß’þð]/g;
// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** The lookup key of a word: lower case, without diacritics. */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  if (ASCII.test(lower)) return lower;
  return lower.normalize("NFD").replace(MARKS, "").replace(SPECIALS, (c) => SPECIAL[c]);
}
