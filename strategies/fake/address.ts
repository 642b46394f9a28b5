/**
 * Address parts of the locale: `fake.street`, `fake.city`, `fake.postcode`, `fake.state`,
 * `fake.country`, each chosen from the key and the case-folded input.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParam } from "./_common.ts";
import { generate } from "./pattern.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ locale: localeParam });
type Params = z.infer<typeof params>;

function addressStrategy(
  name: string,
  description: string,
  path: string,
  tweak: number,
  input: string,
): StrategyDefinition<Params> {
  return {
    meta: {
      name,
      description,
      columnTypes: ["string"],
      deterministic: true,
      reproduces: "pool",
      unique: false,
      keyed: true,
      examples: [{ input }, { params: { locale: "fr" }, input }],
    },
    params,
    create(init) {
      return createFake<Params>({
        name,
        minLength: 1,
        make: ({ prf, data }) => (v) => generate(data, prf.rng(tweak, v.trim().toLowerCase()), path),
      }, init);
    },
  };
}

/** The `fake.street` strategy. */
export const fakeStreet: StrategyDefinition<Params> = addressStrategy(
  "fake.street",
  "Writes a street address (number and street) of the locale",
  "location.streetAddress",
  0x30,
  "12 Baker Street",
);

/** The `fake.city` strategy. */
export const fakeCity: StrategyDefinition<Params> = addressStrategy(
  "fake.city",
  "Writes a city name of the locale",
  "location.city",
  0x31,
  "Springfield",
);

/** The `fake.postcode` strategy. */
export const fakePostcode: StrategyDefinition<Params> = addressStrategy(
  "fake.postcode",
  "Writes a postcode in the locale's format",
  "location.zipCode",
  0x32,
  "SW1A 1AA",
);

/** The `fake.state` strategy. */
export const fakeState: StrategyDefinition<Params> = addressStrategy(
  "fake.state",
  "Writes a state, region or province of the locale",
  "location.state",
  0x33,
  "Oregon",
);

/** The `fake.country` strategy. */
export const fakeCountry: StrategyDefinition<Params> = addressStrategy(
  "fake.country",
  "Writes a country name in the locale's language",
  "location.country",
  0x34,
  "Brazil",
);
