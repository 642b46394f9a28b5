/**
 * The kept rows computed once (subset/kept.ts): read back by address, in batches far smaller than a
 * table and across the partitions of a partitioned table, they are exactly the rows each table's own
 * filter selects; every filtered table is reported once with its number of rows.
 */
import assert from "node:assert/strict";
import { parsePolicy } from "../../config/load.ts";
import { type Catalog, introspect } from "../../pg/introspect.ts";
import { type ReadSpec, SourceSnapshot } from "../../pg/source.ts";
import { planSubset, type SubsetPlan } from "../../subset/plan.ts";
import { KeptRows } from "../../subset/kept.ts";
import { createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import { SEED_SQL, SUBSET_YAML } from "../fixtures/subset/graph_db.ts";

/** A partitioned child of customers: its kept rows lie in two partitions, so in two `tableoid`s. */
const EVENTS_SQL = `
create table events (id int, customer_id int references customers, kind text) partition by range (id);
create table events_low partition of events for values from (0) to (500);
create table events_high partition of events for values from (500) to (1000);
insert into events select g, (g % 200) + 1, 'kind ' || g from generate_series(1, 999) g;
analyze;
`;

async function text(stream: ReadableStream<{ bytes: Uint8Array }>): Promise<string[]> {
  const parts: string[] = [];
  for await (const c of stream) parts.push(new TextDecoder().decode(c.bytes));
  return parts.join("").split("\n").filter((l) => l !== "").sort();
}

/** A throwaway database seeded with `seed`, its subset planned from `yaml` inside an open snapshot. */
async function withPlan(
  db: string,
  seed: string,
  yaml: string,
  fn: (ctx: { snapshot: SourceSnapshot; catalog: Catalog; planned: SubsetPlan }) => Promise<void>,
): Promise<void> {
  const name = await createDb(db);
  try {
    const url = dbUrl(name);
    await exec(url, seed);
    const loaded = parsePolicy(
      ["version: 1", `source: ${url}`, `target: ${url}`, "unlisted: keep", yaml].join("\n"),
      { file: "kept.yaml", env: () => undefined },
    );
    const snapshot = await SourceSnapshot.open(url);
    try {
      const catalog = await introspect(snapshot.sql, ["public"]);
      const planned = await planSubset(loaded.policy.subset!, {
        catalog,
        copied: [...catalog.tables.keys()],
        filtered: new Map(),
        sql: snapshot.sql,
        salt: "test",
        at: () => ({}),
      });
      await fn({ snapshot, catalog, planned });
    } finally {
      await snapshot.close();
    }
  } finally {
    await dropDb(name);
  }
}

/** What a read of every column of `table` asks for. */
function readSpec(catalog: Catalog, table: string) {
  const info = catalog.tables.get(table)!;
  return {
    schema: info.schema,
    table: info.table,
    kind: info.kind,
    columns: info.columns.map((c) => c.column),
  };
}

Deno.test("KeptRows reads each table's kept rows by address in batches: the rows its filter selects", async () => {
  await withPlan(
    "subset_kept",
    SEED_SQL + EVENTS_SQL,
    SUBSET_YAML,
    async ({ snapshot, catalog, planned }) => {
      assert.deepEqual(planned.diagnostics, []);
      const reported: [string, number][] = [];
      await using kept = await KeptRows.compute(snapshot, planned.rows!, {
        batchRows: 7,
        onTable: (t, n) => reported.push([t, n]),
      });
      const filtered = planned.filters.filter((f) => f.where !== undefined);
      assert.ok(filtered.some((f) => f.table === "public.events" && f.role === "child"));
      assert.deepEqual(reported.map(([t]) => t).sort(), filtered.map((f) => f.table).sort());
      for (const f of filtered) {
        const spec = readSpec(catalog, f.table);
        const expected = await text(await snapshot.read({ ...spec, where: f.where! }));
        const got = await text(kept.read(snapshot, spec));
        assert.deepEqual(got, expected, f.table);
        assert.equal(kept.counts.get(f.table), expected.length, f.table);
        assert.deepEqual(reported.find(([t]) => t === f.table), [f.table, expected.length]);
      }
      // The partitioned table's rows come from both partitions, and more than one batch each.
      const events = kept.counts.get("public.events")!;
      assert.ok(events > 14, `${events} kept events`);
      const both = await snapshot.sql.unsafe<{ n: string }[]>(
        `select count(distinct tableoid)::text as n from events where ${
          filtered.find((f) => f.table === "public.events")!.where
        }`,
      );
      assert.equal(both[0].n, "2");
    },
  );
});

Deno.test("KeptRows reads a cut reference as NULL where its row is not kept, as the table's own filter does", async () => {
  // Kept employees (account managers 1, 11, 21, …) managed by a kept one, or in a department whose
  // head is kept, and others not.
  const seed = SEED_SQL + "update departments set head_id = 11 where id = 2;" +
    "update employees set dept_id = 3 where id = 1; update employees set manager_id = 11 where id = 21;";
  // employees' manager (a self-reference) and department (departments then hangs on the kept heads:
  // a connected table) are cut: the two read as NULL where the row they name is not kept.
  const yaml = `${SUBSET_YAML}  foreign_keys:\n` +
    "    public.employees.manager_id: { dangling: null }\n" +
    "    public.employees.dept_id: { dangling: null }\n";
  await withPlan("subset_kept_cut", seed, yaml, async ({ snapshot, catalog, planned }) => {
    assert.deepEqual(planned.diagnostics, []);
    assert.deepEqual(planned.rows!.nulls, new Map([["public.employees", [["dept_id"], ["manager_id"]]]]));
    assert.equal(planned.filters.find((f) => f.table === "public.departments")?.role, "connected");
    await using kept = await KeptRows.compute(snapshot, planned.rows!, { batchRows: 3 });
    // Every query the kept rows' reads send, to see that none computes the closure again.
    const sent: string[] = [];
    const spy: SourceSnapshot = Object.assign(Object.create(snapshot), {
      read: (spec: ReadSpec) => {
        sent.push(JSON.stringify(spec));
        return snapshot.read(spec);
      },
    });
    for (const f of planned.filters.filter((f) => f.where !== undefined)) {
      const spec = { ...readSpec(catalog, f.table), expressions: planned.expressions.get(f.table) ?? {} };
      // The filter and the cut references' expressions each compute the closure: the reference.
      const expected = await text(await snapshot.read({ ...spec, where: f.where! }));
      assert.deepEqual(await text(kept.read(spy, spec)), expected, f.table);
    }
    assert.ok(sent.length > planned.rows!.tables.length, `${sent.length} reads`);
    assert.deepEqual(sent.filter((q) => q.includes("privaci_")), []);
    // Both ways occur among the kept employees, so each batch's NULLs are those of its own rows.
    const info = catalog.tables.get("public.employees")!;
    const rows = (await text(kept.read(snapshot, {
      schema: info.schema,
      table: info.table,
      kind: info.kind,
      columns: ["id", "manager_id", "dept_id"],
      expressions: planned.expressions.get("public.employees")!,
    }))).map((l) => l.split("\t"));
    for (const column of [1, 2]) {
      const nulls = rows.filter((r) => r[column] === "\\N").length;
      assert.ok(nulls > 0 && nulls < rows.length, `column ${column}: ${nulls} NULL of ${rows.length}`);
    }
  });
});

Deno.test("KeptRows splits a table's kept rows by its chunks' key ranges, each chunk read on its own", async () => {
  await withPlan(
    "subset_kept_chunks",
    SEED_SQL + EVENTS_SQL,
    SUBSET_YAML,
    async ({ snapshot, catalog, planned }) => {
      // orders in three ranges of its key; events (two partitions) in two that cut across them.
      const chunks = new Map([
        ["public.orders", [
          { index: 0, where: `"id" < 200` },
          { index: 1, where: `"id" >= 200 and "id" < 400` },
          { index: 2, where: `"id" >= 400` },
        ]],
        ["public.events", [{ index: 0, where: `"id" < 700` }, { index: 1, where: `"id" >= 700` }]],
      ]);
      await using kept = await KeptRows.compute(snapshot, planned.rows!, { batchRows: 5, chunks });
      for (const [table, list] of chunks) {
        const f = planned.filters.find((f) => f.table === table)!;
        const spec = readSpec(catalog, table);
        let total = 0;
        for (const c of list) {
          const expected = await text(
            await snapshot.read({ ...spec, where: `(${f.where}) and (${c.where})` }),
          );
          // Read without the range: the chunk's file holds its rows and no other.
          assert.deepEqual(
            await text(kept.read(snapshot, spec, { chunk: c.index })),
            expected,
            `${table}#${c.index}`,
          );
          assert.ok(expected.length > 0, `${table}#${c.index} is empty`);
          total += expected.length;
        }
        assert.equal(kept.counts.get(table), total, table);
      }
      // A table not split is one chunk, 0.
      const info = catalog.tables.get("public.customers")!;
      const spec = { schema: info.schema, table: info.table, kind: info.kind, columns: ["id"] };
      assert.equal((await text(kept.read(snapshot, spec))).length, kept.counts.get("public.customers"));
    },
  );
});
