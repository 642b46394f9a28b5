/**
 * Helpers for strategies that run other strategies (`template`, `json`, `array`): the column a nested
 * strategy sees, nested specs in policy form, and running several maskers over one batch without a
 * promise unless one of them needs it.
 *
 * @module
 */
import { z } from "zod";
import type { BatchContext, Cell, ColumnInfo, ColumnMasker, StrategySpec } from "./types.ts";

/** A nested strategy as the policy writes it: a name, or `{ strategy, ...params }`. */
export const NestedSpecSchema = z.union([
  z.string().min(1),
  z.looseObject({ strategy: z.string().min(1), domain: z.string().min(1).optional() }),
]);

/** A nested strategy in policy form. */
export type NestedSpec = z.infer<typeof NestedSpecSchema>;

/** The long form of a nested spec. */
export function toSpec(spec: NestedSpec): StrategySpec {
  return typeof spec === "string" ? { strategy: spec } : { ...spec } as StrategySpec;
}

/** What a nested strategy sees of the column: unconstrained, nullable text. */
export const TEXT_COLUMN: Partial<ColumnInfo> = {
  type: "text",
  baseType: "text",
  family: "string",
  elementFamily: "string",
  maxLength: null,
  notNull: false,
  unique: false,
};

/** Runs `masker` over `values`; `then` gets the result, synchronously when the masker is synchronous. */
export function runMasker<T>(
  masker: ColumnMasker,
  values: readonly Cell[],
  batch: BatchContext,
  then: (out: Cell[]) => T,
): T | Promise<T> {
  const got = masker.mask(values, batch);
  return got instanceof Promise ? got.then(then) : then(got);
}

/** Runs every masker over its own values; `then` gets all results once they are in. */
export function runAll<T>(
  jobs: readonly { masker: ColumnMasker; values: readonly Cell[] }[],
  batch: BatchContext,
  then: (outs: Cell[][]) => T,
): T | Promise<T> {
  const outs = jobs.map((j) => j.masker.mask(j.values, batch));
  if (outs.some((o) => o instanceof Promise)) return Promise.all(outs).then(then);
  return then(outs as Cell[][]);
}

/** Closes every masker. */
export async function closeAll(maskers: readonly ColumnMasker[]): Promise<void> {
  for (const m of maskers) await m.close?.();
}
