/**
 * Address parts of the locale: `fake.street`, `fake.city`, `fake.postcode`, `fake.state`,
 * `fake.country`, each chosen from the key and the case-folded input.
 *
 * @module
 */
import { type LocaleOnlyParams, patternStrategy } from "./_locale_strategy.ts";
import type { StrategyDefinition } from "../types.ts";

/** The `fake.street` strategy. */
export const fakeStreet: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.street",
  description: "Writes a street address (number and street) of the locale",
  path: "location.streetAddress",
  tweak: 0x30,
  input: "12 Baker Street",
  exampleLocale: "fr",
  suggest: [{ columnName: "^(street|address\\d?|address_?line\\d?)$", families: ["string"], rank: 5 }],
});

/** The `fake.city` strategy. */
export const fakeCity: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.city",
  description: "Writes a city name of the locale",
  path: "location.city",
  tweak: 0x31,
  input: "Springfield",
  exampleLocale: "fr",
  suggest: [{ columnName: "^city$", families: ["string"], rank: 6 }],
});

/** The `fake.postcode` strategy. */
export const fakePostcode: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.postcode",
  description: "Writes a postcode in the locale's format",
  path: "location.zipCode",
  tweak: 0x32,
  input: "SW1A 1AA",
  exampleLocale: "fr",
  suggest: [{ columnName: "^(postal_?code|post_?code|zip(_?code)?)$", families: ["string"], rank: 7 }],
});

/** The `fake.state` strategy. */
export const fakeState: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.state",
  description: "Writes a state, region or province of the locale",
  path: "location.state",
  tweak: 0x33,
  input: "Oregon",
  exampleLocale: "fr",
  suggest: [{ columnName: "^(state|province|region)$", families: ["string"], rank: 8 }],
});

/** The `fake.country` strategy. */
export const fakeCountry: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.country",
  description: "Writes a country name in the locale's language",
  path: "location.country",
  tweak: 0x34,
  input: "Brazil",
  exampleLocale: "fr",
  suggest: [{ columnName: "^country$", families: ["string"], rank: 9 }],
});
