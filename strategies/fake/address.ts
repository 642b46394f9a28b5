/**
 * Address parts of the locale: `fake.street`, `fake.city`, `fake.postcode`, `fake.state`,
 * `fake.country`, each chosen from the key and the case-folded input.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParam } from "./_common.ts";
import { generate } from "./pattern.ts";
import type { StrategyDefinition, StrategyMeta } from "../types.ts";

const params = z.strictObject({ locale: localeParam });
type Params = z.infer<typeof params>;

function addressStrategy(
  name: string,
  description: string,
  path: string,
  tweak: number,
  input: string,
  suggest: StrategyMeta["suggest"] = [],
): StrategyDefinition<Params> {
  return {
    meta: {
      name,
      suggest,
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
  [{ columnName: "^(street|address\\d?|address_?line\\d?)$", families: ["string"], rank: 5 }],
);

/** The `fake.city` strategy. */
export const fakeCity: StrategyDefinition<Params> = addressStrategy(
  "fake.city",
  "Writes a city name of the locale",
  "location.city",
  0x31,
  "Springfield",
  [{ columnName: "^city$", families: ["string"], rank: 6 }],
);

/** The `fake.postcode` strategy. */
export const fakePostcode: StrategyDefinition<Params> = addressStrategy(
  "fake.postcode",
  "Writes a postcode in the locale's format",
  "location.zipCode",
  0x32,
  "SW1A 1AA",
  [{ columnName: "^(postal_?code|post_?code|zip(_?code)?)$", families: ["string"], rank: 7 }],
);

/** The `fake.state` strategy. */
export const fakeState: StrategyDefinition<Params> = addressStrategy(
  "fake.state",
  "Writes a state, region or province of the locale",
  "location.state",
  0x33,
  "Oregon",
  [{ columnName: "^(state|province|region)$", families: ["string"], rank: 8 }],
);

/** The `fake.country` strategy. */
export const fakeCountry: StrategyDefinition<Params> = addressStrategy(
  "fake.country",
  "Writes a country name in the locale's language",
  "location.country",
  0x34,
  "Brazil",
  [{ columnName: "^country$", families: ["string"], rank: 9 }],
);
