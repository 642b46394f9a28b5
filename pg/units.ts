/**
 * The units of a run's load, kept in the target's `privaci` schema beside the run (run_state.ts): a unit
 * is a whole table or one primary-key range of it, keyed `schema.table#chunk`. A run records its units
 * once (`privaci.chunks`), so a resumed run or another shard loads exactly the same ranges; each unit's
 * checkpoint (`privaci.checkpoints`) is written in the transaction that loads its rows, so a crash leaves
 * every unit either complete and recorded, or absent and unrecorded.
 *
 * Shards take units with `FOR UPDATE SKIP LOCKED` on the unit's row ({@link UnitClaims}); the
 * checkpoint's primary key refuses a unit loaded twice whatever happens to the claim.
 *
 * The target's own tables are checked here too: which already hold rows, and emptying them.
 *
 * @module
 */
import type postgres from "postgres";
import { openClient, reserveConnection } from "./connect.ts";
import { quoteTable } from "./source.ts";

/** One part of a table: `where` is the key range (absent for a whole table). */
export interface Chunk {
  index: number;
  where?: string;
}

/** One unit of a run's load: a table's chunk. */
export interface Unit {
  /** `schema.table`. */
  table: string;
  chunk: Chunk;
}

/** The key of a unit: `schema.table#chunk`. */
export function unitKey(table: string, chunk: number): string {
  return `${table}#${chunk}`;
}

