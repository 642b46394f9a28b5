/**
 * The registry the policy tests check rules against: the built-ins plus two small strategies whose
 * params and meta exercise every rule check.
 *
 * @module
 */
import { z } from "zod";
import { builtinStrategies } from "../../strategies/builtins.ts";
import type { StrategyRegistry } from "../../strategies/registry.ts";
import type { Cell, StrategyDefinition } from "../../strategies/types.ts";

/** Keeps the last `keep_last` characters and masks the rest with `mask`. Not unique, not keyed. */
export const testPartial = {
  meta: {
    name: "test.partial",
    description: "Keeps the last characters and masks the others",
    deterministic: true,
    unique: false,
    keyed: false,
  },
  params: z.strictObject({ keep_last: z.int().min(0).max(64), mask: z.string().length(1).default("*") }),
  create({ params }) {
    return {
      mask: (values: readonly Cell[]) =>
        values.map((v) =>
          v === null ? null : params.mask.repeat(Math.max(0, v.length - params.keep_last)) +
            v.slice(Math.max(0, v.length - params.keep_last))
        ),
    };
  },
} satisfies StrategyDefinition<{ keep_last: number; mask: string }>;

/** A keyed, unique strategy with one optional param. */
export const testHash = {
  meta: {
    name: "test.hash",
    description: "Writes a keyed digest of the value",
    deterministic: true,
    unique: true,
    keyed: true,
  },
  params: z.strictObject({ length: z.int().min(8).max(64).optional() }),
  create({ params }) {
    return {
      mask: (values: readonly Cell[]) =>
        values.map((v) => v === null ? null : "h".repeat(params.length ?? 8)),
    };
  },
} satisfies StrategyDefinition<{ length?: number }>;

/** The built-ins plus {@link testPartial} and {@link testHash}. */
export function testRegistry(): StrategyRegistry {
  return builtinStrategies().add(testPartial).add(testHash);
}
