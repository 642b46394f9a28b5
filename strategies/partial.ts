/**
 * `partial`: keeps the first `keep_first` and last `keep_last` characters and replaces the others with
 * `mask_char`, so the length stays. A value too short to hide anything is masked entirely.
 *
 * @module
 */
import { z } from "zod";
import { requireFamily } from "./_column.ts";
import { memoMasker } from "./_memo.ts";
import type { StrategyDefinition } from "./types.ts";

const params = z.strictObject({
  keep_first: z.int().min(0).default(0).describe("Characters kept at the start"),
  keep_last: z.int().min(0).default(4).describe("Characters kept at the end"),
  mask_char: z.string().length(1).default("*").describe("The character written over the others"),
});
type Params = z.infer<typeof params>;

/** `s` with all but the first `first` and last `last` code points replaced by `char`. */
export function partialMask(s: string, first: number, last: number, char: string): string {
  const points = [...s];
  const n = points.length;
  if (first + last >= n) return char.repeat(n);
  return points.slice(0, first).join("") + char.repeat(n - first - last) + points.slice(n - last).join("");
}

/** The `partial` strategy. */
export const partial = {
  meta: {
    name: "partial",
    description: "Keeps the first and last characters and masks the rest, keeping the length",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "input",
    unique: false,
    keyed: false,
    examples: [
      { input: "4111111111111111", output: "************1111" },
      {
        params: { keep_first: 2, keep_last: 2, mask_char: "#" },
        input: "+44 20 7946 0958",
        output: "+4############58",
      },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("partial", column, ["string"]);
    return memoMasker((v) => partialMask(v, params.keep_first, params.keep_last, params.mask_char));
  },
} satisfies StrategyDefinition<Params>;
