/**
 * `fake.company` and `fake.job_title`: a company name and a job title of the locale, chosen from the
 * key and the case-folded input.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParam } from "./_common.ts";
import { generate } from "./pattern.ts";
import type { StrategyDefinition, StrategyMeta } from "../types.ts";

const params = z.strictObject({ locale: localeParam });
type Params = z.infer<typeof params>;

function companyStrategy(
  name: string,
  description: string,
  path: string,
  tweak: number,
  input: string,
  suggest: StrategyMeta["suggest"] = [],
) {
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
      examples: [{ input }, { params: { locale: "de" }, input }],
    },
    params,
    create(init) {
      return createFake<Params>({
        name,
        minLength: 1,
        make: ({ prf, data }) => (v) => generate(data, prf.rng(tweak, v.trim().toLowerCase()), path),
      }, init);
    },
  } satisfies StrategyDefinition<Params>;
}

/** The `fake.company` strategy. */
export const fakeCompany: StrategyDefinition<Params> = companyStrategy(
  "fake.company",
  "Writes a company name of the locale",
  "company.name",
  0x38,
  "Acme Corporation",
  [{ columnName: "^company(_?name)?$", families: ["string"], rank: 10 }],
);

/** The `fake.job_title` strategy. */
export const fakeJobTitle: StrategyDefinition<Params> = companyStrategy(
  "fake.job_title",
  "Writes a job title (in the locale's language where it has titles, else English)",
  "person.jobTitle",
  0x39,
  "Sales Manager",
);
