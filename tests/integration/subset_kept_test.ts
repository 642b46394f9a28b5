/**
 * The kept rows computed once (subset/kept.ts): read back by address, in batches far smaller than a
 * table and across the partitions of a partitioned table, they are exactly the rows each table's own
 * filter selects; every filtered table is reported once with its number of rows.
 */
import assert from "node:assert/strict";
import { parsePolicy } from "../../config/load.ts";
import { introspect } from "../../pg/introspect.ts";
import { SourceSnapshot } from "../../pg/source.ts";
import { planSubset } from "../../subset/plan.ts";
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

Deno.test("KeptRows reads each table's kept rows by address in batches: the rows its filter selects", async () => {
  const name = await createDb("subset_kept");
  try {
    const url = dbUrl(name);
    await exec(url, SEED_SQL + EVENTS_SQL);
    const loaded = parsePolicy(
      ["version: 1", `source: ${url}`, `target: ${url}`, "unlisted: keep", SUBSET_YAML].join("\n"),
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
        const info = catalog.tables.get(f.table)!;
        const spec = {
          schema: info.schema,
          table: info.table,
          kind: info.kind,
          columns: info.columns.map((c) => c.column),
        };
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
    } finally {
      await snapshot.close();
    }
  } finally {
    await dropDb(name);
  }
});
