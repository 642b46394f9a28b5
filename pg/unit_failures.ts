/**
 * Failed units, kept in the target's `privaci.failures` beside the run (run_state.ts): which unit
 * (`schema.table#chunk`, or the run's end, {@link FINISH}), which shard, the error's code and message
 * (never a cell value), when, and when a later attempt loaded it. A failure marks the run failed, and it
 * stays failed until every failed unit is loaded again: every shard, `--resume` and the report read it
 * here, whichever process failed.
 *
 * @module
 */
import type postgres from "postgres";
import { splitUnitKey, unitKey } from "./units.ts";

/** The run's end (keys validated, post-data schema, sequences), recorded like a unit when it fails. */
export const FINISH = unitKey("privaci:finish", 0);

/** A failed unit of a run, and its retry when there was one. */
export interface UnitFailure {
  /** `schema.table#chunk`, or {@link FINISH}. */
  unit: string;
  /** The shard that failed (`1/4`), absent for a run of one process. */
  shard?: string;
  /** The error's code (`PG_COPY`, `STRATEGY_FAILED`, …). */
  code: string;
  /** The error's message: the table, column, row ordinal and cause, never a value. */
  message: string;
  /** When it failed (ISO 8601, UTC). */
  failedAt: string;
  /** When a later attempt loaded the unit (ISO 8601, UTC); absent while it is still failed. */
  retriedAt?: string;
  /** The shard that loaded it then (`1/4`), absent for a run of one process. */
  retriedBy?: string;
}

/**
 * Locks run `id`'s row for the rest of the transaction `tx`, before a status change that depends on its
 * failures. Under READ COMMITTED an `update … where not exists (…failures…)` that waits for another
 * transaction's lock on the row re-checks the row when that one commits, but not the subquery: a shard
 * reopening the run while another records a failure would set the run running beside the failure it
 * could not see. After the lock is taken, the next statement reads what the other transaction committed.
 * `no key update` leaves the checkpoints' and failures' foreign keys (`for key share`) free. Returns the
 * run's status, read under the lock.
 */
export async function lockRun(
  tx: postgres.Sql | postgres.TransactionSql,
  id: string,
): Promise<string | undefined> {
  const [row] = await tx.unsafe<{ status: string }[]>(
    `select status from privaci.runs where run_id = $1 for no key update`,
    [id],
  );
  return row?.status;
}

/**
 * Records that `key` failed and marks the run failed, in one transaction. Called while the unit is
 * still claimed, so no other shard finds it free and unrecorded.
 */
export async function recordFailure(
  target: postgres.Sql,
  fields: { runId: string; key: string; shard: string | null; code: string; message: string },
): Promise<void> {
  const [table, chunk] = splitUnitKey(fields.key);
  await target.begin(async (tx) => {
    await lockRun(tx, fields.runId);
    await tx.unsafe(
      `insert into privaci.failures (run_id, table_name, chunk, shard, code, message)
       values ($1, $2, $3, $4, $5, $6)`,
      [fields.runId, table, chunk, fields.shard, fields.code, fields.message],
    );
    await tx.unsafe(
      `update privaci.runs set status = 'failed', finished_at = now() where run_id = $1 and status <> 'done'`,
      [fields.runId],
    );
  });
}

/**
 * Marks the failures of `key` retried (inside the transaction that loads it, before its COMMIT) and the
 * run running again once no failed unit is left.
 */
export async function resolveFailures(
  tx: postgres.Sql | postgres.TransactionSql,
  fields: { runId: string; key: string; by: string | null },
): Promise<void> {
  const [table, chunk] = splitUnitKey(fields.key);
  // Two units' retries committing together must not each miss the other's (see lockRun).
  await lockRun(tx, fields.runId);
  await tx.unsafe(
    `update privaci.failures set retried_at = clock_timestamp(), retried_by = $4
      where run_id = $1 and table_name = $2 and chunk = $3 and retried_at is null`,
    [fields.runId, table, chunk, fields.by],
  );
  await tx.unsafe(
    `update privaci.runs set status = 'running', finished_at = null
      where run_id = $1 and status = 'failed'
        and not exists (select 1 from privaci.failures f where f.run_id = $1 and f.retried_at is null)`,
    [fields.runId],
  );
}

/** Every failure of a run, oldest first. */
export async function runFailures(target: postgres.Sql, runId: string): Promise<UnitFailure[]> {
  const rows = await target.unsafe<
    {
      table_name: string;
      chunk: number;
      shard: string | null;
      code: string;
      message: string;
      failed_at: string;
      retried_at: string | null;
      retried_by: string | null;
    }[]
  >(
    `select table_name, chunk, shard, code, message,
            to_char(failed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as failed_at,
            to_char(retried_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as retried_at, retried_by
       from privaci.failures where run_id = $1 order by failure_id`,
    [runId],
  );
  return rows.map((r) => ({
    unit: unitKey(r.table_name, r.chunk),
    ...(r.shard === null ? {} : { shard: r.shard }),
    code: r.code,
    message: r.message,
    failedAt: r.failed_at,
    ...(r.retried_at === null ? {} : { retriedAt: r.retried_at }),
    ...(r.retried_by === null ? {} : { retriedBy: r.retried_by }),
  }));
}

/** The units of a run that failed and were not loaded since, with the time of their last failure. */
export function openFailures(failures: readonly UnitFailure[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of failures) if (f.retriedAt === undefined) out.set(f.unit, f.failedAt);
  return out;
}
