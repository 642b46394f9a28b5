/**
 * `regex`: replaces what a regular expression matches, e.g. `pattern: "\\d"`, `replace: "#"`.
 * JavaScript syntax; `$1` in `replace` refers to a group. Every match is replaced unless `flags`
 * leaves out `g`.
 *
 * @module
 */
import { z } from "zod";
import { fit, requireFamily } from "./_column.ts";
import { memoMasker } from "./_memo.ts";
import type { StrategyDefinition } from "./types.ts";

const params = z.strictObject({
  pattern: z.string().min(1).describe("A JavaScript regular expression"),
  replace: z.string().default("").describe("The replacement; $1, $2 … insert groups"),
  flags: z.string().regex(/^[gimsuy]*$/, "only g, i, m, s, u and y are allowed").default("g").describe(
    "Regular expression flags",
  ),
}).refine((p) => {
  try {
    new RegExp(p.pattern, p.flags);
    return true;
  } catch {
    return false;
  }
}, { message: "pattern is not a valid regular expression", path: ["pattern"] });
type Params = z.infer<typeof params>;

/** The `regex` strategy. */
export const regex = {
  meta: {
    name: "regex",
    description: "Replaces the matches of a regular expression",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "input",
    unique: false,
    keyed: false,
    examples: [
      {
        params: { pattern: "\\d", replace: "#" },
        input: "Flat 4, 221B Baker St",
        output: "Flat #, ###B Baker St",
      },
      {
        params: { pattern: "^(.)[^@]*", replace: "$1***" },
        input: "alice@example.com",
        output: "a***@example.com",
      },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("regex", column, ["string"]);
    const re = new RegExp(params.pattern, params.flags);
    return memoMasker((v) => {
      re.lastIndex = 0;
      return fit(v.replace(re, params.replace), column.maxLength);
    });
  },
} satisfies StrategyDefinition<Params>;
