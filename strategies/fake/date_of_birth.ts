/**
 * `fake.date_of_birth`: a birth date in the same age band as the input — a day chosen under the key
 * within the `band_years`-year block of the input's birth year (1980–1989 for 1984 with the default
 * 10) — so age statistics by band survive while the real date does not. Timestamps keep their zone
 * and get midnight.
 *
 * @module
 */
import { z } from "zod";
import { columnLabel, fit, requireFamily, requireKey } from "../_column.ts";
import { daysOf, formatDays, midnight, parseDate } from "../date/_dates.ts";
import { memoMasker } from "../_memo.ts";
import { Prf } from "../keyed/_prf.ts";
import { StrategyParamsError } from "../errors.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  band_years: z.int().min(1).max(100).default(10).describe(
    "Width of the age band in years (1 keeps the year)",
  ),
});
type Params = z.infer<typeof params>;
const TWEAK = 0x58;

/** The `fake.date_of_birth` strategy. */
export const fakeDateOfBirth = {
  meta: {
    name: "fake.date_of_birth",
    suggest: [{ columnName: "birth|dob", families: ["string"], rank: 15 }, {
      columnName: "birth|dob",
      families: ["date", "timestamp"],
      rank: 0,
    }],
    description: "Writes a birth date in the same age band (birth-year block) as the input",
    columnTypes: ["date", "timestamp", "string"],
    deterministic: true,
    reproduces: "pool",
    unique: false,
    keyed: true,
    examples: [
      { input: "1984-07-12", note: "a day in 1980–1989" },
      { params: { band_years: 1 }, input: "1984-07-12", note: "a day in 1984" },
    ],
  },
  params,
  create({ params, column, key }) {
    requireFamily("fake.date_of_birth", column, ["date", "timestamp", "string"]);
    const prf = new Prf(requireKey("fake.date_of_birth", key));
    if (column.maxLength !== null && column.maxLength < 10) {
      throw new StrategyParamsError(
        `Cannot write dates into ${columnLabel(column)}: ${column.type} is shorter than 10`,
      );
    }
    const band = params.band_years;
    return memoMasker((v) => {
      const d = parseDate(v);
      if (d === null) {
        if (/infinity$/.test(v)) return v;
        const rng = prf.rng(TWEAK + 1, v);
        return formatDays(rng.int(daysOf(1940, 1, 1), daysOf(2005, 12, 31)));
      }
      const start = Math.floor(d.year / band) * band;
      const from = daysOf(Math.max(start, 1), 1, 1), to = daysOf(start + band, 1, 1) - 1;
      const rng = prf.rng(TWEAK, v.slice(0, 10));
      return fit(formatDays(rng.int(from, to)) + midnight(d.rest), column.maxLength);
    });
  },
} satisfies StrategyDefinition<Params>;
