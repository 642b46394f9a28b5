/**
 * Per-column memoisation: most columns hold far fewer distinct values than rows, so a masker computes
 * each distinct value once. The cache is bounded and starts over when full. Every `probe` misses it
 * checks how often it was hit since the last check; when almost never (a key or unique column), it is
 * emptied and the next `limit` values skip it, then it is tried again from empty.
 *
 * Why check early rather than when the cache is full: on an all-distinct column every remembered
 * value is a Map insertion and, once it outlives a scavenge, old-generation garbage; checking only at
 * `limit` put two thirds of such a column through the Map and made the collector the largest cost
 * in the profile of `fake.email` with `unique: true`.
 *
 * Why empty it for the bypass: what an all-distinct column remembered is never asked again, yet a kept
 * cache filled up over the retries and stayed full. On 1M customers, five such columns held 65,536
 * entries each, about 70 MB of live strings, most of the heap of a Level 1 run.
 *
 * @module
 */
import type { Cell, ColumnMasker } from "./types.ts";

/** Default number of distinct inputs a column remembers. */
export const MEMO_LIMIT = 65536;

/** Misses between two checks of the hit rate (at most `limit`). */
const PROBE = 4096;

/**
 * A masker that applies `fn` to every non-NULL value, remembering results; NULL stays NULL.
 *
 * @param fn the pure, deterministic mapping of one value.
 * @param limit the most distinct inputs remembered at once.
 */
export function memoMasker(fn: (value: string) => string, limit: number = MEMO_LIMIT): ColumnMasker {
  const cache = new Map<string, string>();
  const probe = Math.min(PROBE, limit);
  let hits = 0, misses = 0, bypass = 0;
  return {
    mask(values: readonly Cell[]): Cell[] {
      const out = new Array<Cell>(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === null) {
          out[i] = null;
          continue;
        }
        if (bypass > 0) {
          bypass--;
          out[i] = fn(v);
          continue;
        }
        let m = cache.get(v);
        if (m === undefined) {
          m = fn(v);
          if (++misses >= probe) {
            // Under one hit in twenty lookups: the cache costs more than it saves for a while.
            if (hits * 20 < misses) {
              bypass = limit;
              cache.clear();
            }
            hits = misses = 0;
          }
          if (cache.size >= limit) cache.clear();
          if (bypass === 0) cache.set(v, m);
        } else hits++;
        out[i] = m;
      }
      return out;
    },
    close() {
      cache.clear();
    },
  };
}
