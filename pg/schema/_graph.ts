/**
 * pg_depend read once and folded onto the objects the planner renders: a column default counts as its
 * table, a view's rewrite rule as its view, a table's row type as its table, an array type as its element,
 * a domain constraint as its domain, a constraint's index as its constraint. Keys look like `rel:16401`;
 * objects the planner does not render (operator classes, languages, …) get `oth:<catalog>:<oid>`, so an
 * extension providing them is still found.
 *
 * @module
 */
import type postgres from "postgres";

/** One dependency between two rendered objects: `from` needs `to`. */
export interface Edge {
  from: string;
  to: string;
  /** pg_depend.deptype: `n` normal, `a` auto, `i` internal, `e` extension member. */
  type: string;
  /** relkind of `from` when it is a relation, else empty. */
  fromKind: string;
}

/** The dependency graph of user objects (oid ≥ 16384). */
export interface Graph {
  edges: Edge[];
  /** Keys that depend on each key (`n`, `a`, `i`). */
  out: Map<string, Edge[]>;
  /** Keys that depend on each key, by dependent. */
  into: Map<string, Edge[]>;
  /** Key of each extension member → key of its extension. */
  memberOf: Map<string, string>;
}

function keyOf(cls: string, obj: string): string {
  return `case ${cls}
    when 'pg_class'::regclass then coalesce(
      (select 'con:' || k.oid from pg_constraint k where k.conindid = ${obj} and k.contype in ('p', 'u', 'x')
          and k.conrelid = (select i.indrelid from pg_index i where i.indexrelid = ${obj})),
      (select case when r.relkind = 'c' then 'type:' || r.reltype else 'rel:' || r.oid end
         from pg_class r where r.oid = ${obj}))
    when 'pg_type'::regclass then (
      select case when e.typtype = 'c' and er.relkind <> 'c' then 'rel:' || e.typrelid
                  when e.typtype = 'm' then 'type:' || (select g.rngtypid from pg_range g where g.rngmultitypid = e.oid)
                  else 'type:' || e.oid end
        from pg_type t
        join pg_type e on e.oid = case when t.typcategory = 'A' and t.typelem <> 0 then t.typelem else t.oid end
        left join pg_class er on er.oid = e.typrelid
       where t.oid = ${obj})
    when 'pg_attrdef'::regclass then (select 'rel:' || ad.adrelid from pg_attrdef ad where ad.oid = ${obj})
    when 'pg_rewrite'::regclass then (select 'rel:' || w.ev_class from pg_rewrite w where w.oid = ${obj})
    when 'pg_constraint'::regclass then (
      select case when k.contypid <> 0 then 'type:' || k.contypid
                  when k.contype = 'n' then 'rel:' || k.conrelid
                  else 'con:' || k.oid end
        from pg_constraint k where k.oid = ${obj})
    when 'pg_proc'::regclass then 'proc:' || ${obj}
    when 'pg_trigger'::regclass then 'trg:' || ${obj}
    when 'pg_namespace'::regclass then 'nsp:' || ${obj}
    when 'pg_extension'::regclass then 'ext:' || ${obj}
    when 'pg_statistic_ext'::regclass then 'stx:' || ${obj}
    else 'oth:' || ${cls} || ':' || ${obj} end`;
}

/** Reads pg_depend between user objects and folds it onto rendered keys. */
export async function readGraph(sql: postgres.Sql | postgres.TransactionSql): Promise<Graph> {
  const rows = await sql.unsafe<{ from: string; to: string; type: string; from_kind: string | null }[]>(`
    select distinct ${keyOf("dep.classid", "dep.objid")} as from, ${
    keyOf("dep.refclassid", "dep.refobjid")
  } as to,
           dep.deptype as type,
           case when dep.classid = 'pg_class'::regclass
                then (select c.relkind::text from pg_class c where c.oid = dep.objid) end as from_kind
      from pg_depend dep
     where dep.objid >= 16384 and dep.refobjid >= 16384 and dep.deptype in ('n', 'a', 'i', 'e')`);
  const graph: Graph = { edges: [], out: new Map(), into: new Map(), memberOf: new Map() };
  for (const r of rows) {
    if (r.from === null || r.to === null || r.from === r.to) continue;
    const edge: Edge = { from: r.from, to: r.to, type: r.type, fromKind: r.from_kind ?? "" };
    if (edge.type === "e") {
      graph.memberOf.set(edge.from, edge.to);
      continue;
    }
    graph.edges.push(edge);
    push(graph.out, edge.from, edge);
    push(graph.into, edge.to, edge);
  }
  return graph;
}

function push(map: Map<string, Edge[]>, key: string, edge: Edge): void {
  const list = map.get(key);
  if (list) list.push(edge);
  else map.set(key, [edge]);
}

/**
 * Everything the seeds need, transitively: what they reference or belong to (normal and auto dependencies)
 * and what belongs to them (auto and internal dependents such as partitions, owned sequences, constraints,
 * triggers). Extension
 * members are not entered; their extensions are returned instead.
 */
export function closure(
  graph: Graph,
  seeds: Iterable<string>,
): { keys: Set<string>; extensions: Set<string> } {
  const keys = new Set<string>();
  const extensions = new Set<string>();
  const todo: string[] = [];
  const visit = (k: string) => {
    const ext = graph.memberOf.get(k);
    if (ext !== undefined) {
      extensions.add(ext);
      return;
    }
    if (k.startsWith("ext:")) {
      extensions.add(k);
      return;
    }
    if (!keys.has(k)) {
      keys.add(k);
      todo.push(k);
    }
  };
  for (const s of seeds) visit(s);
  while (todo.length > 0) {
    const k = todo.pop()!;
    // What it references, and what it belongs to (a partition's parent, an index's table).
    for (const e of graph.out.get(k) ?? []) if (e.type === "n" || e.type === "a") visit(e.to);
    for (const e of graph.into.get(k) ?? []) if (e.type === "a" || e.type === "i") visit(e.from);
  }
  return { keys, extensions };
}

/**
 * Ordering dependencies per key. A sequence's auto dependency on the column that owns it is left out: the
 * column default needs the sequence first, and `OWNED BY` is a separate later step.
 */
export function orderingDeps(graph: Graph): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    if (e.type === "a" && e.fromKind === "S") continue;
    let set = deps.get(e.from);
    if (!set) deps.set(e.from, set = new Set());
    set.add(e.to);
  }
  return deps;
}
