/**
 * A run's record in the target (schema `privaci`): what it copies from, under which policy, from which
 * snapshot, and whether it is done, so an interrupted run can resume and shards can join one run. The
 * units of the run (tables and key ranges) and their checkpoints are in units.ts.
 *
 * @module
 */
import type postgres from "postgres";
import { z } from "zod";
import { EXIT, PrivaciError } from "../errors.ts";
import { openClient, reserveConnection } from "./connect.ts";
import { FINISH, lockRun, resolveFailures } from "./unit_failures.ts";

const RunRowSchema = z.object({
  run_id: z.string().uuid(),
  policy_hash: z.string().regex(/^[0-9a-f]{64}$/),
  source_id: z.string(),
  status: z.enum(["running", "failed", "done"]),
  snapshot: z.string(),
  started_at: z.string(),
  run_key: z.string().nullable(),
});

/** A run as recorded in the target. */
export type RunRow = z.infer<typeof RunRowSchema>;

const RUN_COLUMNS = "run_id::text, policy_hash, source_id, status, snapshot, started_at::text, run_key";

// `run_key` came with shards: targets written before it get the column added.
const DDL = `
create schema if not exists privaci;
create table if not exists privaci.runs (
  run_id uuid primary key,
  policy_hash text not null,
  source_id text not null,
  status text not null check (status in ('running', 'failed', 'done')),
  snapshot text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
alter table privaci.runs add column if not exists run_key text;
create unique index if not exists runs_run_key on privaci.runs (run_key);
create table if not exists privaci.checkpoints (
  run_id uuid not null references privaci.runs on delete cascade,
  table_name text not null,
  chunk int not null default 0,
  rows bigint not null,
  snapshot text not null,
  completed_at timestamptz not null default now(),
  primary key (run_id, table_name, chunk)
);
create table if not exists privaci.chunks (
  run_id uuid not null references privaci.runs on delete cascade,
  table_name text not null,
  chunk int not null,
  range text,
  primary key (run_id, table_name, chunk)
);
create table if not exists privaci.failures (
  failure_id bigint generated always as identity primary key,
  run_id uuid not null references privaci.runs on delete cascade,
  table_name text not null,
  chunk int not null,
  shard text,
  code text not null,
  message text not null,
  failed_at timestamptz not null default clock_timestamp(),
  retried_at timestamptz,
  retried_by text
);`;

/** The advisory lock that serializes changes to the state tables' definitions. */
const DDL_LOCK = 7401;
/** The advisory lock under which a shard finds or starts its run (one shard at a time). */
const RUN_LOCK = 7402;

/**
 * Creates the state tables when missing (shards starting at once create them once). When they are there
 * and current nothing runs: the DDL would queue an exclusive lock on `privaci.runs` behind the shards
 * loading or finishing the run, and every checkpoint behind it.
 */
export async function ensureState(target: postgres.Sql): Promise<void> {
  const [{ current }] = await target.unsafe<{ current: boolean }[]>(
    `select to_regclass('privaci.chunks') is not null and to_regclass('privaci.checkpoints') is not null
        and exists (select 1 from pg_attribute where attrelid = to_regclass('privaci.runs') and attname = 'run_key')
        and to_regclass('privaci.runs_run_key') is not null
        and to_regclass('privaci.failures') is not null as current`,
  );
  if (current) return;
  await target.begin(async (tx) => {
    await tx.unsafe(`select pg_advisory_xact_lock(${DDL_LOCK})`);
    await tx.unsafe(DDL);
  });
}

/**
 * Runs `fn` while holding the target's run lock on a connection of its own, so that of shards starting
 * at once exactly one starts the run and the others join it. The lock ends with the connection, also
 * when the process dies.
 */
export async function withRunLock<T>(targetUrl: string, fn: () => Promise<T>): Promise<T> {
  const sql = openClient(targetUrl, { name: "privaci run lock", fetchTypes: false });
  try {
    await sql.unsafe(`select pg_advisory_lock(${RUN_LOCK})`);
    return await fn();
  } finally {
    await sql.unsafe(`select pg_advisory_unlock(${RUN_LOCK})`).catch(() => {});
    await sql.end({ timeout: 0 }).catch(() => {});
  }
}

/** Records a new run and returns its id; `runKey` names the run its shards share. */
export async function startRun(
  target: postgres.Sql,
  fields: { policyHash: string; sourceId: string; snapshot: string; runKey?: string },
): Promise<string> {
  const id = crypto.randomUUID();
  await target.unsafe(
    `insert into privaci.runs (run_id, policy_hash, source_id, status, snapshot, run_key)
     values ($1, $2, $3, 'running', $4, $5)`,
    [id, fields.policyHash, fields.sourceId, fields.snapshot, fields.runKey ?? null],
  );
  return id;
}

/** Forgets a run that was refused before it wrote any row (with its chunks and checkpoints). */
export async function discardRun(target: postgres.Sql, id: string): Promise<void> {
  await target.unsafe(`delete from privaci.runs where run_id = $1`, [id]);
}

/** Sets a run's final status. */
export async function finishRun(target: postgres.Sql, id: string, status: "failed" | "done"): Promise<void> {
  await target.unsafe(`update privaci.runs set status = $2, finished_at = now() where run_id = $1`, [
    id,
    status,
  ]);
}

/** The newest run that did not finish, if any. */
export async function unfinishedRun(target: postgres.Sql): Promise<RunRow | undefined> {
  const rows = await target.unsafe(
    `select ${RUN_COLUMNS} from privaci.runs order by started_at desc limit 1`,
  );
  if (rows.length === 0) return undefined;
  const row = RunRowSchema.parse(rows[0]);
  return row.status === "done" ? undefined : row;
}

