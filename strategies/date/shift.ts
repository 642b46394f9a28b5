/**
 * `date.shift`: moves a date or timestamp by a keyed offset of 1 to `max_days` days, earlier or later.
 * With `by: <column>` the offset comes from that column's value in the same row, so every row of one
 * entity (e.g. one customer) shifts by the same offset and intervals between its dates survive;
 * without it the offset comes from the value itself. Time of day and zone are kept.
 *
 * @module
 */
import { z } from "zod";
import { fit, requireFamily, requireKey } from "../_column.ts";
import { formatDays, parseDate } from "./_dates.ts";
import { MEMO_LIMIT } from "../_memo.ts";
import { Prf, uint53 } from "../keyed/_prf.ts";
import type { Cell, StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  max_days: z.int().min(1).max(36500).default(30).describe("Largest shift in days, either way"),
  by: z.string().min(1).optional().describe(
    "Column whose value picks the offset, so one entity shifts as one",
  ),
});
type Params = z.infer<typeof params>;
const TWEAK = 0x60;

/** The `date.shift` strategy. */
export const dateShift = {
  meta: {
    name: "date.shift",
    description: "Shifts dates by a keyed offset of up to max_days days, the same for one entity with by:",
    columnTypes: ["date", "timestamp", "string"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: true,
    examples: [
      { params: { max_days: 30 }, input: "2024-01-31" },
      {
        params: { max_days: 90, by: "customer_id" },
        input: "2024-01-31 10:00:00+00",
        note: "same offset per customer",
      },
    ],
  },
  params,
  create({ params, column, key }) {
    requireFamily("date.shift", column, ["date", "timestamp", "string"]);
    const prf = new Prf(requireKey("date.shift", key));
    const max = params.max_days;
    const offsets = new Map<string, number>();
    const offsetOf = (entity: string): number => {
      let o = offsets.get(entity);
      if (o === undefined) {
        const n = uint53(prf.string(TWEAK, entity), prf.hi) % (2 * max);
        o = n < max ? n - max : n - max + 1; // [-max, -1] ∪ [1, max]
        if (offsets.size >= MEMO_LIMIT) offsets.clear();
        offsets.set(entity, o);
      }
      return o;
    };
    const by = params.by;
    // Outputs by (offset, value): rows of one entity repeat dates, and many entities share an offset.
    const shifted = new Map<string, string>();
    const shift = (v: string, offset: number): string => {
      const k = `${offset}\u0000${v}`;
      let got = shifted.get(k);
      if (got === undefined) {
        const d = parseDate(v);
        got = d === null ? v : fit(formatDays(d.days + offset) + d.rest, column.maxLength);
        if (shifted.size >= MEMO_LIMIT) shifted.clear();
        shifted.set(k, got);
      }
      return got;
    };
    return {
      reads: by === undefined ? [] : [by],
      mask(values, batch) {
        const entities = by === undefined ? values : batch.column(by);
        const out = new Array<Cell>(values.length);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v === null) {
            out[i] = null;
            continue;
          }
          const entity = entities[i];
          out[i] = shift(v, offsetOf(entity === null ? "\u0000null" : entity));
        }
        return out;
      },
    };
  },
} satisfies StrategyDefinition<Params>;
