/**
 * Run state kept in the target (schema `privaci`), so an interrupted run can resume. Each table's
 * checkpoint is written in the same transaction as its rows: a crash leaves every table either complete
 * and recorded, or absent and unrecorded.
 *
 * @module
 */
import type postgres from "postgres";
import { z } from "zod";
import { EXIT, PrivaciError } from "../errors.ts";

const RunRowSchema = z.object({
  run_id: z.string().uuid(),
  policy_hash: z.string().regex(/^[0-9a-f]{64}$/),
  source_id: z.string(),
  status: z.enum(["running", "failed", "done"]),
  snapshot: z.string(),
  started_at: z.string(),
});

/** A run as recorded in the target. */
export type RunRow = z.infer<typeof RunRowSchema>;

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
);`;

/** Creates the state tables when missing. */
export async function ensureState(target: postgres.Sql): Promise<void> {
  await target.unsafe(`select pg_advisory_xact_lock(7401)`).catch(() => {});
  await target.unsafe(DDL);
}

/** Records a new run and returns its id. */
export async function startRun(
  target: postgres.Sql,
  fields: { policyHash: string; sourceId: string; snapshot: string },
): Promise<string> {
  const id = crypto.randomUUID();
  await target.unsafe(
    `insert into privaci.runs (run_id, policy_hash, source_id, status, snapshot) values ($1, $2, $3, 'running', $4)`,
    [id, fields.policyHash, fields.sourceId, fields.snapshot],
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
    `select run_id::text, policy_hash, source_id, status, snapshot, started_at::text
       from privaci.runs order by started_at desc limit 1`,
  );
  if (rows.length === 0) return undefined;
  const row = RunRowSchema.parse(rows[0]);
  return row.status === "done" ? undefined : row;
}

/** The key of one table chunk in {@link completedUnits}: `schema.table#chunk`. */
export function unitKey(table: string, chunk: number): string {
  return `${table}#${chunk}`;
}

/** Completed chunks of a run (keys from {@link unitKey}), with the snapshot each was read from. */
export async function completedUnits(target: postgres.Sql, id: string): Promise<Map<string, string>> {
  const rows = await target.unsafe<{ table_name: string; chunk: number; snapshot: string }[]>(
    `select table_name, chunk, snapshot from privaci.checkpoints where run_id = $1`,
    [id],
  );
  return new Map(rows.map((r) => [unitKey(r.table_name, r.chunk), r.snapshot]));
}

/** Writes a table's checkpoint; called inside the table's own transaction, just before COMMIT. */
export async function checkpoint(
  tx: postgres.Sql,
  fields: { runId: string; table: string; chunk: number; rows: number; snapshot: string },
): Promise<void> {
  await tx.unsafe(
    `insert into privaci.checkpoints (run_id, table_name, chunk, rows, snapshot) values ($1, $2, $3, $4, $5)`,
    [fields.runId, fields.table, fields.chunk, fields.rows, fields.snapshot],
  );
}

/** Marks the resumed run as running again (so a second crash can resume it too). */
export async function reopenRun(target: postgres.Sql, id: string): Promise<void> {
  await target.unsafe(`update privaci.runs set status = 'running', finished_at = null where run_id = $1`, [
    id,
  ]);
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

/** Records the key ranges a run split its tables into, so a resumed run reuses exactly the same ones. */
export async function saveChunks(
  target: postgres.Sql,
  runId: string,
  chunks: ReadonlyMap<string, readonly { index: number; where?: string }[]>,
): Promise<void> {
  for (const [table, list] of chunks) {
    for (const c of list) {
      await target.unsafe(
        `insert into privaci.chunks (run_id, table_name, chunk, range) values ($1, $2, $3, $4)`,
        [runId, table, c.index, c.where ?? null],
      );
    }
  }
}

/** The key ranges recorded for a run, by table (empty when the run recorded none). */
export async function loadChunks(
  target: postgres.Sql,
  runId: string,
): Promise<Map<string, { index: number; where?: string }[]>> {
  const rows = await target.unsafe<{ table_name: string; chunk: number; range: string | null }[]>(
    `select table_name, chunk, range from privaci.chunks where run_id = $1 order by table_name, chunk`,
    [runId],
  );
  const out = new Map<string, { index: number; where?: string }[]>();
  for (const r of rows) {
    const list = out.get(r.table_name) ?? [];
    list.push(r.range === null ? { index: r.chunk } : { index: r.chunk, where: r.range });
    out.set(r.table_name, list);
  }
  return out;
}