/** The run its shards started under `runKey`, done or not. */
export async function runByKey(target: postgres.Sql, runKey: string): Promise<RunRow | undefined> {
  const rows = await target.unsafe(`select ${RUN_COLUMNS} from privaci.runs where run_key = $1`, [runKey]);
  return rows.length === 0 ? undefined : RunRowSchema.parse(rows[0]);
}

/**
 * Marks the resumed run as running again (so a second crash can resume it too); never a run that is done
 * (another shard may have finished it since it was read), nor one with a failed unit not loaded since:
 * it stays failed until that unit is (unit_failures.ts).
 */
export async function reopenRun(target: postgres.Sql, id: string): Promise<void> {
  await target.begin(async (tx) => {
    await lockRun(tx, id);
    await tx.unsafe(
      `update privaci.runs set status = 'running', finished_at = null
        where run_id = $1 and status <> 'done'
          and not exists (select 1 from privaci.failures f where f.run_id = $1 and f.retried_at is null)`,
      [id],
    );
  });
}

/**
 * Runs the end of a run once whatever the number of shards: on a connection of its own, locks the run's
 * row (waiting while another shard finishes it) and, unless the run is done by then, runs `fn` and marks
 * it done in the same transaction. Returns whether this call finished the run.
 *
 * Under the lock, every unit in `units` must be checkpointed: the end never runs beside a unit that
 * failed or is still loading. A failure of the end's own, recorded by the caller, is marked retried
 * when it succeeds.
 *
 * @throws {PrivaciError} `INTERNAL` when a unit of `units` has no checkpoint.
 */
export async function finishOnce(
  targetUrl: string,
  id: string,
  fn: () => Promise<void>,
  options: { units?: readonly string[]; by?: string | null } = {},
): Promise<boolean> {
  // Not `fetchTypes: false`: postgres.js 3.4.9's `reserve()` never resolves without the start-up query.
  const sql = openClient(targetUrl, { name: "privaci finish" });
  try {
    const conn = await reserveConnection(sql);
    try {
      await conn.unsafe("begin");
      if (await lockRun(conn, id) === "done") {
        await conn.unsafe("rollback");
        return false;
      }
      const missing = await unloaded(conn, id, options.units ?? []);
      if (missing.length > 0) {
        throw new PrivaciError(
          "INTERNAL",
          `Cannot finish run ${id}: ${missing.length} units have no checkpoint (${
            missing.slice(0, 5).join(", ")
          }${missing.length > 5 ? ", …" : ""})`,
          { hint: "run the shards again with the same arguments: they load what is missing, then finish" },
        );
      }
      await fn();
      await resolveFailures(conn, { runId: id, key: FINISH, by: options.by ?? null });
      await conn.unsafe(`update privaci.runs set status = 'done', finished_at = now() where run_id = $1`, [
        id,
      ]);
      await conn.unsafe("commit");
      return true;
    } catch (e) {
      await conn.unsafe("rollback").catch(() => {});
      throw e;
    } finally {
      conn.release();
    }
  } finally {
    await sql.end({ timeout: 0 }).catch(() => {});
  }
}

/** The keys among `units` (`schema.table#chunk`) without a checkpoint in run `id`. */
async function unloaded(sql: postgres.Sql, id: string, units: readonly string[]): Promise<string[]> {
  if (units.length === 0) return [];
  const rows = await sql.unsafe<{ key: string }[]>(
    `select k as key from unnest($2::text[]) k
      where not exists (select 1 from privaci.checkpoints c
                         where c.run_id = $1 and c.table_name || '#' || c.chunk = k)
      order by k`,
    [id, units as string[]],
  );
  return rows.map((r) => r.key);
}

/** The run's status now (`running`, `failed` or `done`). */
export async function runStatus(target: postgres.Sql, id: string): Promise<RunRow["status"] | undefined> {
  const rows = await target.unsafe<{ status: RunRow["status"] }[]>(
    `select status from privaci.runs where run_id = $1`,
    [id],
  );
  return rows[0]?.status;
}

/** Refuses to resume a run recorded under another policy or source. */
export function assertResumable(row: RunRow | undefined, policyHash: string, sourceId: string): RunRow {
  if (!row) {
    throw new PrivaciError("RESUME_REFUSED", "Cannot resume: the target records no unfinished run", {
      exitCode: EXIT.usage,
      hint: "run without --resume to start a new copy",
    });
  }
  if (row.policy_hash !== policyHash) {
    throw new PrivaciError(
      "RESUME_REFUSED",
      `Cannot resume run ${row.run_id}: the policy changed since it started (its tables would be masked differently)`,
      { exitCode: EXIT.usage, hint: "restore the policy it ran with, or start over with --truncate" },
    );
  }
  if (row.source_id !== sourceId) {
    throw new PrivaciError(
      "RESUME_REFUSED",
      `Cannot resume run ${row.run_id}: it copied from another source database`,
      {
        exitCode: EXIT.usage,
        hint: "point 'source:' at the database it started from, or start over with --truncate",
      },
    );
  }
  return row;
}

/** A stable fingerprint of what decides the target's content: the policy without URLs, and the key. */
export async function policyHash(policy: Record<string, unknown>, keyFingerprint: string): Promise<string> {
  const { source: _s, target: _t, key: _k, ...rest } = policy;
  const text = canonicalJson(rest) + "\n" + keyFingerprint;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
