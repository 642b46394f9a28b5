/**
 * `deno task bench:scan [--tables N] [--rows R] [--scale S] [--skip-wide] [--skip-bench-db]`: times
 * `privaci scan` (the library call, in this process, default sample of 1000 rows) on two sources:
 *
 * - **wide**: N tables (default 1000) × 10 columns × R rows (default 1000), every table the same shape
 *   (id, a person's name, e-mail, phone, city, note with a name in it, amount, timestamp, status, code),
 *   made with one `generate_series` per table;
 * - **bench db**: the benchmark source of `deno task bench` (bench/seed.sql) at scale S (default 1: 1M
 *   customers, 2M orders, 200k tickets), read through a bounded sample.
 *
 * Prints wall time, tables and columns per second, the personal columns found and the process's peak
 * RSS. A benchmark, never a test: the machine's load changes the figures (say how loaded it was).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { scan } from "../scan/scan.ts";
import { ADMIN_URL, createDb, dbUrl, dropDb, psql, seedSource } from "./_db.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    tables: { type: "string" },
    rows: { type: "string" },
    scale: { type: "string" },
    "skip-wide": { type: "boolean" },
    "skip-bench-db": { type: "boolean" },
  },
});
const tables = Number(args.tables ?? 1000);
const rows = Number(args.rows ?? 1000);
const scale = Number(args.scale ?? 1);

function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function timeScan(label: string, url: string): Promise<void> {
  const t0 = performance.now();
  const result = await scan({ source: url });
  const s = (performance.now() - t0) / 1000;
  const columns = result.tables.reduce((n, t) => n + t.columns.length, 0);
  const personal = result.tables.reduce((n, t) => n + t.columns.filter((c) => c.kind !== null).length, 0);
  const sampled = result.tables.reduce((n, t) => n + t.rows, 0);
  console.log(
    `${label}: ${result.tables.length} tables, ${columns} columns (${personal} personal), ${sampled} rows sampled ` +
      `in ${s.toFixed(1)} s (${(result.tables.length / s).toFixed(0)} tables/s); peak RSS ${
        peakRssMb().toFixed(0)
      } MiB; load ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  );
}

const WIDE_TABLE = (i: number) => `
create table t${i} (id serial primary key, full_name text, email text, phone text, city text, note text,
  amount numeric(10, 2), created_at timestamptz, status text, code text);
insert into t${i} (full_name, email, phone, city, note, amount, created_at, status, code)
select f || ' ' || l, lower(f) || '.' || lower(l) || g || '@example.com', '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'),
       (array['Leeds', 'York', 'Bath', 'Derby'])[1 + g % 4], 'Called ' || f || ' about order ' || g, g * 1.5,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', (array['new', 'paid', 'shipped'])[1 + g % 3],
       'SKU-' || lpad(g::text, 6, '0')
  from generate_series(1, ${rows}) g,
       lateral (select (array['James', 'Mary', 'Robert', 'Linda', 'David', 'Sarah'])[1 + g % 6] as f,
                       (array['Smith', 'Jones', 'Brown', 'Miller', 'Davis', 'Wilson'])[1 + g % 5] as l) n;`;

if (!args["skip-wide"]) {
  const db = await createDb("scanwide");
  try {
    console.log(`making ${tables} tables × 10 columns × ${rows} rows …`);
    const t0 = performance.now();
    for (let i = 0; i < tables; i += 50) {
      const sql = Array.from({ length: Math.min(50, tables - i) }, (_, k) => WIDE_TABLE(i + k)).join("\n");
      await psql(dbUrl(db), ["-c", sql]);
    }
    await psql(dbUrl(db), ["-c", "analyze"]);
    console.log(`  made in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await timeScan("wide", dbUrl(db));
  } finally {
    await dropDb(db);
  }
}

if (!args["skip-bench-db"]) {
  const db = await createDb("scanbench");
  try {
    console.log(`seeding the benchmark source at scale ${scale} …`);
    const t0 = performance.now();
    await seedSource(dbUrl(db), scale);
    await psql(dbUrl(db), ["-c", "analyze"]);
    console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await timeScan(`bench db scale ${scale}`, dbUrl(db));
  } finally {
    await dropDb(db);
  }
}
console.log(`server: ${new URL(ADMIN_URL).host}; cores: ${navigator.hardwareConcurrency}`);
