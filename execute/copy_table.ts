/**
 * Copies one table: source snapshot → {@link MaskStream} → target transaction, under one AbortSignal.
 * Any failure on either side aborts both: the source COPY is dropped and the target transaction rolled
 * back, so the table is either complete or absent.
 *
 * @module
 */
import { PgError, PipelineError, PluginError, PrivaciError } from "../errors.ts";
import type { Chunk } from "../pg/units.ts";
import { openSink } from "../pg/sink.ts";
import type { SourceSnapshot } from "../pg/source.ts";
import { pgErrorFields } from "../pg/server_error.ts";
import type { TableReport } from "../report/report.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { MaskStream } from "./mask_stream.ts";
import type { MaskPool } from "./mask_pool.ts";
import type { TablePlan } from "../plan/plan.ts";
import type { KeptRows } from "../subset/kept.ts";

/** Options of {@link copyTable}. */
export interface CopyTableOptions {
  snapshot: SourceSnapshot;
  targetUrl: string;
  /** The chunk of a table split into key ranges (plan/chunks.ts); its range is combined with `where:`. */
  chunk?: Chunk;
  /** SQL run in the table's transaction before COPY. */
  setup?: readonly string[];
  signal?: AbortSignal;
  /** Runs in the table's transaction before COMMIT, with the rows copied (checkpoints). */
  beforeCommit?: (tx: import("postgres").Sql, rows: number) => Promise<void>;
  /** The run's masking workers; without it (or when it does not accept the table) masking runs inline. */
  pool?: MaskPool | null;
  /**
   * A subset's kept rows, computed once for the run: a table it filters is read by their addresses (those
   * of `chunk`) instead of by its filter (which would compute the closure again).
   */
  kept?: KeptRows;
  /** Called about every second with the live counters. */
  onTick?: (table: string, rows: number, bytes: number) => void;
}

/** Copies one planned table and returns its report line. */
export async function copyTable(
  plan: TablePlan,
  columns: readonly MaskedColumn[],
  options: CopyTableOptions,
): Promise<TableReport> {
  const started = performance.now();
  const names = plan.columns.map((c) => c.info.column);
  const masked: Record<string, string> = {};
  for (const c of columns) if (c.masker) masked[c.column.column] = c.strategy;
  const mask = new MaskStream(plan.info, columns, {
    pool: options.pool ?? null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const spec = {
    schema: plan.info.schema,
    table: plan.info.table,
    kind: plan.info.kind,
    columns: names,
    ...(plan.expressions ? { expressions: plan.expressions } : {}),
  };
  const readable = options.kept?.has(plan.name)
    ? options.kept.read(options.snapshot, {
      ...spec,
      ...(options.chunk?.where ? { where: options.chunk.where } : {}),
    }, { chunk: options.chunk?.index ?? 0 })
    : await options.snapshot.read({
      ...spec,
      ...(whereOf(plan.where, options.chunk?.where)
        ? { where: whereOf(plan.where, options.chunk?.where)! }
        : {}),
    });
  let sink;
  try {
    sink = await openSink(options.targetUrl, {
      schema: plan.info.schema,
      table: plan.info.table,
      columns: names,
      ...(options.setup ? { setup: options.setup } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.beforeCommit ? { beforeCommit: (tx) => options.beforeCommit!(tx, mask.stats.rows) } : {}),
    });
  } catch (e) {
    await readable.cancel(e);
    if (options.signal?.aborted) throw interrupted(plan.name, e);
    throw e;
  }
  const tick = options.onTick
    ? setInterval(() => options.onTick!(plan.name, mask.stats.rows, mask.stats.bytesIn), 1000)
    : undefined;
  try {
    await readable.pipeThrough(mask).pipeTo(sink.writable, options.signal ? { signal: options.signal } : {});
    await sink.committed;
  } catch (e) {
    if (options.signal?.aborted) throw interrupted(plan.name, e);
    const error = e instanceof PrivaciError ? withCollisionHint(e, plan) : new PipelineError(
      "PG_COPY",
      `Cannot copy ${plan.name}: reading the source failed: ${pgErrorFields(e).summary}`,
      { table: plan.name, row: mask.stats.rows + 1 },
      { cause: e },
    );
    throw options.chunk?.where ? inChunk(error, options.chunk.index, options.chunk.where) : error;
  } finally {
    clearInterval(tick);
  }
  return {
    table: plan.name,
    status: "copied",
    rows: mask.stats.rows,
    bytesIn: mask.stats.bytesIn,
    bytesOut: mask.stats.bytesOut,
    ms: performance.now() - started,
    masked,
    kept: columns.length - Object.keys(masked).length,
  };
}

function whereOf(policy?: string, range?: string): string | undefined {
  if (policy && range) return `(${policy}) and (${range})`;
  return policy || range || undefined;
}

/**
 * The error of one chunk's copy, naming the chunk and its key range: the rows its message counts are
 * counted from the chunk's first row, which only the range places in the table.
 */
function inChunk(e: PrivaciError, index: number, range: string): PrivaciError {
  if (e instanceof PluginError) return e.inChunk(index, range);
  const where = ` (in chunk ${index}, key range ${range}; rows counted from the chunk's first)`;
  const options = {
    exitCode: e.exitCode,
    cause: e.cause ?? e,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
  };
  if (e instanceof PipelineError) {
    const { table, column, strategy, row } = e;
    return new PipelineError(e.code, e.message + where, { table, column, strategy, row }, options);
  }
  if (e instanceof PgError) {
    const { sqlstate, table, column } = e;
    return new PgError(e.code, e.message + where, { sqlstate, table, column }, options);
  }
  return e;
}

/**
 * A unique violation in a table with a `unique: true` column whose distinct values are likely, not
 * certain (a shard, a part of a resumed run or a masking worker checks only the values it masks): the
 * hint says what to change.
 */
function withCollisionHint(e: PrivaciError, plan: TablePlan): PrivaciError {
  if (!(e instanceof PgError) || e.sqlstate !== "23505" || e.hint !== undefined) return e;
  const likely = plan.columns.filter((c) => c.rule?.unique && c.rule.definition.meta.collisionHint);
  if (likely.length === 0) return e;
  const { sqlstate, table, column } = e;
  const hint = likely.map((c) =>
    `${c.info.column} (${c.rule!.definition.meta.name} with unique: true) may have collided (shards, parts ` +
    `of a resumed run and masking workers each check only the values they mask): ${
      c.rule!.definition.meta.collisionHint
    }`
  ).join("; ");
  return new PgError(e.code, e.message, { sqlstate, table, column }, {
    exitCode: e.exitCode,
    cause: e.cause ?? e,
    hint: `${hint}; else the source holds values the target's unique index refuses`,
  });
}

function interrupted(table: string, cause: unknown): PrivaciError {
  return new PrivaciError("INTERRUPTED", `Stopped while copying ${table}: its transaction was rolled back`, {
    cause,
  });
}
