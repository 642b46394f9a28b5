/**
 * Fault suite, the PrivaCI process itself: SIGKILL at a seeded random point of a COPY, SIGINT and
 * SIGTERM during a long COPY (exit 130 / 143, in-flight table rolled back), each followed by
 * `privaci run --resume`, which must end with exactly the clean run's rows; and `--resume` refused after
 * the policy changed or with another source (exit 2, RESUME_REFUSED).
 *
 * Replay a failure with the printed seed: `PRIVACI_FAULT_SEED=<seed> deno test -A <this file>`.
 */
import assert from "node:assert/strict";
import { createDb, dbUrl, dropDb } from "../_pg.ts";
import {
  ADMIN_URL,
  assertNothingHalf,
  type CliResult,
  drawFaultPoint,
  expectedDigests,
  loadState,
  policyFile,
  prepareTarget,
  resetTarget,
  runCli,
  seededRandom,
  seedSource,
  startCli,
  suiteSeed,
  type TableDigest,
  targetDigests,
  waitForNoBackends,
  watchCopy,
} from "../fixtures/fault/harness.ts";

const KILLS = 5;
const MAX_ATTEMPTS = 2 * KILLS + 3;
const LOOP_MS = 300_000;
const CLI_MS = 120_000;
/** How soon a signalled run must exit. */
const STOP_MS = 10_000;
/** In chunked iterations the policy splits tables into 12.5k-row key ranges (4 for customers, 2 for orders). */
const CHUNKED = "options:\n  chunk_rows: 12500";

interface Fixture {
  source: string;
  target: string;
  sourceUrl: string;
  targetUrl: string;
  /** Digests of the clean run. */
  reference: Record<string, TableDigest>;
}

