/**
 * The run state shards share, against a real target: a unit one process holds is `busy` for another and
 * free again when released or when its process's connection dies, `done` once its checkpoint committed;
 * the run is finished once whatever the number of callers; a snapshot exported by one process is joined by
 * another (same rows), and joining one that has ended is `SNAPSHOT_GONE`.
 */
import assert from "node:assert/strict";
import type postgres from "postgres";
import { PgError } from "../../errors.ts";
import { openClient } from "../../pg/connect.ts";
import { ensureState, finishOnce, reopenRun, runByKey, startRun } from "../../pg/run_state.ts";
import { recordFailure, resolveFailures, runFailures } from "../../pg/unit_failures.ts";
import { SourceSnapshot } from "../../pg/source.ts";
import { checkpoint, saveChunks, UnitClaims, unitKey } from "../../pg/units.ts";
import { connect, exec, withDbs } from "../_pg.ts";

/** Records a run under `runKey` with placeholder policy, source and snapshot. */
function testRun(sql: postgres.Sql, runKey: string): Promise<string> {
  return startRun(sql, { policyHash: "0".repeat(64), sourceId: "s", snapshot: "x", runKey });
}

Deno.test("UnitClaims: busy while another claim holds a unit, free when released or dropped, done once checkpointed", async () => {
  await withDbs(async ({ targetUrl }) => {
    const sql = connect(targetUrl);
    try {
      await ensureState(sql);
      await ensureState(sql); // current: nothing to do
      const runId = await testRun(sql, "k");
      assert.equal((await runByKey(sql, "k"))?.run_id, runId);
      await saveChunks(sql, runId, new Map([["public.t", [{ index: 0, where: "id < 10" }, { index: 1 }]]]));
      await using a = new UnitClaims(targetUrl, runId, 2);
      await using b = new UnitClaims(targetUrl, runId, 2);
      const key = unitKey("public.t", 0);
      const held = await a.claim(key);
      assert.equal(typeof held, "object");
      assert.equal(await b.claim(key), "busy");
      assert.equal(typeof await b.claim(unitKey("public.t", 1)), "object", "the other unit is free");
      await (held as { release(): Promise<void> }).release();
      const again = await b.claim(key);
      assert.equal(typeof again, "object", "free once released");
      await checkpoint(sql, { runId, key, rows: 9, snapshot: "x" });
      // A process that dies drops its connections: its claims go with them.
      await b[Symbol.asyncDispose]();
      await using c = new UnitClaims(targetUrl, runId, 2);
      assert.equal(typeof await c.claim(unitKey("public.t", 1)), "object", "free once its holder is gone");
      assert.equal(await c.claim(key), "done");
    } finally {
      await sql.end();
    }
  });
});

Deno.test("finishOnce() runs the end of a run once, however many shards ask at the same time", async () => {
  await withDbs(async ({ targetUrl }) => {
    const sql = connect(targetUrl);
    try {
      await ensureState(sql);
      const runId = await testRun(sql, "k");
      let calls = 0;
      const finished = await Promise.all(
        Array.from({ length: 4 }, () =>
          finishOnce(targetUrl, runId, async () => {
            calls++;
            await new Promise((r) => setTimeout(r, 200));
          })),
      );
      assert.equal(calls, 1);
      assert.deepEqual(finished.filter(Boolean).length, 1);
      assert.equal((await runByKey(sql, "k"))?.status, "done");
      // A failing finish leaves the run unfinished for the next shard.
      const other = await testRun(sql, "k2");
      await assert.rejects(
        finishOnce(targetUrl, other, () => Promise.reject(new Error("post-data failed"))),
        /post-data/,
      );
      assert.equal((await runByKey(sql, "k2"))?.status, "running");
      assert.equal(await finishOnce(targetUrl, other, () => Promise.resolve()), true);
    } finally {
      await sql.end();
    }
  });
});

Deno.test("A failed unit fails the run until it is loaded again; the finish refuses a unit without checkpoint, and a shard that joined before the failure leaves the unit", async () => {
  await withDbs(async ({ targetUrl }) => {
    const sql = connect(targetUrl);
    try {
      await ensureState(sql);
      const runId = await testRun(sql, "k");
      await saveChunks(sql, runId, new Map([["public.t", [{ index: 0, where: "id < 10" }, { index: 1 }]]]));
      const [failing, other] = [unitKey("public.t", 0), unitKey("public.t", 1)];
      const [{ joined }] = await sql.unsafe<{ joined: string }[]>("select clock_timestamp()::text as joined");
      await recordFailure(sql, {
        runId,
        key: failing,
        shard: "1/2",
        code: "PG_COPY",
        message: "Cannot load",
      });
      assert.equal((await runByKey(sql, "k"))?.status, "failed");
      await reopenRun(sql, runId); // a re-run joining: still failed while the unit is not loaded
      assert.equal((await runByKey(sql, "k"))?.status, "failed");
      await using before = new UnitClaims(targetUrl, runId, 1, joined);
      assert.equal(await before.claim(failing), "failed", "left to the failed shard's re-run");
      await using after = new UnitClaims(targetUrl, runId, 1, new Date().toISOString());
      const claim = await after.claim(failing);
      assert.equal(typeof claim, "object", "a shard started after the failure loads it");
      await (claim as { release(): Promise<void> }).release();
      await checkpoint(sql, { runId, key: other, rows: 1, snapshot: "x" });
      let ran = false;
      await assert.rejects(
        finishOnce(targetUrl, runId, () => Promise.resolve(void (ran = true)), { units: [failing, other] }),
        /Cannot finish run .*: 1 units have no checkpoint \(public\.t#0\)/,
      );
      assert.equal(ran, false, "the finish must not run beside a failed unit");
      await checkpoint(sql, { runId, key: failing, rows: 9, snapshot: "x" });
      await resolveFailures(sql, { runId, key: failing, by: "1/2" });
      assert.equal((await runByKey(sql, "k"))?.status, "running");
      assert.deepEqual((await runFailures(sql, runId)).map((f) => [f.unit, f.shard, f.retriedBy]), [
        [failing, "1/2", "1/2"],
      ]);
      assert.equal(
        await finishOnce(targetUrl, runId, () => Promise.resolve(void (ran = true)), {
          units: [failing, other],
        }),
        true,
      );
      assert.equal(ran, true);
    } finally {
      await sql.end();
    }
  });
});

/** Resolves once a backend of `sql`'s database waits for a lock (bounded: 200 polls of 25 ms). */
async function untilLockWait(sql: postgres.Sql): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [{ n }] = await sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no backend ever waited for the run's row");
}

