/**
 * A subset of a generated 100-table graph (a chain as deep as the graph, side references, a
 * self-reference and a cycle through eleven tables) holds exactly the rows an independent, row-by-row
 * reference computes in memory from the same data, and every foreign key of the target is valid.
 */
import assert from "node:assert/strict";
import { run } from "../../execute/run.ts";
import { connect, createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import { policyFor } from "../fixtures/core/policy.ts";
import { withDeadline } from "../_deadline.ts";
import { ORPHANS_SQL } from "../fixtures/subset/graph_db.ts";
import { deepGraphSql, graphTable } from "../fixtures/subset/deep_graph.ts";

const GRAPH = { tables: 100, rows: 40 };
const ROOT = graphTable(50);
const EXCLUDED = graphTable(80);

interface Fk {
  child: string;
  column: string;
  parent: string;
}

type Rows = Map<string, Map<number, Record<string, number | null>>>;

/** The subset by its definition, row by row: roots, children, parents, connected tables, whole tables. */
function reference(rows: Rows, fks: readonly Fk[]): Map<string, number> {
  const tables = [...rows.keys()];
  // Which tables take part how, from the relations alone.
  const down = new Set([ROOT]);
  const grow = (set: Set<string>, next: (fk: Fk) => string | null) => {
    for (let changed = true; changed;) {
      changed = false;
      for (const fk of fks) {
        const t = next(fk);
        if (t !== null && !set.has(t)) changed = set.add(t) !== null;
      }
    }
  };
  grow(down, (fk) => down.has(fk.parent) && fk.child !== EXCLUDED ? fk.child : null);
  const reached = new Set(down);
  grow(reached, (fk) => reached.has(fk.child) ? fk.parent : null);
  const connected = new Set<string>();
  grow(
    connected,
    (fk) => !reached.has(fk.child) && (reached.has(fk.parent) || connected.has(fk.parent)) ? fk.child : null,
  );

  const kept = new Map<string, Set<number>>(tables.map((t) => [t, new Set()]));
  const pulls = new Map<string, Set<number>>(tables.map((t) => [t, new Set()]));
  for (const id of rows.get(ROOT)!.keys()) if (id <= 20) pulls.get(ROOT)!.add(id);
  for (let changed = true; changed;) {
    changed = false;
    for (const fk of fks) {
      if (!down.has(fk.parent) || !down.has(fk.child) || fk.child === EXCLUDED) continue;
      for (const [id, row] of rows.get(fk.child)!) {
        const ref = row[fk.column];
        if (ref !== null && pulls.get(fk.parent)!.has(ref) && !pulls.get(fk.child)!.has(id)) {
          changed = pulls.get(fk.child)!.add(id) !== null;
        }
      }
    }
  }
  for (const t of tables) for (const id of pulls.get(t)!) kept.get(t)!.add(id);
  for (let changed = true; changed;) {
    changed = false;
    for (const fk of fks) {
      for (const id of kept.get(fk.child)!) {
        const ref = rows.get(fk.child)!.get(id)![fk.column];
        if (ref !== null && !kept.get(fk.parent)!.has(ref)) changed = kept.get(fk.parent)!.add(ref) !== null;
      }
    }
  }
  for (const t of connected) for (const id of rows.get(t)!.keys()) kept.get(t)!.add(id);
  for (let changed = true; changed;) {
    changed = false;
    for (const fk of fks) {
      if (!connected.has(fk.child) || !(reached.has(fk.parent) || connected.has(fk.parent))) continue;
      for (const id of [...kept.get(fk.child)!]) {
        const ref = rows.get(fk.child)!.get(id)![fk.column];
        if (ref !== null && !kept.get(fk.parent)!.has(ref)) changed = kept.get(fk.child)!.delete(id);
      }
    }
  }
  return new Map(
    tables.map((t) => [t, reached.has(t) || connected.has(t) ? kept.get(t)!.size : rows.get(t)!.size]),
  );
}

Deno.test("run() subsets a 100-table graph with two cycles exactly as the definition says", async () => {
  const names = [await createDb("graph_src"), await createDb("graph_dst")];
  const [sourceUrl, targetUrl] = names.map(dbUrl);
  try {
    await exec(sourceUrl, deepGraphSql(GRAPH));
    const yaml = [
      "schema: copy",
      "subset:",
      "  roots:",
      `    public.${ROOT}: { where: "id <= 20" }`,
      "  follow: all",
      `  exclude_children: [public.${EXCLUDED}]`,
    ].join("\n");
    await withDeadline(run(policyFor(sourceUrl, targetUrl, yaml), { jobs: 2 }), 300_000, "the run");

    const sql = connect(sourceUrl);
    const rows: Rows = new Map();
    let fks: Fk[];
    try {
      fks = (await sql.unsafe<Fk[]>(`
        select c.conrelid::regclass::text as child, a.attname as column, c.confrelid::regclass::text as parent
          from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
         where c.contype = 'f'`)).map((f) => ({ ...f }));
      for (let i = 0; i < GRAPH.tables; i++) {
        const t = graphTable(i);
        const data = await sql.unsafe<Record<string, number | null>[]>(`select * from ${t}`);
        rows.set(t, new Map(data.map((r) => [r.id as number, { ...r }])));
      }
    } finally {
      await sql.end();
    }
    const expected = reference(rows, fks);

    const target = connect(targetUrl);
    try {
      const got = new Map<string, number>();
      for (const t of rows.keys()) {
        got.set(t, Number((await target.unsafe(`select count(*)::int as n from ${t}`))[0].n));
      }
      assert.deepEqual(got, expected);
      const total = [...got.values()].reduce((a, b) => a + b, 0);
      assert.ok(total > 0 && total < GRAPH.tables * GRAPH.rows, `${total} rows: not a subset`);
      const constraints = await target.unsafe<{ name: string; query: string }[]>(ORPHANS_SQL);
      assert.equal(constraints.length, fks.length);
      for (const c of constraints) assert.equal(Number((await target.unsafe(c.query))[0].count), 0, c.name);
    } finally {
      await target.end();
    }
  } finally {
    for (const n of names) await dropDb(n);
  }
});
