/**
 * `locale_from:` of the `fake.*` strategies: the locale of each row comes from another column of the
 * row (a country or locale code, see {@link localeOf}), else the rule's `locale`. One masker per locale
 * met, built the first time a batch needs it; each masks its rows of the batch as one call.
 *
 * @module
 */
import type { BatchContext, Cell, ColumnMasker } from "../types.ts";
import { localeOf } from "./locale_of.ts";
import { maskRowGroups } from "../row_groups.ts";

/** Distinct column values whose locale is remembered before the memory starts over. */
const REMEMBERED = 4096;

/**
 * A masker choosing, per row, the masker of the locale its `locale_from` column names.
 *
 * @param params the rule's `locale` (the default) and `locale_from` (the column).
 * @param build the masker of the strategy for one locale.
 */
export async function rowLocaleMasker(
  params: { locale: string; locale_from?: string },
  build: (locale: string) => Promise<ColumnMasker>,
): Promise<ColumnMasker> {
  const from = params.locale_from!;
  const fallback = params.locale;
  const maskers = new Map<string, ColumnMasker>([[fallback, await build(fallback)]]);
  const known = new Map<string, string>();
  const localeFor = (cell: Cell): string => {
    if (cell === null) return fallback;
    let got = known.get(cell);
    if (got === undefined) {
      if (known.size >= REMEMBERED) known.clear();
      known.set(cell, got = localeOf(cell) ?? fallback);
    }
    return got;
  };
  const run = (values: readonly Cell[], batch: BatchContext, locales: string[]): Cell[] | Promise<Cell[]> => {
    const groups = new Map<ColumnMasker, number[]>();
    for (let r = 0; r < values.length; r++) {
      const masker = maskers.get(locales[r])!;
      const rows = groups.get(masker);
      if (rows) rows.push(r);
      else groups.set(masker, [r]);
    }
    return maskRowGroups(groups, values, batch);
  };
  return {
    reads: [from],
    mask(values, batch) {
      const codes = batch.column(from);
      const locales = new Array<string>(values.length);
      const missing = new Set<string>();
      for (let r = 0; r < values.length; r++) {
        const locale = localeFor(codes[r]);
        locales[r] = locale;
        if (!maskers.has(locale)) missing.add(locale);
      }
      if (missing.size === 0) return run(values, batch, locales);
      return Promise.all([...missing].map(async (l) => maskers.set(l, await build(l)))).then(() =>
        run(values, batch, locales)
      );
    },
    async close() {
      for (const m of maskers.values()) await m.close?.();
    },
  };
}
