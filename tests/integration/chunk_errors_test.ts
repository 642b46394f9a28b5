/**
 * Errors in one chunk of a table split into key ranges: rows are counted from the chunk's first, so the
 * error names the chunk and the key range that places them in the table (a plugin's error is covered in
 * plugin_run_test.ts).
 */
import assert from "node:assert/strict";
import { PgError, PipelineError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { copyOut, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";

const ROWS = 5000;
/** The one bad row, in the last of five chunks of 1000 keys. */
const BAD = ROWS - 10;

/** The chunk suffix of a message, with its key range's bounds checked to hold `BAD`. */
function assertNamesChunk(message: string): void {
  const m = /\(in chunk (\d+), key range (.+); rows counted from the chunk's first\)$/.exec(message);
  assert.ok(m, message);
  assert.ok(Number(m[1]) > 0, message);
  const [, lo, hi] = /^"id" >= (\d+)(?: and "id" < (\d+))?$/.exec(m[2]) ?? [];
  assert.ok(Number(lo) <= BAD && (hi === undefined || BAD < Number(hi)), message);
}

Deno.test("run() names the chunk and key range of a masking error in a table split into key ranges", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = "create table docs (id int primary key, doc jsonb)";
    await exec(
      sourceUrl,
      `${ddl}; insert into docs select g, jsonb_build_object('size', g % 7)
         || case when g = ${BAD} then jsonb_build_object('nickname', 'x') else '{}'::jsonb end
         from generate_series(1, ${ROWS}) g; analyze docs`,
    );
    await exec(targetUrl, ddl);
    const policy = policyFor(
      sourceUrl,
      targetUrl,
      'tables:\n  public.docs:\n    columns:\n      doc: { strategy: json, paths: { "$.size": keep } }',
    );
    const e = await run(policy, { chunkRows: 1000, maskWorkers: 0, jobs: 1 }).then(
      () => assert.fail("the run passed"),
      (e) => e,
    );
    assert.ok(e instanceof PipelineError, String(e));
    assert.deepEqual([e.code, e.table, e.column], ["JSON_UNMATCHED", "public.docs", "doc"]);
    assertNamesChunk(e.message);
    // The chunks before it committed; the bad one did not.
    const copied = Number(text(await copyOut(targetUrl, "select count(*) from docs")));
    assert.ok(copied > 0 && copied < ROWS, `${copied} rows copied`);
    assert.equal(text(await copyOut(targetUrl, `select count(*) from docs where id = ${BAD}`)), "0\n");
  });
});

Deno.test("run() names the chunk and key range of a target's refusal in a table split into key ranges", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = "create table nums (id int primary key, n int)";
    await exec(
      sourceUrl,
      `${ddl}; insert into nums select g, g from generate_series(1, ${ROWS}) g; analyze nums`,
    );
    await exec(targetUrl, `${ddl}; alter table nums add constraint below check (n <> ${BAD})`);
    const e = await run(policyFor(sourceUrl, targetUrl), { chunkRows: 1000, maskWorkers: 0, jobs: 1 }).then(
      () => assert.fail("the run passed"),
      (e) => e,
    );
    assert.ok(e instanceof PgError, String(e));
    assert.deepEqual([e.code, e.table, e.sqlstate], ["PG_COPY", "public.nums", "23514"]);
    assert.match(e.message, /^Cannot load public\.nums at row \d+: /);
    assertNamesChunk(e.message);
  });
});
