/**
 * Bad-input suite, targets: a target that is the source (also when spelt another way) and a target that
 * already holds rows are refused with exit 2 before any row moves; `--truncate` empties it and copies.
 */
import assert from "node:assert/strict";
import { connect, createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import {
  type CliResult,
  expectedDigests,
  policyFile,
  prepareTarget,
  runCli,
  seedSource,
  targetDigests,
} from "../fixtures/fault/harness.ts";

const CLI_MS = 60_000;
const SIZES = {
  "public.customers": 500,
  "public.products": 50,
  "public.orders": 200,
  "public.order_items": 200,
};

function show(r: CliResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

async function cli(source: string, target: string, args: readonly string[] = []): Promise<CliResult> {
  const file = await policyFile(source, target);
  try {
    return await runCli(["run", "-c", file, "-q", ...args], { timeoutMs: CLI_MS });
  } finally {
    await Deno.remove(file);
  }
}

async function count(url: string, table: string): Promise<number> {
  const sql = connect(url);
  try {
    const [{ n }] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`);
    return n;
  } finally {
    await sql.end();
  }
}

Deno.test("bad input: a target that is the source is refused (exit 2, TARGET_IS_SOURCE)", async () => {
  const source = await createDb("bad_src");
  try {
    await seedSource(dbUrl(source), SIZES);
    const before = await targetDigests(dbUrl(source));
    const message =
      `error TARGET_IS_SOURCE: Cannot copy into the source: the target is the same server and database ("${source}")\n` +
      "hint: point 'target:' (or PRIVACI_TARGET_URL) at another database\n";
    const same = await cli(dbUrl(source), dbUrl(source));
    assert.equal(same.code, 2, show(same));
    assert.equal(same.stderr, message);
    // The same database through another spelling of the URL.
    const other = await cli(dbUrl(source), `${dbUrl(source)}?application_name=elsewhere`);
    assert.equal(other.code, 2, show(other));
    assert.equal(other.stderr, message);
    // Nothing was written into it: no state schema, the rows as they were.
    const sql = connect(dbUrl(source));
    try {
      const [{ state }] = await sql.unsafe<{ state: boolean }[]>(
        "select to_regnamespace('privaci') is not null as state",
      );
      assert.equal(state, false);
    } finally {
      await sql.end();
    }
    assert.deepEqual(await targetDigests(dbUrl(source)), before);
  } finally {
    await dropDb(source);
  }
});

Deno.test("bad input: a target holding rows is refused (exit 2, TARGET_NOT_EMPTY); --truncate replaces them", async () => {
  const source = await createDb("bad_src");
  const target = await createDb("bad_dst");
  try {
    await seedSource(dbUrl(source), SIZES);
    await prepareTarget(dbUrl(target));
    await exec(
      dbUrl(target),
      `insert into customers values (424242, 'Left over', 'left@over.test', now(), 'x');
       insert into products values (424242, 'LEFT-OVER', 1);`,
    );
    const refused = await cli(dbUrl(source), dbUrl(target));
    assert.equal(refused.code, 2, show(refused));
    assert.equal(
      refused.stderr,
      "error TARGET_NOT_EMPTY: Cannot load into tables that already hold rows: public.customers, public.products\n" +
        "hint: empty them first, or pass --truncate to empty every copied table\n",
    );
    // Untouched: the old rows only.
    assert.equal(await count(dbUrl(target), "customers"), 1);
    assert.equal(await count(dbUrl(target), "orders"), 0);

    const truncated = await cli(dbUrl(source), dbUrl(target), ["--truncate"]);
    assert.equal(truncated.code, 0, show(truncated));
    assert.deepEqual(await targetDigests(dbUrl(target)), await expectedDigests(dbUrl(source)));
  } finally {
    await dropDb(source);
    await dropDb(target);
  }
});