Deno.test("A run's status follows failures committed while another shard waits on it: a reopen sees the new failure, and two retries committing together set it running", async () => {
  await withDbs(async ({ targetUrl }) => {
    const sql = connect(targetUrl);
    const other = connect(targetUrl);
    try {
      await ensureState(sql);
      const runId = await testRun(sql, "r");
      const [u0, u1] = [unitKey("public.t", 0), unitKey("public.t", 1)];
      // A shard records u0's failure and has not committed when a late shard reopens the run.
      let commit!: () => void;
      let recorded!: () => void;
      const held = new Promise<void>((r) => (commit = r));
      const written = new Promise<void>((r) => (recorded = r));
      const failing = other.begin(async (tx) => {
        await tx.unsafe(
          `insert into privaci.failures (run_id, table_name, chunk, shard, code, message)
           values ($1, 'public.t', 0, '1/2', 'PG_COPY', 'Cannot load')`,
          [runId],
        );
        await tx.unsafe(`update privaci.runs set status = 'failed' where run_id = $1`, [runId]);
        recorded();
        await held;
      });
      await written;
      const late = connect(targetUrl);
      try {
        const reopening = reopenRun(late, runId);
        await Promise.race([untilLockWait(sql), reopening]);
        commit();
        await failing;
        await reopening;
      } finally {
        commit();
        await late.end();
      }
      assert.equal(
        (await runByKey(sql, "r"))?.status,
        "failed",
        "reopened beside a failure it could not see",
      );

      // Both units failed; their retries commit one after the other while each still sees the other open.
      await recordFailure(sql, { runId, key: u1, shard: "2/2", code: "PG_COPY", message: "Cannot load" });
      let commitFirst!: () => void;
      let resolved!: () => void;
      const first = new Promise<void>((r) => (commitFirst = r));
      const marked = new Promise<void>((r) => (resolved = r));
      const retrying = other.begin(async (tx) => {
        await resolveFailures(tx, { runId, key: u0, by: "1/2" });
        resolved();
        await first;
      });
      await marked;
      const second = connect(targetUrl);
      try {
        const retryingToo = second.begin((tx) => resolveFailures(tx, { runId, key: u1, by: "2/2" }));
        // Waits for the first (or, reading before it commits, is already through).
        await Promise.race([untilLockWait(sql), retryingToo]);
        commitFirst();
        await retrying;
        await retryingToo;
      } finally {
        commitFirst();
        await second.end();
      }
      assert.deepEqual((await runFailures(sql, runId)).map((f) => f.retriedBy), ["1/2", "2/2"]);
      assert.equal(
        (await runByKey(sql, "r"))?.status,
        "running",
        "every failure retried: the run runs again",
      );
    } finally {
      await other.end();
      await sql.end();
    }
  });
});

Deno.test("SourceSnapshot.open() joins a snapshot exported elsewhere, and SNAPSHOT_GONE once it ended", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await exec(sourceUrl, "create table t (id int); insert into t values (1), (2)");
    const first = await SourceSnapshot.open(sourceUrl);
    const writer = openClient(sourceUrl);
    try {
      await writer.unsafe("insert into t values (3)");
      const joined = await SourceSnapshot.open(sourceUrl, { join: first.id });
      try {
        assert.equal(joined.origin, first.id);
        assert.notEqual(joined.id, first.id, "re-exported for this process's readers");
        const [{ n }] = await joined.sql.unsafe<{ n: number }[]>("select count(*)::int as n from t");
        assert.equal(n, 2, "the joined snapshot predates the third row");
      } finally {
        await joined.close();
      }
      const gone = first.id;
      await first.close();
      await assert.rejects(SourceSnapshot.open(sourceUrl, { join: gone }), (e: unknown) => {
        assert.ok(e instanceof PgError);
        assert.equal(e.code, "SNAPSHOT_GONE");
        return true;
      });
      await assert.rejects(
        SourceSnapshot.open(sourceUrl, { join: "x'; drop table t; --" }),
        /not a snapshot id/,
      );
    } finally {
      await writer.end();
    }
  });
});
