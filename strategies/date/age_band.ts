/**
 * `date.age_band`: generalises a birth date to the age band its holder is in on a fixed day `as_of`
 * (ages 30–39 with the default 10-year bands), written as the latest birth date of the band (whose
 * holder is exactly the band's lowest age on `as_of`, so an age computed from it is the band's lower
 * bound) or, in text columns, as a label (`30-39`).
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../../errors.ts";
import { columnLabel, fit, requireFamily } from "../_column.ts";
import { daysOf, formatDays, midnight, parseDate } from "./_dates.ts";
import { memoMasker } from "../_memo.ts";
import { StrategyParamsError } from "../errors.ts";
import type { StrategyDefinition } from "../types.ts";

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const params = z.strictObject({
  as_of: z.string().regex(ISO_DAY, "must be a date YYYY-MM-DD").refine(
    (v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString().startsWith(v),
    "must be a day of the calendar",
  ).describe(
    "The day ages are counted on (YYYY-MM-DD); fixed, so every run writes the same bands",
  ),
  width: z.int().min(1).max(100).default(10).describe("Years per band: [0, width), [width, 2 × width), …"),
  edges: z.array(z.int().min(1).max(200)).min(1).max(100).optional().describe(
    "Ascending ages where bands start instead of a width: [18, 65] makes under 18, 18-64 and 65+",
  ),
  write: z.enum(["date", "label"]).default("date").describe(
    "date (the band's latest birth date) or label (text columns: 30-39, 65+)",
  ),
}).refine(
  (p) => p.edges === undefined || p.edges.every((e, i) => i === 0 || e > p.edges![i - 1]),
  "edges must be strictly ascending",
);
type Params = z.infer<typeof params>;

/** The `date.age_band` strategy. */
export const dateAgeBand = {
  meta: {
    name: "date.age_band",
    description:
      "Generalises birth dates to an age band on a fixed day (the band's latest birth date, or a label)",
    details: "Generalisation for quasi-identifiers: a birth date with a postcode and a gender singles out " +
      "most people, an age band does not. Every birth date of a band is written as the same day, the " +
      "latest birth date of the band on `as_of` (with `as_of: 2025-01-01`, everyone aged 30–39 becomes " +
      "1995-01-01), so ages computed on `as_of` land on the band's lowest age, and analyses by band keep " +
      "working. Top-code the oldest with `edges` (`[18, 30, 45, 65, 90]`: everyone 90 or older together). " +
      "Unlike `fake.date_of_birth`, which draws a realistic day within a birth-year block, this writes " +
      "one day per band. Dates after `as_of` fall in the youngest band; `infinity` is kept; text that is " +
      "not a date stops the run naming the column.",
    // Text first: the examples (and the docs) run on a column of the first family, and labels need text.
    columnTypes: ["string", "date", "timestamp"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: false,
    examples: [
      {
        params: { as_of: "2025-01-01" },
        input: "1988-07-12",
        output: "1995-01-01",
        note: "aged 36: band 30-39",
      },
      {
        params: { as_of: "2025-06-30", edges: [18, 65], write: "label" },
        input: "1950-03-02",
        output: "65+",
      },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("date.age_band", column, ["date", "timestamp", "string"]);
    if (params.write === "label" && column.family !== "string") {
      throw new StrategyParamsError(
        `Cannot write age band labels into ${columnLabel(column)}: ${column.type} is not a text column`,
        { hint: "use write: date for date and timestamp columns" },
      );
    }
    const [, y, m, d] = ISO_DAY.exec(params.as_of)!.map(Number);
    const { edges, width } = params;
    /** The band of an age: its lowest age and its highest (null when open). */
    const band = (age: number): [number, number | null] => {
      if (edges === undefined) {
        const low = Math.floor(Math.max(0, age) / width) * width;
        return [low, low + width - 1];
      }
      let i = 0;
      while (i < edges.length && edges[i] <= age) i++;
      return [i === 0 ? 0 : edges[i - 1], i === edges.length ? null : edges[i] - 1];
    };
    return memoMasker((v) => {
      const date = parseDate(v);
      if (date === null) {
        if (/infinity$/.test(v)) return v;
        throw new PrivaciError(
          "STRATEGY_FAILED",
          `Cannot find the age band of a value of ${columnLabel(column)}: it is not an AD date`,
          { hint: "mask this column with a strategy for text, or clean its values" },
        );
      }
      const birthdayPassed = date.month < m || (date.month === m && date.day <= d);
      const age = y - date.year - (birthdayPassed ? 0 : 1);
      const [low, high] = band(age);
      if (params.write === "label") {
        return fit(high === null ? `${low}+` : `${low}-${high}`, column.maxLength);
      }
      // Born on as_of's day `low` years earlier (28 February for a 29 February that year lacks).
      const year = y - low;
      const day = m === 2 && d === 29 && !leap(year) ? 28 : d;
      return fit(formatDays(daysOf(year, m, day)) + midnight(date.rest), column.maxLength);
    });
  },
} satisfies StrategyDefinition<Params>;

function leap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
