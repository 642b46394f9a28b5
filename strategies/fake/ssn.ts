/**
 * `fake.ssn`: a national identification number with the input's layout. A 9-digit value is treated
 * as a US Social Security number: valid numbers (area not 000, 666 or 9xx, group not 00, serial not
 * 0000) map to valid numbers by a keyed permutation of 10^9 with cycle walking inside the valid set
 * (and invalid ones inside the invalid set), so the map is a bijection. Other lengths get a keyed
 * permutation of their digits.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParams } from "./_common.ts";
import { digitsOf, digitValue, replaceDigits } from "../keyed/_digits.ts";
import { DigitPermutation } from "../keyed/_permutation.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ ...localeParams });
type Params = z.infer<typeof params>;
const TWEAK = 0x44;

/** True for a 9-digit number (as an integer) that is a valid SSN. */
export function ssnValid(x: number): boolean {
  const area = Math.floor(x / 1e6), group = Math.floor(x / 1e4) % 100, serial = x % 1e4;
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/** The `fake.ssn` strategy. */
export const fakeSsn = {
  meta: {
    name: "fake.ssn",
    suggest: [{ columnName: "ssn|social_?security", families: ["string"], rank: 13 }],
    description: "Writes a valid-looking SSN (or national id) with the input's layout (keyed permutation)",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    keyed: true,
    examples: [{ input: "123-45-6789" }],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "fake.ssn",
      minLength: 1,
      make: ({ prf }) => {
        const perm = new DigitPermutation(prf, TWEAK);
        const nine = perm.of(9);
        return (v) => {
          const x = digitValue(v, 9);
          if (x < 0) return replaceDigits(v, perm.permute(digitsOf(v)));
          const valid = ssnValid(x);
          let y = nine.permute(x);
          while (ssnValid(y) !== valid) y = nine.permute(y);
          return replaceDigits(v, String(y).padStart(9, "0"));
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
