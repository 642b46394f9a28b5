/**
 * `fake.phone`: keeps the number's layout (`+`, spaces, brackets, dashes, digit count) and replaces
 * its digits by a keyed permutation of them, after keeping the first `keep_digits` (by default the
 * country code's first two digits after a `+`, or the trunk `0`). A bijection, so it can be unique.
 * An input with fewer than 4 digits gets a fresh number in the locale's format instead.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParams } from "./_common.ts";
import { digitsOf, replaceDigits } from "../keyed/_digits.ts";
import { DigitPermutation } from "../keyed/_permutation.ts";
import { fillDigits } from "./pattern.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  ...localeParams,
  keep_digits: z.int().min(0).max(8).optional().describe(
    "Leading digits kept as they are; default 2 after a leading +, 1 after a leading 0, else 0",
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
            const rng = prf.rng(TWEAK + 1, v);
            return fillDigits(rng, data.pick(rng, "phone_number.format.human"));
          }
          const lead = v.trimStart();
          const keep = Math.min(
            params.keep_digits ?? (lead[0] === "+" ? 2 : lead[0] === "0" ? 1 : 0),
            digits.length,
          );
          return replaceDigits(v, perm.permute(digits.slice(keep)), keep);
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