function show(r: CliResult): string {
  return `exit ${r.code} (signal ${r.signal}) after ${
    Math.round(r.ms)
  } ms\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/** `privaci run --resume` must succeed and leave exactly the clean run's rows. */
async function resumeExact(f: Fixture, config: string, label: string): Promise<CliResult> {
  const resumed = await runCli(["run", "-c", config, "--resume", "-q"], { timeoutMs: CLI_MS });
  assert.equal(resumed.code, 0, `${label}: resume: ${show(resumed)}`);
  assert.deepEqual(
    await targetDigests(f.targetUrl),
    f.reference,
    `${label}: resumed target vs the clean run`,
  );
  assert.deepEqual((await loadState(f.targetUrl)).runs, ["done"], `${label}: run state after resume`);
  return resumed;
}

async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const source = await createDb("fault_src");
  const target = await createDb("fault_dst");
  const f = { source, target, sourceUrl: dbUrl(source), targetUrl: dbUrl(target), reference: {} };
  try {
    await seedSource(f.sourceUrl);
    await prepareTarget(f.targetUrl);
    const config = await policyFile(f.sourceUrl, f.targetUrl);
    try {
      const clean = await runCli(["run", "-c", config, "-q"], { timeoutMs: CLI_MS });
      assert.equal(clean.code, 0, show(clean));
    } finally {
      await Deno.remove(config);
    }
    f.reference = await targetDigests(f.targetUrl);
    assert.deepEqual(f.reference, await expectedDigests(f.sourceUrl), "clean run vs the masked source");
    await fn(f);
  } finally {
    await dropDb(source);
    await dropDb(target);
  }
}

Deno.test("fault suite: SIGKILL of privaci at random points of a COPY, then --resume, ends exact", async () => {
  const seed = suiteSeed("fault_process SIGKILL");
  const random = seededRandom(seed);
  await withFixture(async (f) => {
    const plain = await policyFile(f.sourceUrl, f.targetUrl);
    const chunked = await policyFile(f.sourceUrl, f.targetUrl, CHUNKED);
    const tally = { attempts: 0, killed: 0, resumed: 0, missed: 0 };
    const started = Date.now();
    try {
      while (tally.resumed < KILLS) {
        assert.ok(tally.attempts < MAX_ATTEMPTS, `${tally.missed} kill points missed`);
        assert.ok(Date.now() - started < LOOP_MS, `over ${LOOP_MS} ms after ${tally.resumed} kills`);
        tally.attempts++;
        const isChunked = tally.attempts % 2 === 0;
        const config = isChunked ? chunked : plain;
        const point = drawFaultPoint(random, "privaci write", isChunked ? { fraction: 0.2 } : {});
        const label = `SIGKILL${
          isChunked ? " chunked" : ""
        } #${tally.attempts} (${point.table} at row ${point.row})`;
        await resetTarget(f.targetUrl);

        const cli = startCli(["run", "-c", config, "-q"], { timeoutMs: CLI_MS });
        let exited = false;
        const result = cli.result.finally(() => (exited = true));
        const watch = await watchCopy(ADMIN_URL, f.target, point, () => {
          cli.child.kill("SIGKILL");
          return Promise.resolve();
        }, { done: () => exited, timeoutMs: CLI_MS });
        const first = await result;
        if (!watch.fired) {
          tally.missed++;
          assert.equal(first.code, 0, `${label}: ${show(first)}`);
          assert.deepEqual(await targetDigests(f.targetUrl), f.reference, `${label}: uninterrupted run`);
          console.log(`${label}: missed (its COPY ended first), run exact`);
          continue;
        }
        tally.killed++;
        assert.equal(first.signal, "SIGKILL", `${label}: ${show(first)}`);
        // The server notices the dead client and rolls its transactions back.
        await waitForNoBackends(ADMIN_URL, f.target);
        const incomplete = await assertNothingHalf(f.targetUrl, label);
        assert.ok(incomplete.includes(point.table), `${label}: the interrupted table is complete`);
        // Nobody could record the end of the run: it stays "running", and --resume takes it over.
        assert.deepEqual((await loadState(f.targetUrl)).runs, ["running"], `${label}: run state`);
        await resumeExact(f, config, label);
        tally.resumed++;
        console.log(`${label}: killed at row ${watch.atRow}, redone ${incomplete.join(", ")}; resumed exact`);
      }
    } finally {
      await Deno.remove(plain);
      await Deno.remove(chunked);
    }
    console.log(`fault_process SIGKILL (seed ${seed}): ${JSON.stringify(tally)}`);
    assert.equal(tally.resumed, KILLS);
  });
});

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`fault suite: ${signal} during a long COPY exits ${code}, rolls back, and --resume ends exact`, async () => {
    await withFixture(async (f) => {
      const config = await policyFile(f.sourceUrl, f.targetUrl);
      try {
        await resetTarget(f.targetUrl);
        const cli = startCli(["run", "-c", config], { timeoutMs: CLI_MS });
        let exitedAt = 0;
        const result = cli.result.finally(() => (exitedAt = performance.now()));
        let sentAt = 0;
        const point = { app: "privaci write" as const, table: "public.customers", row: 5_000 };
        const watch = await watchCopy(ADMIN_URL, f.target, point, () => {
          sentAt = performance.now();
          cli.child.kill(signal);
          return Promise.resolve();
        }, { done: () => exitedAt > 0, timeoutMs: CLI_MS });
        const first = await result;
        assert.ok(watch.fired, `customers' COPY was never seen in progress: ${show(first)}`);
        assert.equal(first.code, code, show(first));
        assert.equal(first.signal, null, show(first));
        assert.match(first.stderr, new RegExp(`${signal}: stopping, rolling back the tables in flight`));
        assert.match(
          first.stderr,
          new RegExp(`${signal}: stopping, rolling back the tables in flight\n`),
          show(first),
        );
        assert.match(
          first.stderr,
          /error INTERRUPTED: Stopped while copying public\.\w+: its transaction was rolled back\n$/,
          show(first),
        );
        // Prompt: far below the seconds the rest of the COPY needs (a hang would hit the CLI timeout).
        const stopMs = exitedAt - sentAt;
        assert.ok(stopMs < STOP_MS, `${signal}: exited ${Math.round(stopMs)} ms after the signal`);
        console.log(`${signal} at row ${watch.atRow}: exit ${first.code} after ${Math.round(stopMs)} ms`);

        await waitForNoBackends(ADMIN_URL, f.target);
        const incomplete = await assertNothingHalf(f.targetUrl, signal);
        assert.ok(incomplete.includes("public.customers"), `${signal}: customers was committed`);
        assert.deepEqual((await loadState(f.targetUrl)).runs, ["failed"]);
        await resumeExact(f, config, signal);
      } finally {
        await Deno.remove(config);
      }
    });
  });
}
