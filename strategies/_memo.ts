/**
 * Per-column memoisation: most columns hold far fewer distinct values than rows, so a masker computes
 * each distinct value once. The cache is bounded and starts over when full; when a full cache saw
 * almost no repeats (a key or unique column), the next `limit` values skip it, then it is tried again.
 *
 * @module
 */
import type { Cell, ColumnMasker } from "./types.ts";

/** Default number of distinct inputs a column remembers. */
export const MEMO_LIMIT = 65536;

/**
 * A masker that applies `fn` to every non-NULL value, remembering results; NULL stays NULL.
 *
 * @param fn the pure, deterministic mapping of one value.
 * @param limit the most distinct inputs remembered at once.
 */
export function memoMasker(fn: (value: string) => string, limit: number = MEMO_LIMIT): ColumnMasker {
  const cache = new Map<string, string>();
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
          misses++;
          if (cache.size >= limit) {
            if (hits * 20 < misses) bypass = limit;
            cache.clear();
            hits = misses = 0;
          }
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
