/**
 * Fault suite, fail closed: rows the target refuses (a value too long for its column, a foreign key to
 * an empty table, a check constraint; each exists only in the target) stop the run with exit 1 and an
 * error naming the table (and the column where the server says) but never a value; the failing table is
 * left empty, and every other table holds exactly the rows its checkpoint records.
 */
import assert from "node:assert/strict";
import { createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import {
  assertNothingHalf,
  type CliResult,
  loadState,
  policyFile,
  prepareTarget,
  runCli,
  seedSource,
} from "../fixtures/fault/harness.ts";

const SIZES = {
  "public.customers": 3_000,
  "public.products": 300,
  "public.orders": 1_000,
  "public.order_items": 1_000,
};
const CLI_MS = 60_000;

/** Fragments of the seeded values: none may reach the output. */
const VALUES = ["@example.com", "Customer 1", "SKU-0", "Deliver to door", "ring twice", "2021-01-0"];

interface Case {
  name: string;
  /** Target-only DDL that makes the load fail. */
  ddl: string;
  table: string;
  stderr: string;
}

const CASES: Case[] = [
  {
    name: "a value too long for its target column",
    ddl: "alter table customers alter column email type varchar(12)",
    table: "public.customers",
    stderr: "error PG_COPY: Cannot load public.customers (column email) at row 1: value too long for type " +
      "character varying(12) (SQLSTATE 22001)\n",
  },
  {
    name: "a foreign key to an empty table",
    ddl: `create table sku_registry (sku text primary key);
          alter table products add constraint products_registered foreign key (sku) references sku_registry`,
    table: "public.products",
    stderr:
      'error PG_COPY: Cannot load public.products: insert or update on table "products" violates foreign key ' +
      'constraint "products_registered" (SQLSTATE 23503)\n',
  },
  {
    name: "a check constraint",
    // Orders are 3 minutes apart from 2021-01-01 00:03: row 480 is the first one on 2021-01-02.
    ddl: "alter table orders add constraint placed_on_new_year check (placed_at < '2021-01-02 00:00:00+00')",
    table: "public.orders",
    stderr:
      'error PG_COPY: Cannot load public.orders at row 480: new row for relation "orders" violates check ' +
      'constraint "placed_on_new_year" (SQLSTATE 23514)\n',
  },
];

function show(r: CliResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

Deno.test("fault suite: refused rows fail the run closed, name the table, leave it empty", async (t) => {
  const source = await createDb("fault_src");
  try {
    await seedSource(dbUrl(source), SIZES);
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const target = await createDb("fault_dst");
        const config = await policyFile(dbUrl(source), dbUrl(target));
        try {
          await prepareTarget(dbUrl(target));
          await exec(dbUrl(target), c.ddl);
          const r = await runCli(["run", "-c", config, "-q", "--jobs", "2"], { timeoutMs: CLI_MS });
          assert.equal(r.code, 1, show(r));
          assert.equal(r.stdout, "", show(r));
          assert.ok(r.stderr.endsWith(c.stderr), show(r));
          for (const v of VALUES) assert.ok(!r.stderr.includes(v), `"${v}" leaked: ${r.stderr}`);

          const state = await loadState(dbUrl(target));
          await assertNothingHalf(dbUrl(target), c.name);
          assert.equal(state.rows[c.table], 0, `${c.table} holds rows`);
          assert.equal(state.checkpointed[c.table], 0, `${c.table} has a checkpoint`);
          assert.deepEqual(state.runs, ["failed"]);
          // The tables completed before the failure are whole.
          for (const [table, rows] of Object.entries(state.rows)) {
            assert.ok(rows === 0 || rows === SIZES[table as keyof typeof SIZES], `${table}: ${rows} rows`);
          }
        } finally {
          await Deno.remove(config);
          await dropDb(target);
        }
      });
    }
  } finally {
    await dropDb(source);
  }
});
