/**
 * Dates as PostgreSQL's COPY text prints them (ISO DateStyle): `2024-01-31`, `2024-01-31 10:00:00`,
 * `2024-01-31 10:00:00.5+00`, with an optional ` BC`. Only the date part is ever changed; the time
 * and zone text are kept as they are.
 *
 * @module
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4,})-(\d{2})-(\d{2})/;

/** A value split into its date and the text after it; `null` for infinity, BC dates or non-dates. */
export interface DateParts {
  /** Days since 1970-01-01. */
  days: number;
  year: number;
  month: number;
  day: number;
  /** Everything after the date (time, zone), kept verbatim. */
  rest: string;
}

/** Splits a COPY date/timestamp value; `null` when it is not an AD date. */
export function parseDate(v: string): DateParts | null {
  const m = DATE.exec(v);
  if (!m || v.endsWith(" BC")) return null;
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const days = daysOf(year, month, day);
  if (!Number.isFinite(days)) return null;
  return { days, year, month, day, rest: v.slice(m[0].length) };
}

/** `YYYY-MM-DD` of a day number (years below 1 are clamped to 0001-01-01). */
export function formatDays(days: number): string {
  const d = new Date(days * DAY_MS);
  const year = d.getUTCFullYear();
  if (year < 1) return "0001-01-01";
  return `${String(year).padStart(4, "0")}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${
    String(d.getUTCDate()).padStart(2, "0")
  }`;
}

/** Day number of a calendar date. */
export function daysOf(year: number, month: number, day: number): number {
  const ms = Date.UTC(2000, month - 1, day);
  const d = new Date(ms);
  d.setUTCFullYear(year);
  return d.getTime() / DAY_MS;
}

/** Midnight of the same zone: the time of day in `rest` set to 00:00:00, the zone kept. */
export function midnight(rest: string): string {
  if (rest === "") return "";
  const m = /^[ T](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(.*)$/.exec(rest);
  return m ? ` 00:00:00${m[5]}` : rest;
}
