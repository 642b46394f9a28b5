/**
 * Plans a policy's `subset:` against the source catalog, inside the run's snapshot: checks its roots,
 * relations and cycles (each problem a coded diagnostic at its policy line), then gives every copied
 * table the filter that selects its part of the subset (sql.ts). Rows are not read here; only each
 * root's `where:` is planned by the source (`EXPLAIN`) to find SQL errors before the run starts.
 *
 * @module
 */
import type postgres from "postgres";
import { type Diagnostic, diagnostic, type DiagnosticCode } from "../core/diagnostic.ts";
import type { Subset } from "../config/schema.ts";
import { didYouMean } from "../config/diagnostics.ts";
import type { Catalog } from "../pg/introspect.ts";
import { fromTable, quoteIdent } from "../pg/source.ts";
import { ONE_STATEMENT } from "../pg/connect.ts";
import { pgErrorFields } from "../pg/server_error.ts";
import { type Edge, type Locate, subsetEdges } from "./edges.ts";
import { notNullCycles, subsetGraph } from "./graph.ts";
import { type SubsetFilter, subsetFilters, type SubsetRows, subsetRows } from "./sql.ts";

export type { SubsetFilter, SubsetRole, SubsetRows } from "./sql.ts";

/** What {@link planSubset} needs besides the subset. */
export interface SubsetPlanOptions {
  catalog: Catalog;
  /** The tables being copied (not `rows: skip`). */
  copied: readonly string[];
  /** The `where:` of tables that have one of their own in `tables:`. */
  filtered: ReadonlyMap<string, string>;
  /** A connection inside the run's snapshot, to plan each root's `where:`. */
  sql: postgres.Sql;
  /** Hex key of the `percent` samples, derived from the policy key. */
  salt: string;
  /** Points into the policy file. */
  at: Locate;
}

/** A planned subset: every copied table's filter, or the problems that stop it. */
export interface SubsetPlan {
  /** One per table of the catalog; empty when there is an error. */
  filters: SubsetFilter[];
  /** Per table, SQL read in place of its cut references (`dangling: null`): NULL where the row is not kept. */
  expressions: Map<string, Record<string, string>>;
  /** Every filtered table's kept rows in one query; `null` when there is an error. */
  rows: SubsetRows | null;
  diagnostics: Diagnostic[];
}

/** Checks `subset` and builds every table's filter. */
export async function planSubset(subset: Subset, options: SubsetPlanOptions): Promise<SubsetPlan> {
  const { catalog, at } = options;
  const diagnostics: Diagnostic[] = [];
  const issue = (code: DiagnosticCode, path: (string | number)[], message: string) =>
    diagnostics.push(diagnostic(code, message, { ...at(path), path }));
  const names = [...catalog.tables.keys()];
  const copied = new Set(options.copied);
  const unknown = (path: (string | number)[], table: string) => {
    const near = didYouMean(table, names);
    issue(
      "TABLE_UNKNOWN",
      path,
      `table '${table}' does not exist in the selected schemas of the source${
        near ? ` — did you mean '${near}'?` : ""
      }`,
    );
  };

  for (const [table, root] of Object.entries(subset.roots)) {
    const path = ["subset", "roots", table];
    const info = catalog.tables.get(table);
    if (!info) {
      unknown(path, table);
      continue;
    }
    if (!copied.has(table)) {
      issue(
        "SUBSET_ROOT_INVALID",
        path,
        `root ${table} has 'rows: skip': a subset cannot start in a table it does not copy`,
      );
      continue;
    }
    const cols = info.columns.map((c) => c.column);
    for (const col of [root.order_by ?? []].flat()) {
      if (!cols.includes(col)) {
        const near = didYouMean(col, cols);
        issue(
          "COLUMN_UNKNOWN",
          [...path, "order_by"],
          `column '${col}' does not exist in ${table}${near ? ` — did you mean '${near}'?` : ""}`,
        );
      }
    }
    if (root.where !== undefined) {
      try {
        await options.sql.unsafe(
          `explain select 1 from ${fromTable(info)} x where (${root.where})`,
          [],
          ONE_STATEMENT,
        );
      } catch (e) {
        const f = pgErrorFields(e);
        issue(
          "SUBSET_ROOT_INVALID",
          [...path, "where"],
          `the source cannot apply this filter to ${table}: ${f.summary} — write an SQL condition on ${table}'s columns`,
        );
      }
    }
  }
  subset.exclude_children.forEach((table, i) => {
    if (!catalog.tables.has(table)) unknown(["subset", "exclude_children", i], table);
  });
  const edges = subsetEdges(subset, catalog, at);
  diagnostics.push(...edges.diagnostics);
  if (diagnostics.length > 0) return { filters: [], expressions: new Map(), rows: null, diagnostics };

  const graph = subsetGraph(subset, options.copied, edges.edges);
  const inSubset = new Set([...graph.reached, ...graph.connected]);
  for (const cycle of notNullCycles(inSubset, graph.edges)) {
    const tables = [...cycle.map((e) => e.child), cycle[0].child].join(" -> ");
    issue(
      "SUBSET_CYCLE",
      ["subset"],
      `${tables} reference each other only through NOT NULL keys (${
        cycle.map((e) => e.name).join(", ")
      }): no reference around the cycle can be left NULL where a subset stops — make one of these columns nullable, or take the tables out of the subset ('rows: skip', 'exclude_children')`,
    );
  }
  for (const table of options.filtered.keys()) {
    if (!inSubset.has(table)) continue;
    issue(
      "SUBSET_TABLE_WHERE",
      ["tables", table, "where"],
      `${table} is part of the subset, so its rows are chosen by 'subset:' — a 'where:' of its own would break the references into or out of it; remove it, or make it a root: subset.roots.${table}: { where: … }`,
    );
  }
  if (diagnostics.length > 0) return { filters: [], expressions: new Map(), rows: null, diagnostics };
  const filters = subsetFilters(subset, graph, catalog, options.salt);
  const where = new Map(options.filtered);
  for (const f of filters) if (f.where !== undefined) where.set(f.table, f.where);
  const cuts = edges.edges.filter((e) => e.cut && copied.has(e.child));
  return {
    filters,
    expressions: cutExpressions(cuts, { catalog, copied, where }),
    rows: subsetRows(subset, graph, catalog, options.salt),
    diagnostics,
  };
}

