/**
 * Shards: N real `privaci run --shard i/N` processes against one source and one target, one of them
 * SIGKILLed while its COPY of a unit is in flight (seen in `pg_stat_progress_copy`, its backend traced
 * to the process through the connection's port) and started again with the same arguments. The target
 * must end byte-identical (per-table SHA-256 of the rows, read with psql) to a one-process run, with one
 * run recorded done, every row checkpointed once, and exactly one shard reporting that it finished the run.
 *
 * Replay a failure with the printed seed: `PRIVACI_FAULT_SEED=<seed> deno test -A <this file>`.
 */
import assert from "node:assert/strict";
import { connect, createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import type { RunReport } from "../../report/report.ts";
import { tcpPorts } from "../_proc_ports.ts";
import {
  ADMIN_URL,
  assertNothingHalf,
  type CliProcess,
  type CliResult,
  expectedDigests,
  loadState,
  policyFile,
  prepareTarget,
  resetTarget,
  runCli,
  seededRandom,
  seedSource,
  SIZES,
  startCli,
  suiteSeed,
  type TableDigest,
  TABLES,
  targetDigests,
  waitForNoBackends,
} from "../fixtures/fault/harness.ts";

const SHARDS = 3;
const CLI_MS = 180_000;
/** Attempts at killing a shard mid-unit (a point its COPY passed between two polls is drawn again). */
const ATTEMPTS = 3;
/** 12.5k-row key ranges: 4 units for customers, 2 each for orders and order_items, 1 for products. */
const CHUNKED = "options:\n  chunk_rows: 12500\n  jobs: 2";

function show(r: CliResult): string {
  return `exit ${r.code} (signal ${r.signal}) after ${
    Math.round(r.ms)
  } ms\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/**
 * Polls the target's COPY progress until a unit's COPY of `table` has passed `row` rows, then SIGKILLs
 * the shard whose connection it is; returns that shard's index, or `null` when every shard ended first
 * or no backend could be traced to a shard within `timeoutMs`.
 */
async function killMidUnit(
  db: string,
  shards: readonly CliProcess[],
  point: { table: string; row: number },
  options: { done: () => boolean; timeoutMs: number },
): Promise<number | null> {
  const sql = connect(ADMIN_URL);
  const deadline = Date.now() + options.timeoutMs;
  try {
    while (!options.done() && Date.now() < deadline) {
      const copying = await sql.unsafe<{ port: number }[]>(
        `select a.client_port as port
           from pg_stat_activity a join pg_stat_progress_copy p using (pid)
          where a.datname = $1 and a.application_name = $2 and p.tuples_processed >= $3`,
        [db, `privaci write ${point.table}`, point.row],
      );
      for (const { port } of copying) {
        for (const [i, s] of shards.entries()) {
          if (tcpPorts(s.child.pid).has(port)) {
            s.child.kill("SIGKILL");
            return i;
          }
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return null;
  } finally {
    await sql.end();
  }
}

function shardArgs(config: string, i: number, runKey: string): string[] {
  return ["run", "-c", config, "--shard", `${i}/${SHARDS}`, "--run-key", runKey, "-q"];
}

/**
 * A seeded source and two prepared targets (`<prefix>_src`, `_one`, `_many`), the chunked policy for each
 * target, and the digests of one process's copy into `_one`: what shards into `_many` must end equal to.
 */
async function withShardDbs(
  prefix: string,
  fn: (
    ctx: {
      sourceUrl: string;
      sharded: string;
      shardedUrl: string;
      many: string;
      reference: Record<string, TableDigest>;
    },
  ) => Promise<void>,
): Promise<void> {
  const source = await createDb(`${prefix}_src`);
  const single = await createDb(`${prefix}_one`);
  const sharded = await createDb(`${prefix}_many`);
  const sourceUrl = dbUrl(source);
  const shardedUrl = dbUrl(sharded);
  const files: string[] = [];
  try {
    await seedSource(sourceUrl);
    await prepareTarget(dbUrl(single));
    await prepareTarget(shardedUrl);
    const one = await policyFile(sourceUrl, dbUrl(single), CHUNKED);
    const many = await policyFile(sourceUrl, shardedUrl, CHUNKED);
    files.push(one, many);
    const clean = await runCli(["run", "-c", one, "-q"], { timeoutMs: CLI_MS });
    assert.equal(clean.code, 0, show(clean));
    await fn({ sourceUrl, sharded, shardedUrl, many, reference: await targetDigests(dbUrl(single)) });
  } finally {
    for (const f of files) await Deno.remove(f).catch(() => {});
    await dropDb(source);
    await dropDb(single);
    await dropDb(sharded);
  }
}

Deno.test("shards: N processes, one SIGKILLed mid-unit and re-run, end byte-identical to one process", async () => {
  const seed = suiteSeed("shards");
  const random = seededRandom(seed);
  await withShardDbs("shard", async ({ sourceUrl, sharded, shardedUrl, many, reference }) => {
    assert.deepEqual(reference, await expectedDigests(sourceUrl), "one process vs the masked source");

    let killed: number | null = null;
    for (let attempt = 1; attempt <= ATTEMPTS && killed === null; attempt++) {
      await resetTarget(shardedUrl);
      const runKey = `shard-test-${seed}-${attempt}`;
      const table = ["public.customers", "public.orders", "public.order_items"][Math.floor(random() * 3)];
      const point = { table, row: 1 + Math.floor(random() * 8_000) };
      const label = `attempt ${attempt} (${table} at row ${point.row} of a unit)`;
      const shards = Array.from(
        { length: SHARDS },
        (_, i) => startCli(shardArgs(many, i, runKey), { timeoutMs: CLI_MS }),
      );
      let ended = 0;
      const results = shards.map((s) => s.result.finally(() => ended++));
      killed = await killMidUnit(sharded, shards, point, { done: () => ended === SHARDS, timeoutMs: CLI_MS });
      // The victim is re-run at once, with the same arguments, while the others may still be loading.
      const rerun = killed === null ? null : startCli(shardArgs(many, killed, runKey), { timeoutMs: CLI_MS });
      const outcomes = await Promise.all(results);
      if (killed === null) {
        // Every COPY passed the point between two polls: the run must still be exact, then draw again.
        for (const r of outcomes) assert.equal(r.code, 0, `${label}: ${show(r)}`);
        assert.deepEqual(await targetDigests(shardedUrl), reference, `${label}: uninterrupted shards`);
        console.log(`${label}: missed, shards exact; drawing again`);
        continue;
      }
      assert.equal(
        outcomes[killed].signal,
        "SIGKILL",
        `${label}: victim ${killed}: ${show(outcomes[killed])}`,
      );
      const survivors = outcomes.filter((_, i) => i !== killed);
      for (const r of survivors) assert.equal(r.code, 0, `${label}: ${show(r)}`);
      const again = await rerun!.result;
      assert.equal(again.code, 0, `${label}: re-run of shard ${killed}: ${show(again)}`);
      await waitForNoBackends(ADMIN_URL, sharded);

      assert.deepEqual(await targetDigests(shardedUrl), reference, `${label}: shards vs one process`);
      const state = await loadState(shardedUrl);
      assert.deepEqual(state.runs, ["done"], `${label}: runs recorded`);
      assert.deepEqual(await assertNothingHalf(shardedUrl, label), [], `${label}: incomplete tables`);
      const finishers = [...survivors, again].filter((r) => /this shard finished the run/.test(r.stdout));
      assert.equal(
        finishers.length,
        1,
        `${label}: shards reporting the finish:\n${[...survivors, again].map(show).join("\n")}`,
      );
      const loaded = [...survivors, again].map((r) => Number(/(\d+) units loaded here/.exec(r.stdout)?.[1]));
      console.log(
        `${label}: shard ${killed} killed mid-unit and re-run; units loaded per run ${loaded.join(", ")}`,
      );
    }
    assert.notEqual(killed, null, `no shard was caught mid-unit in ${ATTEMPTS} attempts (seed ${seed})`);
    assert.equal(TABLES.length, Object.keys(reference).length);
  });
});

/** The JSON report a shard printed with `--json`. */
function reportOf(r: CliResult): RunReport {
  try {
    return JSON.parse(r.stdout) as RunReport;
  } catch {
    throw new Error(`no JSON report: ${show(r)}`);
  }
}

/** The run's failures as the target records them. */
async function failureRows(
  url: string,
): Promise<{ unit: string; shard: string; message: string; retried: boolean }[]> {
  const sql = connect(url);
  try {
    return await sql.unsafe(
      `select table_name || '#' || chunk as unit, shard, message, retried_at is not null as retried
         from privaci.failures order by failure_id`,
    );
  } finally {
    await sql.end();
  }
}

Deno.test("shards: a unit the target rejects fails its shard and the run, the others leave it and do not finish; the fixed re-run ends byte-identical to one process", async () => {
  await withShardDbs("shard_fail", async ({ sharded, shardedUrl, many, reference }) => {
    // One customer of one unit (customers' key ranges are 12.5k rows) is refused by the target.
    await exec(shardedUrl, "alter table customers add constraint customers_refused check (id <> 30000)");

    const runKey = `shard-fail-${Date.now()}`;
    const args = (i: number) => [...shardArgs(many, i, runKey).filter((a) => a !== "-q"), "--json"];
    const outcomes = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) => runCli(args(i), { timeoutMs: CLI_MS })),
    );
    const failed = outcomes.flatMap((r, i) => (r.code === 0 ? [] : [i]));
    assert.ok(failed.length >= 1, `no shard failed:\n${outcomes.map(show).join("\n")}`);
    const recorded = await failureRows(shardedUrl);
    for (const i of failed) {
      const report = reportOf(outcomes[i]);
      assert.equal(outcomes[i].code, 1, show(outcomes[i]));
      assert.equal(report.status, "failed");
      assert.match(report.error!.message, /customers_refused/);
      assert.equal(report.shard?.run, "failed", show(outcomes[i]));
      assert.ok(recorded.some((f) => f.shard === `${i}/${SHARDS}`), `shard ${i}'s failure is recorded`);
    }
    // Every failure is the one refused unit (a shard that joined after the first failure tried it again).
    const units = new Set(recorded.map((f) => f.unit));
    assert.equal(units.size, 1, JSON.stringify(recorded));
    const [unit] = units;
    assert.match(unit, /^public\.customers#\d+$/);
    assert.ok(
      recorded.every((f) => /customers_refused/.test(f.message) && !f.retried),
      JSON.stringify(recorded),
    );
    for (const [i, r] of outcomes.entries()) {
      if (failed.includes(i)) continue;
      const report = reportOf(r);
      assert.equal(report.shard?.finished, false, `survivor ${i} must not finish the run: ${show(r)}`);
      assert.equal(report.shard?.run, "failed", show(r));
      assert.ok((report.shard?.left ?? 0) > 0, `survivor ${i} leaves the failed unit: ${show(r)}`);
      // A second shard's failure on the unit may come after this one's report.
      assert.ok(report.failures?.length && report.failures.every((f) => f.unit === unit), show(r));
    }
    // The run is failed, its end did not run, and nothing after the refused unit in key order loaded.
    const state = await loadState(shardedUrl);
    assert.deepEqual(state.runs, ["failed"]);
    assert.ok(state.rows["public.customers"] < SIZES["public.customers"], JSON.stringify(state.rows));
    assert.equal(state.rows["public.orders"], 0);
    assert.equal(state.rows["public.order_items"], 0);
    assert.deepEqual(await assertNothingHalf(shardedUrl, "failed run"), [
      "public.customers",
      "public.orders",
      "public.order_items",
    ]);

    // Fixed: the failed shards are run again with the same arguments.
    await exec(shardedUrl, "alter table customers drop constraint customers_refused");
    const again = [];
    for (const i of failed) again.push(await runCli(args(i), { timeoutMs: CLI_MS }));
    for (const r of again) assert.equal(r.code, 0, show(r));
    // The first re-run loads what is left and finishes the run; any other finds it done.
    const reports = again.map(reportOf);
    assert.deepEqual(
      reports.map((r) => r.shard?.finished),
      reports.map((_, i) => i === 0),
      again.map(show).join("\n"),
    );
    const last = reports.at(-1)!;
    assert.equal(last.status, "done");
    assert.equal(last.shard?.run, "done");
    assert.ok(last.failures!.length >= 1 && last.failures!.every((f) => f.unit === unit && f.retriedAt));
    assert.ok(
      last.failures!.every((f) => f.retriedBy === `${failed[0]}/${SHARDS}`),
      JSON.stringify(last.failures),
    );
    await waitForNoBackends(ADMIN_URL, sharded);
    assert.deepEqual(await targetDigests(shardedUrl), reference, "fixed re-run vs one process");
    assert.deepEqual((await loadState(shardedUrl)).runs, ["done"]);
    assert.deepEqual(await assertNothingHalf(shardedUrl, "fixed re-run"), []);
    assert.ok((await failureRows(shardedUrl)).every((f) => f.retried));
  });
});
