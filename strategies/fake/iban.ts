/**
 * `fake.iban`: an IBAN of the same country and length that passes the mod-97 check, with the input's
 * spacing and letters. The BBAN's digits are permuted under the key (its letters, e.g. a bank code,
 * are kept) and the check digits are recomputed — offset by however far the input's were off, so the
 * map is a bijection (valid IBANs give valid IBANs). Values that are not IBANs get a generated IBAN of
 * the locale's country.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../../errors.ts";
import { columnLabel } from "../_column.ts";
import { createFake, localeParams } from "./_common.ts";
import { digitsOf, ibanCheck, replaceDigits } from "../keyed/_digits.ts";
import { DigitPermutation } from "../keyed/_permutation.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ ...localeParams });
type Params = z.infer<typeof params>;
const TWEAK = 0x4c;

/** Country, bank-code letters and BBAN digits of the IBANs generated for each locale's language. */
const GENERATED: Record<string, [string, number, number]> = {
  en: ["GB", 4, 14],
  de: ["DE", 0, 18],
  fr: ["FR", 0, 23],
  es: ["ES", 0, 20],
  it: ["IT", 1, 22],
  nl: ["NL", 4, 10],
  pt: ["PT", 0, 21],
  pl: ["PL", 0, 24],
};

const IBAN = /^[A-Za-z]{2}\d{2}[A-Za-z0-9]{8,30}$/;

/** The `fake.iban` strategy. */
export const fakeIban = {
  meta: {
    name: "fake.iban",
    suggest: [{ columnName: "iban", families: ["string"], rank: 11 }],
    description: "Writes a mod-97-valid IBAN of the same country and length as the input",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "nothing",
    unique: true,
    keyed: true,
    examples: [{ input: "DE89 3704 0044 0532 0130 00" }, { input: "GB29NWBK60161331926819" }],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "fake.iban",
      minLength: 12,
      make: ({ prf, token, column, data }) => {
        const perm = new DigitPermutation(prf, TWEAK);
        const [country, letters, count] = GENERATED[data.name.split("_")[0]] ?? GENERATED.de;
        return (v) => {
          const spaced = v.includes(" ");
          const compact = spaced ? v.replace(/ /g, "") : v;
          if (!IBAN.test(compact)) {
            if (token !== null) {
              throw new PrivaciError(
                "STRATEGY_FAILED",
                `Cannot mask a value of ${columnLabel(column)} uniquely as an IBAN: it is not an IBAN`,
                { hint: "drop 'unique: true' to replace such values with generated IBANs" },
              );
            }
            const rng = prf.rng(TWEAK + 1, v);
            let bban = "";
            for (let i = 0; i < letters; i++) bban += String.fromCharCode(65 + rng.below(26));
            bban += rng.digits(count);
            return country + String(ibanCheck(country, bban)).padStart(2, "0") + bban;
          }
          const cc = compact.slice(0, 2), bban = compact.slice(4);
          const delta = (Number(compact.slice(2, 4)) - ibanCheck(cc, bban) + 100) % 100;
          const out = replaceDigits(bban, perm.permute(digitsOf(bban)));
          const check = String((ibanCheck(cc, out) + delta) % 100).padStart(2, "0");
          const result = cc + check + out;
          return spaced ? regroup(v, result) : result;
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;

/** `compact` with spaces where `original` (ASCII, as every IBAN is) had them. */
function regroup(original: string, compact: string): string {
  let out = "", j = 0, start = 0;
  for (let i = 0; i <= original.length; i++) {
    if (i === original.length || original.charCodeAt(i) === 32) {
      out += compact.slice(j, j + i - start);
      j += i - start;
      if (i < original.length) out += " ";
      start = i + 1;
    }
  }
  return out;
}