/**
 * The columns of cut references, read as NULL where the referenced row is not kept: always when the
 * referenced table is not copied, never when it is copied whole.
 */
function cutExpressions(
  cuts: readonly Edge[],
  options: { catalog: Catalog; copied: ReadonlySet<string>; where: ReadonlyMap<string, string> },
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const e of cuts) {
    const parentWhere = options.where.get(e.parent);
    if (options.copied.has(e.parent) && parentWhere === undefined) continue;
    const refs = `(${e.childColumns.map(quoteIdent).join(", ")})`;
    const parent = fromTable(options.catalog.tables.get(e.parent)!);
    const kept = `(select ${e.parentColumns.map(quoteIdent).join(", ")} from ${parent} where ${parentWhere})`;
    const exprs = out.get(e.child) ?? {};
    for (const c of e.nulled ?? []) {
      exprs[c] = options.copied.has(e.parent)
        ? `case when ${refs} in ${kept} then ${quoteIdent(c)} end`
        : "null";
    }
    out.set(e.child, exprs);
  }
  return out;
}

/**
 * The rows each filtered table would copy, counted by the source in the snapshot: one query, which
 * computes the closure once for every table. Tables copied whole are left out.
 */
export async function countSubset(sql: postgres.Sql, rows: SubsetRows): Promise<Map<string, number>> {
  const counts = new Map<string, number>(rows.tables.map((t) => [t, 0]));
  if (rows.tables.length === 0) return counts;
  const found = await sql.unsafe<{ t: number; n: string }[]>(
    `select t, count(*)::text as n from (${rows.sql}) c group by t`,
    [],
    ONE_STATEMENT,
  );
  for (const { t, n } of found) counts.set(rows.tables[t], Number(n));
  return counts;
}

/**
 * The subset plan as lines: per table its role, which rows it keeps and, when counted, how many.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSubsetPlan } from "./plan.ts";
 * const lines = formatSubsetPlan(
 *   [{ table: "public.customers", role: "root", rule: "5% keyed sample", where: "…" }],
 *   new Map([["public.customers", 50]]),
 * );
 * assert.deepEqual(lines, ["public.customers  root  5% keyed sample  (50 rows)"]);
 * ```
 */
export function formatSubsetPlan(
  filters: readonly SubsetFilter[],
  counts: ReadonlyMap<string, number> = new Map(),
): string[] {
  const width = Math.max(0, ...filters.map((f) => f.table.length));
  const role = Math.max(0, ...filters.map((f) => f.role.length));
  return filters.map((f) => {
    const n = counts.get(f.table);
    const rows = n === undefined ? "" : `  (${n} row${n === 1 ? "" : "s"})`;
    return `${f.table.padEnd(width)}  ${f.role.padEnd(role)}  ${f.rule}${rows}`;
  });
}
