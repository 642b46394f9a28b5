/**
 * The subset as SQL: per copied table, a filter (`WHERE` body) evaluated by the source inside the run's
 * snapshot, so the closure is computed by PostgreSQL and never held by PrivaCI.
 *
 * The kept rows are one recursive query, `privaci_kept(t, r, id, d, k)`: the table's number in the plan,
 * the row's `tableoid` and `ctid` (a row's address, stable inside one snapshot), whether the row pulls in
 * its children (`d`: roots and children do, rows kept as parents do not), and the values (as text) of the
 * row's columns that relations join on. Its first term selects the roots; each further step joins the
 * rows found in the previous step, by those values, to the tables they reference or are referenced by,
 * following every relation once, set at a time (a materialized `w` lets one step read the previous one
 * for every relation, since PostgreSQL allows a single reference to a recursive query). `UNION` drops
 * the rows already found, so cycles end. Connected tables keep the rows not in `privaci_bad`: rows with a
 * reference to a reached row that is not kept, and the rows referencing those, recursively.
 *
 * Every table's filter repeats the whole query, so a filter alone costs one closure: it serves where one
 * table is looked at (a dry run's or `verify`'s count, `preview`). A run instead computes the closure
 * once, with {@link subsetRows}: one query for the kept rows' addresses of every filtered table, in the
 * snapshot every table is read from, so all reads agree (kept.ts holds its result).
 *
 * @module
 */
import type { Subset, SubsetRoot } from "../config/schema.ts";
import type { Catalog, TableInfo } from "../pg/introspect.ts";
import { fromTable, quoteIdent, quoteTable } from "../pg/source.ts";
import type { Edge } from "./edges.ts";
import type { SubsetGraph } from "./graph.ts";
import type { Chunk } from "../pg/units.ts";

/** How a table takes part in the subset. */
export type SubsetRole = "root" | "child" | "parent" | "connected" | "whole";

/** One copied table's part of the subset. */
export interface SubsetFilter {
  table: string;
  role: SubsetRole;
  /** Which rows, in words: `where id % 10 = 0`, `rows referencing kept rows of public.customers`, … */
  rule: string;
  /** The `WHERE` body selecting its rows; absent for a table copied whole. */
  where?: string;
}

/**
 * The kept rows of every filtered table in one query, the closure computed once: `(t, r, id)` rows (append
 * `order by t, r, id` to have them sorted), where `tables[t]` names the table, `r` is the row's `tableoid`
 * and `id` its `ctid` in the snapshot.
 */
export interface SubsetRows {
  sql: string;
  tables: string[];
  /**
   * Per filtered table with references cut by `dangling: null` to a filtered table, the columns each
   * character of `n` (see {@link keptSql}) stands for.
   */
  nulls: Map<string, string[][]>;
  /**
   * The same rows as the run reads them, `(t, r, id, n, u)` (append `order by t, u, r, id`):
   * - `n`, for the cut references of {@link nulls}, one character per entry: `1` where the row's
   *   reference is to a row that is not kept (its columns are read as NULL), `0` where it is kept; empty
   *   for a table without such references;
   * - `u`, the index of the row's chunk among `chunks` (key ranges, plan/chunks.ts): each chunk's kept
   *   rows are read as a unit of their own; 0 for a table not split.
   */
  keptSql(chunks: ReadonlyMap<string, readonly Chunk[]>): string;
}
/** Builds the query of every filtered table's kept rows (see {@link SubsetRows}). */
export function subsetRows(subset: Subset, graph: SubsetGraph, catalog: Catalog, salt: string): SubsetRows {
  return new SubsetSql(subset, graph, catalog, salt).rows();
}

/** Builds every copied table's filter. `salt` keys the `percent` samples (hex; derived from the policy key). */
export function subsetFilters(
  subset: Subset,
  graph: SubsetGraph,
  catalog: Catalog,
  salt: string,
): SubsetFilter[] {
  const sql = new SubsetSql(subset, graph, catalog, salt);
  return [...catalog.tables.keys()].map((table) => sql.filter(table));
}

/** The SQL of one subset; see the module doc. */
class SubsetSql {
  #subset: Subset;
  #graph: SubsetGraph;
  #catalog: Catalog;
  #salt: string;
  #index: Map<string, number>;

