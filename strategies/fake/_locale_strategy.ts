/**
 * The definition shared by the `fake.*` strategies whose only params are the locale ones (names,
 * address parts, companies): the same meta facts, the same params, built through `createFake`, so
 * `locale` and `locale_from` work alike for all of them.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParams } from "./_common.ts";
import type { Prf } from "../keyed/_prf.ts";
import type { LocaleData } from "./locale.ts";
import { generate } from "./pattern.ts";
import type { StrategyDefinition, StrategyExample, StrategyMeta } from "../types.ts";

/** The params of a strategy that takes the locale params only. */
export const localeOnlyParams: z.ZodObject<typeof localeParams, z.core.$strict> = z.strictObject(
  localeParams,
);

/** Its parsed params. */
export type LocaleOnlyParams = z.infer<typeof localeOnlyParams>;

/** What differs between such strategies. */
export interface LocaleStrategySpec {
  name: string;
  description: string;
  examples: readonly StrategyExample[];
  suggest?: StrategyMeta["suggest"];
  /** The per-value function for one locale's data under the column's keyed generator. */
  make(ctx: { prf: Prf; data: LocaleData }): (value: string) => string;
}

/** A keyed, deterministic fake of realistic values drawn from the locale's data. */
export function localeStrategy(spec: LocaleStrategySpec): StrategyDefinition<LocaleOnlyParams> {
  return {
    meta: {
      name: spec.name,
      suggest: spec.suggest ?? [],
      description: spec.description,
      columnTypes: ["string"],
      deterministic: true,
      reproduces: "pool",
      unique: false,
      keyed: true,
      examples: spec.examples,
    },
    params: localeOnlyParams,
    create(init) {
      return createFake<LocaleOnlyParams>({ name: spec.name, minLength: 1, make: spec.make }, init);
    },
  };
}

/**
 * A {@link localeStrategy} that generates the locale's `path` (e.g. `location.city`) from the key and
 * the trimmed, lower-cased input, with an example in English and one in `exampleLocale`.
 */
export function patternStrategy(spec: {
  name: string;
  description: string;
  path: string;
  tweak: number;
  input: string;
  exampleLocale: string;
  suggest?: StrategyMeta["suggest"];
}): StrategyDefinition<LocaleOnlyParams> {
  const { path, tweak, input } = spec;
  return localeStrategy({
    ...spec,
    examples: [{ input }, { params: { locale: spec.exampleLocale }, input }],
    make: ({ prf, data }) => (v) => generate(data, prf.rng(tweak, v.trim().toLowerCase()), path),
  });
}
