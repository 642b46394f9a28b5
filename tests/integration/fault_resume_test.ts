/**
 * Fault suite, resuming: `--resume` is refused (exit 2, RESUME_REFUSED) when there is nothing to resume,
 * after the policy changed, or with another source, and leaves the target as it was; and a resumed
 * chunked run must not lose rows when the source grew between the attempts (production keeps writing).
 */
import assert from "node:assert/strict";
import { PrivaciError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { parsePolicy } from "../../config/load.ts";
import { connect, createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import {
  assertNothingHalf,
  type CliResult,
  expectedDigests,
  faultPolicy,
  loadState,
  policyFile,
  policyYaml,
  prepareTarget,
  runCli,
  seedSource,
  targetDigests,
  withDeadline,
} from "../fixtures/fault/harness.ts";

const SMALL = {
  "public.customers": 4_000,
  "public.products": 200,
  "public.orders": 1_000,
  "public.order_items": 1_000,
};
const CLI_MS = 60_000;

function show(r: CliResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

async function runId(targetUrl: string): Promise<string> {
  const sql = connect(targetUrl);
  try {
    const rows = await sql.unsafe<{ id: string }[]>("select run_id::text as id from privaci.runs");
    assert.equal(rows.length, 1);
    return rows[0].id;
  } finally {
    await sql.end();
  }
}

Deno.test("fault suite: --resume is refused with nothing to resume, a changed policy or another source", async () => {
  const [source, other, target] = [
    await createDb("fault_src"),
    await createDb("fault_oth"),
    await createDb("fault_dst"),
  ];
  const [sourceUrl, otherUrl, targetUrl] = [dbUrl(source), dbUrl(other), dbUrl(target)];
  const files: string[] = [];
  try {
    await seedSource(sourceUrl, SMALL);
    await seedSource(otherUrl, SMALL);
    await prepareTarget(targetUrl);
    const config = await policyFile(sourceUrl, targetUrl);
    files.push(config);

    const nothing = await runCli(["run", "-c", config, "--resume", "-q"], { timeoutMs: CLI_MS });
    assert.equal(nothing.code, 2, show(nothing));
    assert.equal(
      nothing.stderr,
      "error RESUME_REFUSED: Cannot resume: the target records no unfinished run\n" +
        "hint: run without --resume to start a new copy\n",
    );

    // An interrupted run: stopped as its first table starts, so nothing is committed.
    const controller = new AbortController();
    await assert.rejects(
      withDeadline(
        run(faultPolicy(sourceUrl, targetUrl), {
          jobs: 1,
          signal: controller.signal,
          onProgress: (e) => e.type === "table-start" && controller.abort(new Error("test stop")),
        }),
        CLI_MS,
        "the interrupted run",
      ),
      (e: unknown) => e instanceof PrivaciError && e.code === "INTERRUPTED",
    );
    const id = await runId(targetUrl);
    const before = await loadState(targetUrl);
    assert.deepEqual(before.runs, ["failed"]);
    await assertNothingHalf(targetUrl, "interrupted run");

    // The policy changed: orders.note is kept instead of set to NULL.
    const changedYaml = policyYaml(sourceUrl, targetUrl).replace('note: "null"', "note: keep");
    assert.notEqual(changedYaml, policyYaml(sourceUrl, targetUrl));
    const changed = await Deno.makeTempFile({ suffix: ".yaml" });
    files.push(changed);
    await Deno.writeTextFile(changed, changedYaml);
    const policyChanged = await runCli(["run", "-c", changed, "--resume", "-q"], { timeoutMs: CLI_MS });
    assert.equal(policyChanged.code, 2, show(policyChanged));
    assert.equal(
      policyChanged.stderr,
      `error RESUME_REFUSED: Cannot resume run ${id}: the policy changed since it started (its tables would be masked differently)\n` +
        "hint: restore the policy it ran with, or start over with --truncate\n",
    );
    await assert.rejects(
      run(parsePolicy(changedYaml, { file: "changed.yaml", env: () => undefined }), { resume: true }),
      (e: unknown) => e instanceof PrivaciError && e.code === "RESUME_REFUSED" && e.exitCode === 2,
    );

    // Another source database with the same tables and rows.
    const elsewhere = await policyFile(otherUrl, targetUrl);
    files.push(elsewhere);
    const otherSource = await runCli(["run", "-c", elsewhere, "--resume", "-q"], { timeoutMs: CLI_MS });
    assert.equal(otherSource.code, 2, show(otherSource));
    assert.equal(
      otherSource.stderr,
      `error RESUME_REFUSED: Cannot resume run ${id}: it copied from another source database\n` +
        "hint: point 'source:' at the database it started from, or start over with --truncate\n",
    );
    await assert.rejects(
      run(faultPolicy(otherUrl, targetUrl), { resume: true }),
      (e: unknown) => e instanceof PrivaciError && e.code === "RESUME_REFUSED" && e.exitCode === 2,
    );

    // The refusals changed nothing: the same run is still there to resume, and it ends exact.
    assert.deepEqual(await loadState(targetUrl), before);
    const resumed = await runCli(["run", "-c", config, "--resume", "-q"], { timeoutMs: CLI_MS });
    assert.equal(resumed.code, 0, show(resumed));
    assert.equal(await runId(targetUrl), id);
    assert.deepEqual(await targetDigests(targetUrl), await expectedDigests(sourceUrl));
  } finally {
    for (const f of files) await Deno.remove(f);
    for (const db of [source, other, target]) await dropDb(db);
  }
});

Deno.test("fault suite: a resumed chunked run loads every row after the source grew between attempts", async () => {
  const source = await createDb("fault_src");
  const target = await createDb("fault_dst");
  const [sourceUrl, targetUrl] = [dbUrl(source), dbUrl(target)];
  try {
    await seedSource(sourceUrl, { ...SMALL, "public.customers": 40_000 });
    await prepareTarget(targetUrl);
    // customers (40k rows, ids 1..40000) is split into 4 key ranges of 10k; a target-only check makes
    // the third range fail, so the first attempt commits exactly the first two.
    await exec(targetUrl, "alter table customers add constraint not_third check (id < 20001 or id > 30000)");
    // Only customers is under test: no target foreign key to it, as for a table nothing references, so a
    // gap in it can only show in its own rows.
    await exec(targetUrl, "alter table orders drop constraint orders_customer_id_fkey");
    const policy = faultPolicy(sourceUrl, targetUrl);
    await assert.rejects(
      withDeadline(run(policy, { jobs: 1, chunkRows: 10_000, retries: 0 }), CLI_MS, "the first attempt"),
      (e: unknown) => e instanceof PrivaciError && e.code === "PG_COPY",
    );
    const first = await loadState(targetUrl);
    assert.equal(first.rows["public.customers"], 20_000);
    assert.equal(first.checkpointed["public.customers"], 20_000);

    // Production writes between the attempts: new customers after a jump of the id sequence.
    await exec(targetUrl, "alter table customers drop constraint not_third");
    await exec(
      sourceUrl,
      `insert into customers select i, 'Customer ' || i, 'c' || i || '@example.com', now(), md5(i::text)
         from generate_series(100001, 110000) i;
       analyze customers;`,
    );
    let outcome: string;
    try {
      const report = await withDeadline(
        run(policy, { jobs: 1, chunkRows: 10_000, resume: true }),
        CLI_MS,
        "the resumed run",
      );
      outcome = `resumed: ${JSON.stringify(report.tables.map((t) => [t.table, t.status, t.rows]))}`;
    } catch (e) {
      // Refusing to resume is a safe answer too; silently skipping rows is not.
      assert.ok(e instanceof PrivaciError && e.code === "RESUME_REFUSED", String(e));
      return;
    }
    const state = await loadState(targetUrl);
    assert.deepEqual(state.rows, state.checkpointed);
    const [{ n }] = await (async () => {
      const sql = connect(sourceUrl);
      try {
        return await sql.unsafe<{ n: number }[]>("select count(*)::int as n from customers");
      } finally {
        await sql.end();
      }
    })();
    assert.equal(
      state.rows["public.customers"],
      n,
      `customers rows in the target after resume vs the source (${outcome})`,
    );
    assert.deepEqual(await targetDigests(targetUrl), await expectedDigests(sourceUrl));
  } finally {
    await dropDb(source);
    await dropDb(target);
  }
});
