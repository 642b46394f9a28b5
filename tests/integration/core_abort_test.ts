import assert from "node:assert/strict";
import { PrivaciError } from "../../errors.ts";
import { type ProgressEvent, run } from "../../execute/run.ts";
import { connect, copyOut, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";
import { withDeadline } from "../_deadline.ts";

const DEADLINE_MS = 15_000;

/**
 * Starts a run that aborts itself `abortAfterMs` after the table started loading (or, with
 * `fromStart`, after the run started); resolves to what it threw.
 */
function abortedRun(sourceUrl: string, targetUrl: string, abortAfterMs: number, fromStart = false) {
  const controller = new AbortController();
  const reason = new PrivaciError("INTERRUPTED", "Interrupted by the test");
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (fromStart) timer = setTimeout(() => controller.abort(reason), abortAfterMs);
  const onProgress = (e: ProgressEvent) => {
    if (e.type === "table-start" && !fromStart) {
      timer = setTimeout(() => controller.abort(reason), abortAfterMs);
    }
  };
  const outcome = run(policyFor(sourceUrl, targetUrl), { jobs: 1, signal: controller.signal, onProgress })
    .then(() => new Error("the run finished"), (e: unknown) => e)
    .finally(() => clearTimeout(timer));
  return { outcome, reason };
}

Deno.test("run() stops when aborted mid-table, rolls the table back and ends its sessions", async () => {
  await withDbs(async ({ source, target, sourceUrl, targetUrl }) => {
    const ddl = "create table t (id int, pad text)";
    await exec(
      sourceUrl,
      `${ddl}; insert into t select g, repeat('x', 200) from generate_series(1, 20000) g`,
    );
    // The target holds the load for 2 s at row 1000, so the abort always lands while the table streams.
    await exec(
      targetUrl,
      `${ddl};
       create function slow() returns trigger language plpgsql as $$
       begin if new.id = 1000 then perform pg_sleep(2); end if; return new; end $$;
       create trigger slow before insert on t for each row execute function slow()`,
    );
    const { outcome, reason } = abortedRun(sourceUrl, targetUrl, 300);
    const error = await withDeadline(outcome, DEADLINE_MS, "the aborted run");
    assert.ok(error instanceof PrivaciError, String(error));
    assert.equal(error.code, "INTERRUPTED");
    assert.ok(error === reason || /rolled back/.test(error.message), error.message);
    assert.equal(text(await copyOut(targetUrl, "select count(*) from t")), "0\n");
    const sql = connect(sourceUrl);
    try {
      let left: unknown[] = [];
      for (let i = 0; i < 50; i++) {
        left = [
          ...await sql`select datname, application_name from pg_stat_activity
                        where datname in (${source}, ${target}) and application_name like 'privaci %'`,
        ];
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(left, []);
    } finally {
      await sql.end();
    }
  });
});

Deno.test("run() stops promptly when aborted while the target table is locked by another session", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = "create table t (id int)";
    await exec(sourceUrl, `${ddl}; insert into t select generate_series(1, 100)`);
    await exec(targetUrl, ddl);
    // Another session (a migration, say) holds the table: the load waits for the lock.
    const locker = connect(targetUrl);
    const holder = await locker.reserve();
    try {
      await holder`begin`;
      await holder`lock table t in access exclusive mode`;
      // The run waits for the lock before its table starts (checking that the target table is empty).
      const { outcome } = abortedRun(sourceUrl, targetUrl, 3000, true);
      let settled: unknown;
      try {
        settled = await withDeadline(outcome, DEADLINE_MS, "the run aborted during a lock wait");
      } finally {
        // Let a run that ignored the abort finish, so nothing is left behind either way.
        await holder`rollback`;
        await outcome;
      }
      assert.ok(settled instanceof PrivaciError, String(settled));
      assert.equal(settled.code, "INTERRUPTED");
    } finally {
      holder.release();
      await locker.end();
    }
    assert.equal(text(await copyOut(targetUrl, "select count(*) from t")), "0\n");
  });
});
