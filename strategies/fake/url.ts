/**
 * `fake.url`: a realistic `https://` URL on a made-up domain with the locale's domain suffixes. With
 * `unique: true` the path ends with an injective token of the input.
 *
 * @module
 */
import { z } from "zod";
import { asciiFold, createFake, localeParams, withToken } from "./_common.ts";
import { LocaleData } from "./locale.ts";
import { generate } from "./pattern.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ ...localeParams });
type Params = z.infer<typeof params>;
const TWEAK = 0x54;

/** The `fake.url` strategy. */
export const fakeUrl = {
  meta: {
    name: "fake.url",
    description: "Writes a realistic https URL on a made-up domain",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    keyed: true,
    examples: [{ input: "https://alice.example.com/profile" }],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "fake.url",
      minLength: 20,
      // Every locale falls back to en, so its data is loaded by the time make runs.
      make: ({ prf, data, token, max }) => {
        const en = LocaleData.of("en");
        return (v) => {
          const rng = prf.rng(TWEAK, v.trim());
          const name = asciiFold(generate(data, rng, "person.last_name")) ||
            asciiFold(en.pick(rng, "person.last_name"));
          const suffix = data.pick(rng, "internet.domain_suffix") || "com";
          const words = [en.pick(rng, "word.noun"), en.pick(rng, "word.noun")].map(asciiFold);
          const url = `https://www.${name}.${suffix}/${words.join("-")}`;
          return token !== null ? withToken(url, "/", token.encode(v), max) : url;
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
