/**
 * "Did you mean" for misspelt names in a policy (strategies, tables, columns). Diagnostics themselves
 * and their formatting are in `core/diagnostic.ts`.
 *
 * @module
 */

/**
 * The candidate nearest to `word` when it is near enough to be a likely typo: at most one edit per three
 * characters (at least one), counting a swap of two neighbours as one edit, ignoring case. Returns
 * `undefined` when `word` is itself a candidate or nothing is near.
 *
 * @param word The misspelt name, e.g. `fake.emial`.
 * @param candidates The names that exist.
 * @returns The nearest candidate, or `undefined`.
 *
 * @example Suggest a strategy
 * ```ts
 * import assert from "node:assert/strict";
 * import { didYouMean } from "./diagnostics.ts";
 * assert.equal(didYouMean("kep", ["keep", "null"]), "keep");
 * assert.equal(didYouMean("zzz", ["keep", "null"]), undefined);
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(word)) return undefined;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) > limit) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d = new Array<number>((a.length + 1) * cols);
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[a.length * cols + b.length];
}

/** The ` — did you mean 'x'?` suffix, or `""` when nothing is near. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const near = didYouMean(word, candidates);
  return near === undefined ? "" : ` — did you mean '${near}'?`;
}
