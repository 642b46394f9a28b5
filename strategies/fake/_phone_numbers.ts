/**
 * What keeps a phone number valid in its national plan while its digits are replaced: the length of
 * its country calling code (ITU-T E.164: `+1` and `+7` have one digit, `+33` two, `+353` three), and
 * the digits a plan forbids at fixed places. After a country code the national number never starts
 * with the trunk `0` (`+33 6…`, never `+33 06…`; Italy's `+39 06…` keeps its `0`, as the input has
 * it), after a trunk `0` comes no second `0` (that would be an international prefix), and a North
 * American number (`+1`, or ten digits without prefix) has area and exchange codes starting 2–9.
 *
 * @module
 */

/** Two-digit country codes; the other codes starting with these digits' zone have three. */
const TWO_DIGIT = new Set([
  "20",
  "27",
  "30",
  "31",
  "32",
  "33",
  "34",
  "36",
  "39",
  "40",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "48",
  "49",
  "51",
  "52",
  "53",
  "54",
  "55",
  "56",
  "57",
  "58",
  "60",
  "61",
  "62",
  "63",
  "64",
  "65",
  "66",
  "81",
  "82",
  "84",
  "86",
  "90",
  "91",
  "92",
  "93",
  "94",
  "95",
  "98",
]);
/** First two digits of the three-digit country codes. */
const THREE_DIGIT = new Set([
  "21",
  "22",
  "23",
  "24",
  "25",
  "26",
  "29",
  "35",
  "37",
  "38",
  "42",
  "50",
  "59",
  "67",
  "68",
  "69",
  "80",
  "85",
  "87",
  "88",
  "96",
  "97",
  "99",
]);

/** The country code length by its first two digits as a number (0–99): 2 or 3 (2 when unknown). */
const CODE_LENGTH = Uint8Array.from(
  { length: 100 },
  (_, n) => THREE_DIGIT.has(String(n).padStart(2, "0")) ? 3 : 2,
);

/** Digits of the country code at the start of `digits` (those after a `+`): 1, 2 or 3 (2 when unknown). */
export function countryCodeLength(digits: string): number {
  // By character codes and a table rather than a two-character slice and a set: it runs per value.
  const first = digits.charCodeAt(0);
  if (first === 49 || first === 55) return 1; // 1, 7
  const d0 = first - 48, d1 = digits.charCodeAt(1) - 48;
  // Fewer than two digits (NaN above) or other characters name no known code.
  if (!(d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9)) return 2;
  return CODE_LENGTH[d0 * 10 + d1];
}

/**
 * The places of a number's digits its plan constrains: `zero` where a `0` is allowed only if the input
 * has one, `low` (two of them) where 0 and 1 are allowed only if the input has one; -1 for none.
 * `prefix` is `+`, `0` (a trunk prefix) or `""`; `digits` are all the number's digits.
 */
export interface PhoneRule {
  zero: number;
  low: number;
  low2: number;
}

// The few rules there are, made once: a rule is asked for every value masked.
const NANP_PLUS: PhoneRule = Object.freeze({ zero: -1, low: 1, low2: 4 });
const NANP_BARE: PhoneRule = Object.freeze({ zero: -1, low: 0, low2: 3 });
const ZERO_AT: readonly PhoneRule[] = [0, 1, 2, 3].map((zero) => Object.freeze({ zero, low: -1, low2: -1 }));

/** The {@link PhoneRule} of a number. */
export function phoneRule(prefix: string, digits: string): PhoneRule {
  if (prefix === "+") {
    const cc = countryCodeLength(digits);
    return cc === 1 && digits.charCodeAt(0) === 49 ? NANP_PLUS : ZERO_AT[cc];
  }
  if (prefix === "0") return ZERO_AT[1];
  return digits.length === 10 ? NANP_BARE : ZERO_AT[0];
}

/**
 * The class of the digits `head + tail` under `rule`: two numbers of one class are equally valid
 * (read in place, without joining the strings).
 */
export function phoneClass(rule: PhoneRule, head: string, tail: string): number {
  if (rule.zero >= 0) return digitAt(rule.zero, head, tail) === 48 ? 1 : 0;
  return lowAt(rule.low, head, tail) * 2 + lowAt(rule.low2, head, tail);
}

/** The code of digit `i` of `head + tail` (NaN past its end, -1 for no place). */
function digitAt(i: number, head: string, tail: string): number {
  return i < 0 ? -1 : i < head.length ? head.charCodeAt(i) : tail.charCodeAt(i - head.length);
}

/** 1 when digit `i` of `head + tail` is 0 or 1, else 0. */
function lowAt(i: number, head: string, tail: string): number {
  const c = digitAt(i, head, tail);
  return c === 48 || c === 49 ? 1 : 0;
}

/**
 * True when a number breaks none of the rules above in its plan's usual form: a known country code
 * after a `+` and no trunk `0` after it (but for Italy), no `00` after a trunk `0`, and area and
 * exchange codes of 2–9 in ten-digit North American numbers (`+1` or no prefix).
 */
export function plausiblePhone(value: string): boolean {
  const lead = value.replace(/^[\s(]+/, "");
  const digits = lead.replace(/\D/g, "");
  if (lead[0] === "+") {
    const first = digits[0], two = digits.slice(0, 2);
    if (first !== "1" && first !== "7" && !TWO_DIGIT.has(two) && !THREE_DIGIT.has(two)) return false;
    if (two === "39") return true;
    return phoneClass(phoneRule("+", digits), digits, "") === 0;
  }
  if (lead[0] === "0") return phoneClass(phoneRule("0", digits), digits, "") === 0;
  return digits.length !== 10 || phoneClass(phoneRule("", digits), digits, "") === 0;
}
