/**
 * `postcode.truncate`: keeps the first `keep` characters of a postcode (`SW1A 1AA` → `SW1A`), the
 * area it names and nothing finer; with `fill` the rest keeps its length, letters and digits replaced.
 *
 * @module
 */
import { z } from "zod";
import { requireFamily } from "../_column.ts";
import { memoMasker } from "../_memo.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  keep: z.int().min(0).max(20).default(3).describe(
    "Characters kept from the start (leading spaces not counted)",
  ),
  fill: z.string().length(1).regex(/^[^\s]$/, "must be one visible character").optional().describe(
    "Writes the rest with this character in place of each letter and digit (separators kept), " +
      "instead of dropping it",
  ),
});
type Params = z.infer<typeof params>;

/** The `postcode.truncate` strategy. */
export const postcodeTruncate = {
  meta: {
    name: "postcode.truncate",
    description: "Keeps the first characters of a postcode (its area) and drops or fills the rest",
    details:
      "Generalisation for quasi-identifiers: a full postcode names a street or a building, and with a " +
      "birth date and a gender it singles out most people; its first characters name a district shared " +
      "by thousands. How many to keep depends on the country's format: 2 or 3 digits of a US ZIP code or " +
      "a German PLZ, the outward code of a UK postcode (`SW1A`, 2–4 characters), the département (2) of a " +
      "French code postal. Keep fewer where areas are sparsely populated. Values no longer than `keep` " +
      "are written unchanged, which `verify` reports as coarse.",
    suggest: [{ columnName: "^(postal_?code|post_?code|zip(_?code)?)$", families: ["string"], rank: 20 }],
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: false,
    examples: [
      { params: { keep: 4 }, input: "SW1A 1AA", output: "SW1A" },
      { input: "75008", output: "750" },
      { params: { keep: 2, fill: "0" }, input: "75008", output: "75000" },
      { params: { keep: 4, fill: "X" }, input: "SW1A 1AA", output: "SW1A XXX" },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("postcode.truncate", column, ["string"]);
    const { keep, fill } = params;
    return memoMasker((v) => {
      const points = [...v.trim()];
      if (points.length <= keep) return points.join("");
      const head = points.slice(0, keep).join("");
      if (fill === undefined) return head.trimEnd();
      return head + points.slice(keep).map((c) => /[\p{L}\p{N}]/u.test(c) ? fill : c).join("");
    });
  },
} satisfies StrategyDefinition<Params>;
