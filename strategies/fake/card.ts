/**
 * `fake.card`: a payment card number of the same brand and length as the input, valid under Luhn,
 * with the input's layout. The brand prefix (1–4 digits) is kept, the digits between it and the check
 * digit are permuted under the key, and the check digit is recomputed — offset by however far the
 * input's own check digit was off, so the whole map is a bijection (valid cards give valid cards).
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../../errors.ts";
import { columnLabel } from "../_column.ts";
import { createFake, localeParams } from "./_common.ts";
import { digitsOf, luhnCheckDigit, replaceDigits } from "../keyed/_digits.ts";
import { DigitPermutation } from "../keyed/_permutation.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ ...localeParams });
type Params = z.infer<typeof params>;
const TWEAK = 0x48;

const TWO_DIGIT_BRANDS: readonly number[] = [34, 37, 36, 38, 39, 65, 62];

/** How many leading digits identify the card's brand. */
export function brandPrefixLength(digits: string): number {
  const d0 = digits.charCodeAt(0) - 48, d1 = digits.charCodeAt(1) - 48;
  const d2 = digits.charCodeAt(2) - 48, d3 = digits.charCodeAt(3) - 48;
  // Four leading digits (always, on the strategy's path): the prefixes by arithmetic, not slices.
  if (d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9) {
    const p2 = d0 * 10 + d1, p3 = p2 * 10 + d2;
    return brandOf(p2, p3, p3 * 10 + d3);
  }
  return brandOf(Number(digits.slice(0, 2)), Number(digits.slice(0, 3)), Number(digits.slice(0, 4)));
}

function brandOf(p2: number, p3: number, p4: number): number {
  if (p4 >= 2221 && p4 <= 2720) return 4; // Mastercard 2-series
  if (p4 === 6011 || (p4 >= 3528 && p4 <= 3589)) return 4; // Discover, JCB
  if (p3 >= 644 && p3 <= 649) return 3; // Discover
  if (p3 >= 300 && p3 <= 305) return 3; // Diners Club
  if (TWO_DIGIT_BRANDS.includes(p2) || (p2 >= 51 && p2 <= 55)) return 2;
  return 1;
}

/** The `fake.card` strategy. */
export const fakeCard = {
  meta: {
    name: "fake.card",
    suggest: [{ columnName: "card_?(number|no)|^pan$", families: ["string"], rank: 12 }],
    description: "Writes a Luhn-valid card number of the same brand and length as the input",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "nothing",
    unique: true,
    keyed: true,
    examples: [{ input: "4111 1111 1111 1111" }, {
      input: "378282246310005",
      note: "American Express stays Amex",
    }],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "fake.card",
      minLength: 12,
      make: ({ prf, token, column }) => {
        const perm = new DigitPermutation(prf, TWEAK);
        return (v) => {
          const digits = digitsOf(v);
          if (digits.length < 12 || digits.length > 19 || /[^\d\s-]/.test(v)) {
            if (token !== null) {
              throw new PrivaciError(
                "STRATEGY_FAILED",
                `Cannot mask a value of ${
                  columnLabel(column)
                } uniquely as a card number: it is not 12 to 19 digits`,
                { hint: "drop 'unique: true' to replace such values with generated card numbers" },
              );
            }
            const rng = prf.rng(TWEAK + 1, v);
            const payload = "4" + rng.digits(14);
            return payload + luhnCheckDigit(payload);
          }
          const keep = brandPrefixLength(digits);
          const body = digits.slice(keep, -1);
          const delta =
            (digits.charCodeAt(digits.length - 1) - 48 - luhnCheckDigit(digits, digits.length - 1) + 10) % 10;
          const payload = digits.slice(0, keep) + perm.permute(body);
          return replaceDigits(v, payload + ((luhnCheckDigit(payload) + delta) % 10));
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
