/**
 * Within one process, the key ranges of one large table load in parallel, `jobs` at a time: with the
 * target table locked by the test, the run's COPYs into it all wait on that lock at once, and never more
 * than `jobs` of them. Released, the run completes with the source's rows, one checkpoint per range.
 */
import assert from "node:assert/strict";
import { run } from "../../execute/run.ts";
import { connect, copyOut, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";

const JOBS = 3;
/** Polls of pg_stat_activity, 50 ms apart: 60 s at most on a loaded machine. */
const POLLS = 1200;

Deno.test("run() loads the key ranges of one table in parallel, at most --jobs at once", async () => {
  await withDbs(async ({ target, sourceUrl, targetUrl }) => {
    const ddl = "create table big (id bigint primary key, body text)";
    await exec(sourceUrl, ddl);
    await exec(targetUrl, ddl);
    await exec(
      sourceUrl,
      "insert into big select g, md5(g::text) from generate_series(1, 40000) g; analyze big",
    );
    const admin = connect(targetUrl);
    const holder = connect(targetUrl);
    const lock = await holder.reserve();
    try {
      await lock.unsafe("begin");
      await lock.unsafe("lock table big in share mode");
      const done = run(policyFor(sourceUrl, targetUrl, "options:\n  chunk_rows: 5000"), { jobs: JOBS });
      done.catch(() => {});
      let peak = 0;
      for (let i = 0; i < POLLS && peak < JOBS; i++) {
        const [{ n }] = await admin.unsafe<{ n: number }[]>(
          `select count(*)::int as n from pg_stat_activity
            where datname = $1 and application_name = 'privaci write public.big' and wait_event_type = 'Lock'`,
          [target],
        );
        peak = Math.max(peak, n);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(peak, JOBS, `COPYs into one table waiting at once (jobs ${JOBS})`);
      // No more start while the first ones wait.
      await new Promise((r) => setTimeout(r, 500));
      const [{ n: writers }] = await admin.unsafe<{ n: number }[]>(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name like 'privaci write%'`,
        [target],
      );
      assert.equal(writers, JOBS);
      await lock.unsafe("commit");
      const report = await done;
      assert.equal(report.tables[0].rows, 40000);
      const q = "select * from big order by id";
      assert.equal(text(await copyOut(targetUrl, q)), text(await copyOut(sourceUrl, q)));
      const [{ units }] = await admin.unsafe<{ units: number }[]>(
        "select count(*)::int as units from privaci.checkpoints where table_name = 'public.big'",
      );
      assert.equal(units, 8, "one checkpoint per 5000-row range");
    } finally {
      await lock.unsafe("rollback").catch(() => {});
      lock.release();
      await holder.end();
      await admin.end();
    }
  });
});
