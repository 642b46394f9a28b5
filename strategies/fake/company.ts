/**
 * `fake.company` and `fake.job_title`: a company name and a job title of the locale, chosen from the
 * key and the case-folded input.
 *
 * @module
 */
import { type LocaleOnlyParams, patternStrategy } from "./_locale_strategy.ts";
import type { StrategyDefinition } from "../types.ts";

/** The `fake.company` strategy. */
export const fakeCompany: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.company",
  description: "Writes a company name of the locale",
  path: "company.name",
  tweak: 0x38,
  input: "Acme Corporation",
  exampleLocale: "de",
  suggest: [{ columnName: "^company(_?name)?$", families: ["string"], rank: 10 }],
});

/** The `fake.job_title` strategy. */
export const fakeJobTitle: StrategyDefinition<LocaleOnlyParams> = patternStrategy({
  name: "fake.job_title",
  description: "Writes a job title (in the locale's language where it has titles, else English)",
  path: "person.jobTitle",
  tweak: 0x39,
  input: "Sales Manager",
  exampleLocale: "de",
});
