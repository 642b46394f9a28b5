/**
 * `keep`: copies the value unchanged. The pipeline passes kept columns through as raw COPY bytes without
 * decoding them; this masker only runs when `keep` is composed inside another strategy.
 *
 * @module
 */
import { z } from "zod";
import type { Cell, StrategyDefinition } from "./types.ts";

/** The `keep` strategy. */
export const keep = {
  meta: {
    name: "keep",
    passThrough: true,
    description: "Copies the value unchanged (for columns that hold no personal data)",
    deterministic: true,
    reproduces: "input",
    unique: true,
    keyed: false,
    examples: [{ input: "42", output: "42" }],
  },
  params: z.strictObject({}),
  create() {
    return { mask: (values: readonly Cell[]) => values.slice() };
  },
} satisfies StrategyDefinition<Record<string, never>>;
