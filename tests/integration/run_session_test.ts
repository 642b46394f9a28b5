import assert from "node:assert/strict";
import { PgError } from "../../errors.ts";
import { dryRun } from "../../execute/run.ts";
import { SourceSnapshot } from "../../pg/source.ts";
import { ADMIN_URL, connect, dbUrl, exec, withDbs } from "../_pg.ts";
import { policyFor } from "../fixtures/core/policy.ts";

/** The sessions still open of `role` or on `db`, for the failure message: who they are and what they do. */
async function lingering(role: string, db: string): Promise<string> {
  const admin = connect(ADMIN_URL);
  try {
    const rows = await admin.unsafe(
      `select usename, datname, application_name, state, backend_start, state_change, left(query, 80) as query
         from pg_stat_activity
        where usename = $1 or (datname = $2 and application_name <> 'privaci-test')`,
      [role, db],
    );
    return JSON.stringify(rows);
  } finally {
    await admin.end();
  }
}

/** Sessions of `role` on the server, and sessions on database `db`, other than this test's own. */
async function sessions(role: string, db: string): Promise<{ role: number; db: number }> {
  const admin = connect(ADMIN_URL);
  try {
    const [row] = await admin.unsafe<{ role: number; db: number }[]>(
      `select count(*) filter (where usename = $1)::int as role,
              count(*) filter (where datname = $2 and application_name <> 'privaci-test')::int as db
         from pg_stat_activity`,
      [role, db],
    );
    return row;
  } finally {
    await admin.end();
  }
}

/**
 * Session counts once the server has ended the backends whose clients said goodbye (shortly after), within
 * a bound long enough for a server busy with many parallel test databases (10 s was passed once in CI).
 */
async function settledSessions(role: string, db: string): Promise<{ role: number; db: number }> {
  let left = await sessions(role, db);
  for (let i = 0; i < 300 && (left.role > 0 || left.db > 0); i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = await sessions(role, db);
  }
  return left;
}

/** Runs `fn` with a login role allowed one connection to `source`, and its URL there; drops the role after. */
async function withOneConnectionRole(
  source: string,
  fn: (limitedUrl: string, role: string) => Promise<void>,
): Promise<void> {
  const role = `privaci_one_${Deno.pid}_${Date.now().toString(36)}`;
  await exec(
    ADMIN_URL,
    `create role "${role}" login connection limit 1; grant all on database "${source}" to "${role}"`,
  );
  try {
    const limited = new URL(dbUrl(source));
    limited.username = role;
    await fn(limited.toString(), role);
  } finally {
    await exec(ADMIN_URL, `drop owned by "${role}"; drop role if exists "${role}"`).catch(() => {});
  }
}

Deno.test("dryRun() closes the source and target connections when the source snapshot cannot be opened", async () => {
  await withDbs(async ({ source, target, sourceUrl, targetUrl }) => {
    // A role allowed one connection: the session's catalog connection gets it, the snapshot's is refused.
    await withOneConnectionRole(source, async (limited, role) => {
      await exec(sourceUrl, "create table t (id int primary key); insert into t values (1)");
      await exec(targetUrl, "create table t (id int primary key)");
      const src = policyFor(limited, targetUrl, "tables:\n  public.t:\n    columns: { id: keep }\n");
      await assert.rejects(dryRun(src), (e: unknown) => {
        assert.ok(e instanceof PgError, String(e));
        assert.equal(e.code, "PG_CONNECT");
        return true;
      });
      assert.deepEqual(
        await settledSessions(role, target),
        { role: 0, db: 0 },
        await lingering(role, target),
      );
    });
  });
});

Deno.test("SourceSnapshot.open() leaves no session behind when refused, even when the slot frees just after", async () => {
  // postgres.js retries a refused connection once more in the background; when the one slot it was refused
  // for frees before that retry (under load, the session's catalog connection closing), the retry used to
  // succeed and stay open with nobody to end it. The holder lets go at a few delays around that retry.
  await withDbs(async ({ source, target }) => {
    await withOneConnectionRole(source, async (limited, role) => {
      let refused = 0;
      for (let wait = 1; wait <= 40; wait += 3) {
        const holder = connect(limited);
        await holder`select 1`;
        const opening = SourceSnapshot.open(limited).then((s) => s, (e: unknown) => e);
        await new Promise((r) => setTimeout(r, wait));
        await holder.end();
        const got = await opening;
        if (got instanceof SourceSnapshot) {
          await got.close(); // the slot freed before the first try: nothing to check at this delay
        } else {
          assert.ok(got instanceof PgError && got.code === "PG_CONNECT", String(got));
          refused++;
        }
        // A late retry comes after postgres.js's first backoff (15–30 ms); give it ten times that, then the
        // session count must fall to zero (the server ends a closed backend shortly after its client says goodbye).
        await new Promise((r) => setTimeout(r, 300));
        const left = await settledSessions(role, target);
        assert.equal(left.role, 0, `after releasing at ${wait} ms: ${await lingering(role, target)}`);
      }
      assert.ok(refused > 0, "no delay produced a refused connection: the test checked nothing");
    });
  });
});
