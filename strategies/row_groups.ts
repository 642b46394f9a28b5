/**
 * Masking one batch with several maskers, each taking its own rows: what `when:` alternatives and
 * `locale_from:` do. Each masker gets its rows as one batch of their own (its {@link BatchContext}
 * gives the same rows of the other columns), and the results come back in row order, with a promise
 * only when one of the maskers needs it.
 *
 * @example Two maskers, alternate rows
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskRowGroups } from "./row_groups.ts";
 * const upper = { mask: (v: readonly (string | null)[]) => v.map((x) => x!.toUpperCase()) };
 * const same = { mask: (v: readonly (string | null)[]) => v.slice() };
 * const batch = { table: { schema: "public", table: "t" }, firstRow: 1, column: () => [] };
 * const out = maskRowGroups(new Map([[upper, [0, 2]], [same, [1]]]), ["a", "b", "c"], batch);
 * assert.deepEqual(out, ["A", "b", "C"]);
 * ```
 *
 * @module
 */
import type { BatchContext, Cell, ColumnMasker } from "./types.ts";

/** The rows `rows` of a batch, as a batch of their own. */
function subBatch(batch: BatchContext, rows: readonly number[]): BatchContext {
  const pick = (cells: readonly Cell[]) => rows.map((r) => cells[r]);
  const masked = batch.masked;
  return {
    table: batch.table,
    firstRow: batch.firstRow,
    column: (name) => pick(batch.column(name)),
    ...(masked ? { masked: (name: string) => pick(masked.call(batch, name)) } : {}),
  };
}

/**
 * Masks the rows of each group with its masker and puts the results back in row order. A group that
 * holds every row gets `values` and `batch` as they are.
 *
 * @param groups the rows (indexes into `values`, together each row once) of each masker.
 */
export function maskRowGroups(
  groups: ReadonlyMap<ColumnMasker, readonly number[]>,
  values: readonly Cell[],
  batch: BatchContext,
): Cell[] | Promise<Cell[]> {
  for (const [masker, rows] of groups) if (rows.length === values.length) return masker.mask(values, batch);
  const out = new Array<Cell>(values.length);
  const pending: Promise<void>[] = [];
  for (const [masker, rows] of groups) {
    if (rows.length === 0) continue;
    const got = masker.mask(rows.map((r) => values[r]), subBatch(batch, rows));
    const place = (masked: Cell[]) => {
      for (let i = 0; i < rows.length; i++) out[rows[i]] = masked[i];
    };
    if (got instanceof Promise) pending.push(got.then(place));
    else place(got);
  }
  return pending.length > 0 ? Promise.all(pending).then(() => out) : out;
}