/** `schema.table#3` → `["schema.table", 3]`. */
export function splitUnitKey(key: string): [string, number] {
  const i = key.lastIndexOf("#");
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

/** A step of the run recorded like a unit (`privaci:schema-pre#0`: the pre-data schema was created). */
export const SCHEMA_PRE = unitKey("privaci:schema-pre", 0);

/**
 * Recorded once the shard that started a run has recorded its units and checked (or emptied) its
 * tables: the other shards join it without taking the run lock.
 */
export const RUN_STARTED = unitKey("privaci:started", 0);

/** Records the key ranges a run split its tables into, so a resumed run reuses exactly the same ones. */
export async function saveChunks(
  target: postgres.Sql,
  runId: string,
  chunks: ReadonlyMap<string, readonly Chunk[]>,
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
export async function loadChunks(target: postgres.Sql, runId: string): Promise<Map<string, Chunk[]>> {
  const rows = await target.unsafe<{ table_name: string; chunk: number; range: string | null }[]>(
    `select table_name, chunk, range from privaci.chunks where run_id = $1 order by table_name, chunk`,
    [runId],
  );
  const out = new Map<string, Chunk[]>();
  for (const r of rows) {
    const list = out.get(r.table_name) ?? [];
    list.push(r.range === null ? { index: r.chunk } : { index: r.chunk, where: r.range });
    out.set(r.table_name, list);
  }
  return out;
}

/** Completed units of a run (keys from {@link unitKey}), with the snapshot each was read from. */
export async function completedUnits(target: postgres.Sql, runId: string): Promise<Map<string, string>> {
  const rows = await target.unsafe<{ table_name: string; chunk: number; snapshot: string }[]>(
    `select table_name, chunk, snapshot from privaci.checkpoints where run_id = $1`,
    [runId],
  );
  return new Map(rows.map((r) => [unitKey(r.table_name, r.chunk), r.snapshot]));
}

/** Writes a unit's checkpoint; called inside the unit's own transaction, just before COMMIT. */
export async function checkpoint(
  tx: postgres.Sql,
  fields: { runId: string; key: string; rows: number; snapshot: string },
): Promise<void> {
  const [table, chunk] = splitUnitKey(fields.key);
  await tx.unsafe(
    `insert into privaci.checkpoints (run_id, table_name, chunk, rows, snapshot) values ($1, $2, $3, $4, $5)`,
    [fields.runId, table, chunk, fields.rows, fields.snapshot],
  );
}

/** A unit taken by this process: other shards skip it until {@link UnitClaim.release}. */
export interface UnitClaim {
  /** Lets the unit go (after its checkpoint committed, or after it failed and was rolled back). */
  release(): Promise<void>;
}

/**
 * Claims on a run's units, one connection per unit in flight: each claim is a transaction holding the
 * unit's row `FOR UPDATE`, so a shard that dies lets its units go with its connections.
 */
export class UnitClaims implements AsyncDisposable {
  #sql: postgres.Sql;
  #runId: string;
  #since: string | null;

  /**
   * `size`: the units this process loads at once; `since`: when this process joined the run (the
   * target's clock), so that a unit another shard failed on after that is left for that shard's re-run.
   */
  constructor(targetUrl: string, runId: string, size: number, since?: string) {
    // With `fetch_types: false`, postgres.js 3.4.9's `reserve()` on a pool not yet connected never
    // resolves: claims keep the start-up type query.
    this.#sql = openClient(targetUrl, { name: "privaci claim", max: size });
    this.#runId = runId;
    this.#since = since ?? null;
  }

  /**
   * Takes `key` for this process: `busy` when another shard holds it, `done` when its checkpoint is
   * committed (by whichever shard), `failed` when another shard failed on it after this process joined
   * (its re-run, or any shard started later, loads it again).
   */
  async claim(key: string): Promise<UnitClaim | "busy" | "done" | "failed"> {
    const [table, chunk] = splitUnitKey(key);
    const conn = await reserveConnection(this.#sql);
    let held = false;
    try {
      await conn.unsafe("begin");
      const got = await conn.unsafe(
        `select 1 from privaci.chunks where run_id = $1 and table_name = $2 and chunk = $3
           for update skip locked`,
        [this.#runId, table, chunk],
      );
      if (got.length === 0) return "busy";
      // A statement of its own, after the lock: the one above may have read the checkpoints from before
      // the shard that held the unit committed it.
      const [{ done }] = await conn.unsafe<{ done: boolean }[]>(
        `select exists (select 1 from privaci.checkpoints where run_id = $1 and table_name = $2 and chunk = $3)
           as done`,
        [this.#runId, table, chunk],
      );
      if (done) return "done";
      if (this.#since !== null) {
        const [{ failed }] = await conn.unsafe<{ failed: boolean }[]>(
          `select exists (select 1 from privaci.failures where run_id = $1 and table_name = $2 and chunk = $3
                             and retried_at is null and failed_at >= $4::timestamptz) as failed`,
          [this.#runId, table, chunk, this.#since],
        );
        if (failed) return "failed";
      }
      held = true;
      return {
        release: async () => {
          await conn.unsafe("rollback").catch(() => {});
          conn.release();
        },
      };
    } finally {
      if (!held) {
        await conn.unsafe("rollback").catch(() => {});
        conn.release();
      }
    }
  }

  /** Ends every claim's connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#sql.end({ timeout: 0 }).catch(() => {});
  }
}

/** The tables among `tables` that already hold rows in the target. */
export async function nonEmpty(
  target: postgres.Sql,
  tables: readonly { schema: string; table: string }[],
): Promise<string[]> {
  const full: string[] = [];
  for (const { schema, table } of tables) {
    const [{ any }] = await target.unsafe<{ any: boolean }[]>(
      `select exists (select 1 from ${quoteTable({ schema, table })}) as any`,
    );
    if (any) full.push(`${schema}.${table}`);
  }
  return full;
}

/**
 * Empties the given tables for run `runId` in one statement (so foreign keys between them do not stand
 * in the way), and in the same transaction forgets the checkpoints older runs recorded for them: those
 * rows are gone, and the run state must never claim a table holds what it does not.
 */
export async function truncate(
  target: postgres.Sql,
  runId: string,
  tables: readonly { schema: string; table: string }[],
): Promise<void> {
  if (tables.length === 0) return;
  await target.begin(async (tx) => {
    await tx.unsafe(`truncate table ${tables.map(quoteTable).join(", ")}`);
    await tx.unsafe(
      `delete from privaci.checkpoints
        where run_id <> $1 and table_name in (select jsonb_array_elements_text($2::text::jsonb))`,
      [runId, JSON.stringify(tables.map((t) => `${t.schema}.${t.table}`))],
    );
  });
}
