/**
 * `fake.phone`: keeps the number's layout (`+`, spaces, brackets, dashes, digit count) and replaces
 * its digits by a keyed permutation of them, after keeping the first `keep_digits` (by default the
 * country code after a `+` or the trunk `0`, and the digit after it). The permutation is cycle-walked until
 * the new digits are as valid in the national plan as the old ones (see `_phone_numbers.ts`): still a
 * bijection, so it can be unique. An input with fewer than 4 digits gets a fresh number in the locale's format.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParams } from "./_common.ts";
import { digitsOf, replaceDigits } from "../keyed/_digits.ts";
import { DigitPermutation } from "../keyed/_permutation.ts";
import { fillDigits } from "./pattern.ts";
import { countryCodeLength, phoneClass, phoneRule, plausiblePhone } from "./_phone_numbers.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  ...localeParams,
  keep_digits: z.int().min(0).max(8).optional().describe(
    "Leading digits kept as they are; default the country code after a leading + and the national " +
      "number's first digit (+33 6, +34 9, +1 4), the trunk 0 and the digit after it (07…), else 0",
  ),
});
type Params = z.infer<typeof params>;
const TWEAK = 0x40;

/** The `fake.phone` strategy. */
export const fakePhone = {
  meta: {
    name: "fake.phone",
    suggest: [{ columnName: "phone|mobile|fax", families: ["string"], rank: 4 }],
    description: "Writes a phone number with the input's layout and new digits (keyed permutation)",
    details:
      "Numbers stay valid in their national plan: the country code after a `+` is kept whole (`+33`, " +
      "`+353`, `+1`) with the national number's first digit, which in most plans tells a mobile from a " +
      "landline or a service number and which digits may lead at all (`+33 6…` stays a French mobile, " +
      "`+34 9…` a Spanish landline, never `+34 2…`; no trunk `0` appears after the country code unless the " +
      "input has one, as Italy's `+39 06…`), a trunk `0` keeps the digit after it (`07…` stays `07…`, never " +
      "`00…`), and North American numbers (`+1`, or ten digits without prefix) keep area and exchange " +
      "codes in 2–9. With a smaller `keep_digits` the digits are re-permuted until the trunk and North " +
      "American rules hold, which keeps the mapping a bijection.",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    keyed: true,
    examples: [
      { input: "+55 (12) 3923-5555", note: "keeps +55 and the layout" },
      { params: { keep_digits: 0 }, input: "555-0100" },
    ],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "fake.phone",
      minLength: 1,
      make: ({ prf, data, token, params }) => {
        const perm = new DigitPermutation(prf, TWEAK);
        return (v) => {
          const digits = digitsOf(v);
          if (digits.length < 4 && token === null) {
            // Some locales' formats can draw an invalid number (`+43 0…`, `(00…`): draw again.
            const rng = prf.rng(TWEAK + 1, v);
            let out = fillDigits(rng, data.pick(rng, "phone_number.format.human"));
            for (let i = 0; i < 50 && !plausiblePhone(out); i++) {
              out = fillDigits(rng, data.pick(rng, "phone_number.format.human"));
            }
            return out;
          }
          // The prefix is the first character that is not a space or an opening bracket: `(0171) …`.
          let p = 0;
          while (p < v.length && (v.charCodeAt(p) <= 32 || v[p] === "(")) p++;
          const prefix = v[p] === "+" ? "+" : v[p] === "0" ? "0" : "";
          // The national number's first digit is kept: many plans allow only some digits there (Spain
          // 6-9), and it tells the kind of number. It also keeps a ten-digit +1 or +7 number's
          // permutation at nine digits, which costs a third of a ten-digit one.
          const keep = Math.min(
            params.keep_digits ?? (prefix === "+" ? countryCodeLength(digits) + 1 : prefix === "0" ? 2 : 0),
            digits.length,
          );
          // Cycle walking: permuting again until the class comes back is a bijection of the class. The
          // input's own cycle ends in its class, so the bound (a loop must have one) is never reached
          // but with a chance below 10^-17 (the rarest class, North American, holds 1 value in 25).
          const kept = digits.slice(0, keep), rule = phoneRule(prefix, digits);
          const want = phoneClass(rule, digits, "");
          let rest = perm.permute(digits.slice(keep));
          for (let i = 0; i < 1000 && phoneClass(rule, kept, rest) !== want; i++) rest = perm.permute(rest);
          return replaceDigits(v, rest, keep);
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
