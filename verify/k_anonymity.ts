/**
 * Re-identification risk for tables whose policy declares `quasi_identifiers`: the rows of the masked
 * copy grouped by those columns, the smallest group (k of k-anonymity), the share of rows in groups
 * smaller than `k_min`, and the same with each quasi-identifier left out, which shows the column whose
 * generalisation helps most.
 *
 * @module
 */
import { fromTable, quoteIdent } from "../pg/source.ts";
import type { TablePlan } from "../plan/plan.ts";
import type { Finding, KAnonymityResult } from "./findings.ts";
import type { Session } from "./_ship.ts";

/** The policy's default `k_min`. */
export const DEFAULT_K_MIN = 5;
/** Group sizes above this are pooled into one histogram bar. */
const HISTOGRAM_MAX = 20;

/** Measures k-anonymity of one table in the target. */
export async function kAnonymity(
  target: Session,
  table: TablePlan,
  options: { quasiIdentifiers: readonly string[]; kMin?: number },
): Promise<KAnonymityResult> {
  const kMin = options.kMin ?? DEFAULT_K_MIN;
  const qi = [...options.quasiIdentifiers];
  const sizes = await groupSizes(target, table, qi);
  const base = summarise(sizes, kMin);
  const withoutColumn = [];
  if (qi.length > 1) {
    for (const column of qi) {
      const s = summarise(await groupSizes(target, table, qi.filter((q) => q !== column)), kMin);
      withoutColumn.push({ column, shareBelow: s.shareBelow, k: s.k });
    }
    withoutColumn.sort((a, b) => a.shareBelow - b.shareBelow || b.k - a.k);
  }
  const histogram = new Map<number, number>();
  for (const { size, groups } of sizes) {
    const bar = Math.min(size, HISTOGRAM_MAX + 1);
    histogram.set(bar, (histogram.get(bar) ?? 0) + groups);
  }
  return {
    table: table.name,
    quasiIdentifiers: qi,
    kMin,
    rows: base.rows,
    k: base.k,
    shareBelow: base.shareBelow,
    histogram: [...histogram].sort((a, b) => a[0] - b[0]).map(([size, groups]) => ({ size, groups })),
    withoutColumn,
  };
}

/** How many groups of each size the rows form over `columns` (NULL is a value like any other). */
async function groupSizes(
  target: Session,
  table: TablePlan,
  columns: readonly string[],
): Promise<{ size: number; groups: number }[]> {
  const rows = await target.unsafe<{ size: string; groups: string }[]>(
    `select size::text, count(*)::text as groups from (select count(*) as size from ${
      fromTable(table.info)
    } group by ${columns.map(quoteIdent).join(", ")}) g group by size order by size`,
  );
  return rows.map((r) => ({ size: Number(r.size), groups: Number(r.groups) }));
}

function summarise(sizes: readonly { size: number; groups: number }[], kMin: number) {
  let rows = 0;
  let below = 0;
  for (const { size, groups } of sizes) {
    rows += size * groups;
    if (size < kMin) below += size * groups;
  }
  return { rows, k: sizes.length === 0 ? 0 : sizes[0].size, shareBelow: rows === 0 ? 0 : below / rows };
}

/** The finding of a table whose rows are not all in groups of at least `k_min`: high when some row is unique. */
export function kAnonymityFinding(r: KAnonymityResult): Omit<Finding, "policy"> | null {
  if (r.shareBelow === 0) return null;
  const below = Math.round(r.shareBelow * r.rows);
  const best = r.withoutColumn[0];
  const hint = best
    ? `; generalising ${best.column} helps most (without it: k = ${best.k}, ${
      (best.shareBelow * 100).toFixed(1)
    }% below)`
    : "";
  return {
    table: r.table,
    column: r.quasiIdentifiers.join(", "),
    check: "k-anonymity",
    risk: r.k === 1 ? "high" : "medium",
    count: below,
    message: `k = ${r.k} over (${r.quasiIdentifiers.join(", ")}): ${below} of ${r.rows} rows (${
      (r.shareBelow * 100).toFixed(1)
    }%) are in groups smaller than k_min ${r.kMin}${hint}`,
  };
}
