/**
 * The names found in a row's `names_from` columns, folded for lookup. Kept apart from the detectors so the
 * main thread can use it without loading the gazetteer or compromise (only the workers need those).
 *
 * @module
 */
import { fold } from "./fold.ts";

/** Folds the values of the `names_from` columns into the set the name detector matches against. */
export function rowNameSet(values: readonly (string | null)[]): Set<string> {
  const out = new Set<string>();
  for (const v of values) {
    if (v === null) continue;
    for (const part of v.split(/[\s,]+/)) if (part.length >= 2) out.add(fold(part));
  }
  return out;
}
