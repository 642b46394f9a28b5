/**
 * Fault suite, a connection lost while it starts up: postgres.js runs a type query on every new
 * connection and drops its promise (porsager/postgres#1192), so a backend terminated at that moment
 * escapes as an unhandled rejection, which ends the CLI with an uncaught error instead of PrivaCI's
 * error (and skips its retries and its run-state update). A lock on `pg_type` holds the new target
 * connection inside that query, deterministically, until the test terminates it.
 */
import assert from "node:assert/strict";
import { PgError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { connect, createDb, dbUrl, dropDb } from "../_pg.ts";
import {
  ADMIN_URL,
  faultPolicy,
  prepareTarget,
  seedSource,
  TINY_SIZES,
  withDeadline,
} from "../fixtures/fault/harness.ts";

Deno.test("fault suite: a target connection terminated during its start-up fails the run cleanly", async () => {
  const source = await createDb("fault_src");
  const target = await createDb("fault_dst");
  const unhandled: string[] = [];
  const record = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    const r = e.reason as { code?: unknown; query?: unknown } | undefined;
    unhandled.push(`${String(r?.code)} (query: ${String(r?.query).replace(/\s+/g, " ").trim()})`);
  };
  globalThis.addEventListener("unhandledrejection", record);
  const locker = connect(dbUrl(target));
  const admin = connect(ADMIN_URL);
  try {
    await seedSource(dbUrl(source), TINY_SIZES);
    await prepareTarget(dbUrl(target));
    const held = await locker.reserve();
    await held.unsafe("begin");
    await held.unsafe("lock table pg_catalog.pg_type in access exclusive mode");
    const outcome = run(faultPolicy(dbUrl(source), dbUrl(target)), { retries: 0 })
      .then(() => undefined, (e: unknown) => e);
    // Wait (bounded) for PrivaCI's target connection to block on the lock, then terminate it.
    let killed = 0;
    for (let i = 0; i < 1000 && killed === 0; i++) {
      const rows = await admin.unsafe<{ ok: boolean }[]>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = $1 and application_name like 'privaci%' and wait_event_type = 'Lock'`,
        [target],
      );
      killed = rows.filter((r) => r.ok).length;
      if (killed === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await held.unsafe("rollback");
    held.release();
    assert.equal(killed, 1, "no PrivaCI connection was seen waiting on the lock");
    const error = await withDeadline(outcome, 60_000, "the run");
    assert.ok(error instanceof PgError, String(error));
    assert.equal(error.code, "PG_CONNECT");
    // Let any dropped promise surface before judging.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(unhandled, [], "rejections nobody handled");
  } finally {
    globalThis.removeEventListener("unhandledrejection", record);
    await locker.end();
    await admin.end();
    await dropDb(source);
    await dropDb(target);
  }
});