  constructor(subset: Subset, graph: SubsetGraph, catalog: Catalog, salt: string) {
    this.#subset = subset;
    this.#graph = graph;
    this.#catalog = catalog;
    this.#salt = salt;
    const tables = [...graph.reached, ...graph.connected].sort();
    this.#index = new Map(tables.map((t, i) => [t, i]));
  }

  filter(table: string): SubsetFilter {
    const g = this.#graph;
    const self = quoteTable(this.#info(table));
    const match = (cte: string, rows: string) =>
      `exists (select 1 from (with recursive ${cte} select r, id from ${rows} where t = ${
        this.#i(table)
      }) s` +
      ` where s.r = ${self}.tableoid and s.id = ${self}.ctid)`;
    const names = (tables: string[]) => [...new Set(tables)].sort().join(", ");
    const root = this.#subset.roots[table];
    const parents = g.edges.filter((e) => e.child === table && e.parent !== table).map((e) => e.parent);
    const children = g.edges.filter((e) => e.parent === table && e.child !== table && g.reached.has(e.child))
      .map((e) => e.child);
    if (g.reached.has(table)) {
      const where = match(this.kept(), "privaci_kept");
      if (root !== undefined) return { table, role: "root", rule: describeRoot(root), where };
      if (g.down.has(table)) {
        const via = names(parents.filter((p) => g.down.has(p)));
        return {
          table,
          role: "child",
          rule: `rows referencing kept rows of ${via}, and their parents`,
          where,
        };
      }
      return { table, role: "parent", rule: `rows referenced by kept rows of ${names(children)}`, where };
    }
    if (g.connected.has(table)) {
      return {
        table,
        role: "connected",
        rule: `rows whose every reference to ${names(parents)} is kept`,
        where: `not ${match(`${this.kept()}, ${this.bad()}`, "privaci_bad")}`,
      };
    }
    return { table, role: "whole", rule: "every row" };
  }

  /** See {@link SubsetRows}. */
  rows(): SubsetRows {
    const g = this.#graph;
    const tables = [...this.#index.keys()];
    if (tables.length === 0) return { sql: "", tables, nulls: new Map(), keptSql: () => "" };
    const connected = [...g.connected].sort().map((t) =>
      `select ${this.#i(t)}, x.tableoid, x.ctid from ${this.#from(t)} x where not exists` +
      ` (select 1 from privaci_bad b where b.t = ${this.#i(t)} and b.r = x.tableoid and b.id = x.ctid)`
    );
    const ctes = [this.kept(), ...(connected.length > 0 ? [this.bad()] : [])];
    const parts = [`select distinct t, r, id from privaci_kept`, ...connected];
    // Its columns' names are unlike a table's, so that a chunk's range (`"id" >= …`) names the table's
    // column. Referenced more than once (with cut references or chunks), it is computed once: PostgreSQL
    // materializes it.
    ctes.push(`privaci_rows(privaci_t, privaci_r, privaci_id) as (${parts.join(" union all ")})`);
    const head = `with recursive ${ctes.join(", ")}`;
    const nulls = this.#nulls();
    const keptSql = (chunks: ReadonlyMap<string, readonly Chunk[]>) => {
      const split = (t: string) => (chunks.get(t)?.filter((c) => c.where !== undefined).length ?? 0) > 0;
      const joined = tables.filter((t) => nulls.has(t) || split(t));
      const rest = joined.map((t) => this.#i(t));
      return `${head} ` + [
        `select privaci_t as t, privaci_r as r, privaci_id as id, ''::text as n, 0 as u from privaci_rows` +
        (rest.length > 0 ? ` where privaci_t not in (${rest.join(", ")})` : ""),
        ...joined.map((t) =>
          `select s.privaci_t, s.privaci_r, s.privaci_id, ${
            nulls.has(t) ? this.#cutFlags(nulls.get(t)!) : "''"
          }, ${unitOf(chunks.get(t) ?? [])} from privaci_rows s join ${
            this.#from(t)
          } x on x.tableoid = s.privaci_r and x.ctid = s.privaci_id` +
          ` where s.privaci_t = ${this.#i(t)}`
        ),
      ].join(" union all ");
    };
    return {
      sql: `${head} select privaci_t as t, privaci_r as r, privaci_id as id from privaci_rows`,
      tables,
      nulls: new Map([...nulls].map(([t, edges]) => [t, edges.map((e) => e.nulled ?? e.childColumns)])),
      keptSql,
    };
  }

  /**
   * Per filtered table, its references cut by `dangling: null` whose referenced table is filtered too
   * (a cut into a table copied whole keeps every reference; into one not copied, none).
   */
  #nulls(): Map<string, Edge[]> {
    const out = new Map<string, Edge[]>();
    for (const e of this.#graph.cut) {
      if (!this.#index.has(e.child) || !this.#index.has(e.parent)) continue;
      out.set(e.child, [...out.get(e.child) ?? [], e]);
    }
    return out;
  }

  /**
   * `n` of a row `x` of a table whose cut references are `edges` (see {@link SubsetRows}): whether each
   * one's row is kept.
   */
  #cutFlags(edges: readonly Edge[]): string {
    const flags = edges.map((e) => {
      const refs = e.childColumns.map((c) => `x.${quoteIdent(c)}`).join(", ");
      const keys = e.parentColumns.map((c) => `p.${quoteIdent(c)}`).join(", ");
      return `case when (${refs}) in (select ${keys} from privaci_rows k join ${this.#from(e.parent)} p` +
        ` on p.tableoid = k.privaci_r and p.ctid = k.privaci_id where k.privaci_t = ${
          this.#i(e.parent)
        }) then '0' else '1' end`;
    });
    return flags.join(" || ");
  }

  /** The recursive query of the kept rows. */
  kept(): string {
    const g = this.#graph;
    const roots = Object.entries(this.#subset.roots).filter(([t]) => g.reached.has(t)).map(([t, root]) =>
      `select ${this.#i(t)}, x.tableoid, x.ctid, true, ${this.#keys(t, "x")} from ${this.#from(t)} x` +
      ` where ${this.root(t, root)}`
    );
    const steps: string[] = [];
    for (const e of g.edges) {
      const down = this.#subset.follow === "all" && g.down.has(e.parent) && g.down.has(e.child) &&
        !this.#subset.exclude_children.includes(e.child);
      if (down) {
        // Children of the parent rows found last step: their key values are in `w.k`, so the child
        // table is joined on them directly (an index on its referencing columns serves).
        const on = e.childColumns.map((c, n) =>
          `c.${quoteIdent(c)} = (w.k[${this.#key(e.parent, e.parentColumns[n])}])::${this.#type(e.child, c)}`
        ).join(" and ");
        steps.push(
          `select ${this.#i(e.child)}, c.tableoid, c.ctid, true, ${this.#keys(e.child, "c")} from w` +
            ` join ${this.#from(e.child)} c on ${on} where w.t = ${this.#i(e.parent)} and w.d`,
        );
      }
      if (g.reached.has(e.child)) {
        const on = e.parentColumns.map((c, n) =>
          `p.${quoteIdent(c)} = (w.k[${this.#key(e.child, e.childColumns[n])}])::${this.#type(e.parent, c)}`
        ).join(" and ");
        steps.push(
          `select ${this.#i(e.parent)}, p.tableoid, p.ctid, false, ${this.#keys(e.parent, "p")} from w` +
            ` join ${this.#from(e.parent)} p on ${on} where w.t = ${this.#i(e.child)}`,
        );
      }
    }
    return `privaci_kept(t, r, id, d, k) as (${roots.join(" union all ")}${
      recursive("privaci_kept", steps)
    })`;
  }

  /**
   * The columns of `table` a step reads from its kept rows (those its relations join on), in a fixed
   * order: `privaci_kept.k` holds their values as text.
   */
  #keyColumns(table: string): string[] {
    const cols = this.#graph.edges.flatMap((e) => [
      ...(e.child === table ? e.childColumns : []),
      ...(e.parent === table ? e.parentColumns : []),
    ]);
    return [...new Set(cols)].sort();
  }

  /** `array[alias.a::text, …]`: the key values of a row of `table`. */
  #keys(table: string, alias: string): string {
    const cols = this.#keyColumns(table).map((c) => `${alias}.${quoteIdent(c)}::text`);
    return `array[${cols.join(", ")}]::text[]`;
  }

  /** The 1-based place of `column` in the key values of `table`. */
  #key(table: string, column: string): number {
    return this.#keyColumns(table).indexOf(column) + 1;
  }

  /** The SQL type of a column, to read its value back from text. */
  #type(table: string, column: string): string {
    return this.#info(table).columns.find((c) => c.column === column)!.type;
  }

  /** The recursive query of the connected tables' rows that are not kept (call after {@link kept}). */
  bad(): string {
    const g = this.#graph;
    const base: string[] = [];
    const steps: string[] = [];
    for (const e of g.edges) {
      if (!g.connected.has(e.child)) continue;
      if (g.reached.has(e.parent)) {
        const notNull = e.childColumns.map((c) => `c.${quoteIdent(c)} is not null`).join(" and ");
        base.push(
          `select ${this.#i(e.child)}, c.tableoid, c.ctid from ${this.#from(e.child)} c where ${notNull}` +
            ` and not exists (select 1 from privaci_kept k join ${this.#from(e.parent)} p` +
            ` on p.tableoid = k.r and p.ctid = k.id where k.t = ${this.#i(e.parent)} and ${joinOn(e)})`,
        );
      } else if (g.connected.has(e.parent)) {
        steps.push(
          `select ${this.#i(e.child)}, c.tableoid, c.ctid from w join ${this.#from(e.parent)} p` +
            ` on p.tableoid = w.r and p.ctid = w.id join ${this.#from(e.child)} c on ${joinOn(e)}` +
            ` where w.t = ${this.#i(e.parent)}`,
        );
      }
    }
    return `privaci_bad(t, r, id) as (${base.join(" union all ")}${recursive("privaci_bad", steps)})`;
  }

  /** The predicate on `x` (a row of `table`) of a root. */
  root(table: string, root: SubsetRoot): string {
    if (root.where !== undefined) return `(${root.where})`;
    const info = this.#info(table);
    if (root.percent !== undefined) {
      // The first 32 bits of md5(salt || key) against the share: keyed, deterministic, and the same
      // rows for the same key and data whatever their physical order.
      const key = info.primaryKey.length === 1
        ? `x.${quoteIdent(info.primaryKey[0])}::text`
        : info.primaryKey.length > 1
        ? `row(${info.primaryKey.map((c) => `x.${quoteIdent(c)}`).join(", ")})::text`
        : `x::text`;
      const threshold = Math.floor((root.percent / 100) * 2 ** 32);
      return `('x' || substr(md5('${this.#salt}' || ${key}), 1, 8))::bit(32)::int8 < ${threshold}`;
    }
    const order = [root.order_by ?? []].flat().map((c) => `y.${quoteIdent(c)}`).join(", ");
    return `(x.tableoid, x.ctid) in (select y.tableoid, y.ctid from ${this.#from(table)} y` +
      ` order by ${order}, y.tableoid, y.ctid limit ${root.limit})`;
  }

  #i(table: string): number {
    return this.#index.get(table)!;
  }

  #info(table: string): TableInfo {
    return this.#catalog.tables.get(table)!;
  }

  #from(table: string): string {
    return fromTable(this.#info(table));
  }
}

/** `u` of a row `x` (see {@link SubsetRows.keptSql}): the index of the chunk whose key range holds it. */
function unitOf(chunks: readonly Chunk[]): string {
  const ranged = chunks.filter((c) => c.where !== undefined);
  if (ranged.length === 0) return "0";
  return `case ${ranged.map((c) => `when (${c.where}) then ${c.index}`).join(" ")} end`;
}

/** A root's rule in words. */
function describeRoot(root: SubsetRoot): string {
  if (root.where !== undefined) return `where ${root.where}`;
  if (root.percent !== undefined) return `${root.percent}% keyed sample`;
  return `first ${root.limit} by ${[root.order_by ?? []].flat().join(", ")}`;
}

/** `c.a = p.b and …` for an edge between aliases `c` (child) and `p` (parent). */
function joinOn(e: Edge): string {
  return e.childColumns.map((c, i) => `c.${quoteIdent(c)} = p.${quoteIdent(e.parentColumns[i])}`).join(
    " and ",
  );
}

/** The recursive term of `name` from its steps, each reading the previous step's rows as `w`. */
function recursive(name: string, steps: readonly string[]): string {
  if (steps.length === 0) return "";
  return ` union (with w as materialized (select * from ${name}) ${steps.join(" union all ")})`;
}
