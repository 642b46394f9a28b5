/**
 * The relations a subset follows: the catalog's foreign keys between copied tables and the policy's
 * virtual foreign keys, each with whether its referencing columns may be NULL and whether the policy cut
 * it (`dangling: null`). Problems in `subset.virtual_foreign_keys` and `subset.foreign_keys` (unknown
 * tables or columns, differing types, a cut on a NOT NULL column) are diagnostics at their policy line.
 *
 * @module
 */
import { type Diagnostic, diagnostic, type DiagnosticCode } from "../core/diagnostic.ts";
import type { Subset } from "../config/schema.ts";
import type { Catalog, TableInfo } from "../pg/introspect.ts";

/** One relation between two tables, declared or virtual. */
export interface Edge {
  /** The constraint's name, or `virtual <from> -> <to>`. */
  name: string;
  child: string;
  childColumns: string[];
  parent: string;
  parentColumns: string[];
  /** True for a relation from `subset.virtual_foreign_keys`. */
  virtual: boolean;
  /** True when a referencing column may be NULL. */
  nullable: boolean;
  /** True when the policy cut it with `dangling: null`: not followed, references to rows not kept become NULL. */
  cut: boolean;
  /** The referencing columns written as NULL where the referenced row is not kept (when cut). */
  nulled?: string[];
}

/** Points a diagnostic into the policy file. */
export type Locate = (path: (string | number)[]) => { file?: string; line?: number; col?: number };

/** The edges of `catalog` and `subset`, and the problems found in the subset's own relations. */
export function subsetEdges(
  subset: Subset,
  catalog: Catalog,
  at: Locate,
): { edges: Edge[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const issue = (code: DiagnosticCode, path: (string | number)[], message: string) =>
    diagnostics.push(diagnostic(code, message, { ...at(path), path }));
  const edges: Edge[] = catalog.foreignKeys.map((fk) => ({
    name: fk.name,
    child: fk.child,
    childColumns: fk.childColumns,
    parent: fk.parent,
    parentColumns: fk.parentColumns,
    virtual: false,
    nullable: nullable(catalog.tables.get(fk.child), fk.childColumns),
    cut: false,
  }));

  subset.virtual_foreign_keys.forEach((v, i) => {
    const path = ["subset", "virtual_foreign_keys", i];
    const from = resolveColumn(catalog, v.from);
    const to = resolveColumn(catalog, v.to);
    for (const [end, r] of [["from", from], ["to", to]] as const) {
      if (typeof r === "string") {
        issue(r.startsWith("table") ? "TABLE_UNKNOWN" : "COLUMN_UNKNOWN", [...path, end], r);
      }
    }
    if (typeof from === "string" || typeof to === "string") return;
    if (from.type !== to.type) {
      issue(
        "SUBSET_VIRTUAL_KEY_TYPE",
        path,
        `virtual foreign key ${v.from} (${from.type}) -> ${v.to} (${to.type}): the columns' types differ, so their values cannot be compared — point it at columns of the same type`,
      );
      return;
    }
    const cut = "dangling" in v;
    if (cut && from.notNull) {
      issue(
        "SUBSET_DANGLING",
        [...path, "dangling"],
        `${v.from} is NOT NULL, so a reference to a row that is not kept cannot become NULL — remove 'dangling: null'`,
      );
    }
    edges.push({
      name: `virtual ${v.from} -> ${v.to}`,
      child: from.table,
      childColumns: [from.column],
      parent: to.table,
      parentColumns: [to.column],
      virtual: true,
      nullable: !from.notNull,
      cut,
      nulled: [from.column],
    });
  });

  for (const key of Object.keys(subset.foreign_keys)) {
    const path = ["subset", "foreign_keys", key];
    const col = resolveColumn(catalog, key);
    if (typeof col === "string") {
      issue(col.startsWith("table") ? "TABLE_UNKNOWN" : "COLUMN_UNKNOWN", path, col);
      continue;
    }
    const matching = edges.filter((e) =>
      !e.virtual && e.child === col.table && e.childColumns.includes(col.column)
    );
    if (matching.length === 0) {
      issue(
        "COLUMN_UNKNOWN",
        path,
        `${key} is not the referencing column of a foreign key — name a column a foreign key is declared on`,
      );
      continue;
    }
    if (col.notNull) {
      issue(
        "SUBSET_DANGLING",
        [...path, "dangling"],
        `${key} is NOT NULL, so a reference to a row that is not kept cannot become NULL — remove this entry`,
      );
      continue;
    }
    for (const e of matching) Object.assign(e, { cut: true, nulled: [col.column] });
  }
  return { edges, diagnostics };
}

/** A `schema.table.column` found in the catalog, or why not (a message). */
function resolveColumn(
  catalog: Catalog,
  ref: string,
): { table: string; column: string; type: string; notNull: boolean } | string {
  const dot = ref.lastIndexOf(".");
  const table = ref.slice(0, dot);
  const column = ref.slice(dot + 1);
  const info = catalog.tables.get(table);
  if (!info) return `table '${table}' does not exist in the selected schemas of the source`;
  const c = info.columns.find((c) => c.column === column);
  if (!c) return `column '${column}' does not exist in ${table}`;
  return { table, column, type: c.type, notNull: c.notNull };
}

function nullable(info: TableInfo | undefined, columns: readonly string[]): boolean {
  return columns.some((name) => info?.columns.find((c) => c.column === name)?.notNull === false);
}
