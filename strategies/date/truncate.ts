/**
 * `date.truncate`: cuts a date or timestamp down to the first day of its month or year (or, for
 * timestamps, to midnight of its day), keeping the zone text.
 *
 * @module
 */
import { z } from "zod";
import { fit, requireFamily } from "../_column.ts";
import { daysOf, formatDays, midnight, parseDate } from "./_dates.ts";
import { memoMasker } from "../_memo.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  to: z.enum(["year", "month", "day"]).default("month").describe("year, month or day"),
});
type Params = z.infer<typeof params>;

/** The `date.truncate` strategy. */
export const dateTruncate = {
  meta: {
    name: "date.truncate",
    description: "Truncates dates and timestamps to their year, month or day",
    columnTypes: ["date", "timestamp", "string"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: false,
    examples: [
      { input: "2024-05-17", output: "2024-05-01" },
      { params: { to: "year" }, input: "2024-05-17 10:30:00+02", output: "2024-01-01 00:00:00+02" },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("date.truncate", column, ["date", "timestamp", "string"]);
    const to = params.to;
    return memoMasker((v) => {
      const d = parseDate(v);
      if (d === null) return v;
      const day = to === "year" ? daysOf(d.year, 1, 1) : to === "month" ? daysOf(d.year, d.month, 1) : d.days;
      return fit(formatDays(day) + midnight(d.rest), column.maxLength);
    });
  },
} satisfies StrategyDefinition<Params>;
