/**
 * `run`, `dryRun` and `check`: the library entry points behind the CLI. Each opens a {@link RunSession}
 * (session.ts), which owns the connections, the snapshot, the workers and the prepared plan, and closes
 * them whatever happens.
 *
 * `run` goes through named phases: **prepare** (bind and plan every rule and build every masker: fail
 * closed, a policy problem stops it before any row moves; record the run in the target), **schema**
 * (`schema: copy`'s pre-data DDL, then the target must have every table and column), **load** (the tables
 * in foreign-key order, `jobs` at a time, each chunk in its own transaction with its checkpoint) and
 * **finish** (foreign keys validated, post-data DDL or sequences, the run marked done).
 *
 * @module
 */
import { type Diagnostic, diagnostic, hasErrors } from "../core/diagnostic.ts";
import { ConfigError, EXIT, PgError, PrivaciError } from "../errors.ts";
import { openClient, redactUrl } from "../pg/connect.ts";
import { type Catalog, introspect, liftNotValid } from "../pg/introspect.ts";
import type { RunReport, TableReport } from "../report/report.ts";
import { totals } from "../report/report.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { copyTable } from "./copy_table.ts";
import { defaultMaskWorkers } from "./mask_pool.ts";
import { ruleName } from "../plan/bind.ts";
import { throwIfIssues } from "../plan/maskers.ts";
import type { PolicySource } from "../plan/plan.ts";
import type { Prepared } from "../plan/prepare.ts";
import { RunSession } from "./session.ts";
import { loadOrder, runInOrder, unitOrder } from "./schedule.ts";
import { planChunks } from "../plan/chunks.ts";
import { copySequences, validateForeignKeys } from "./finish.ts";
import { checkUniqueColumns, type UniqueColumn } from "./unique_check.ts";
import { assertDistinct, missingInTarget, sourceId } from "./target_checks.ts";
import {
  assertResumable,
  discardRun,
  ensureState,
  finishOnce,
  finishRun,
  policyHash,
  reopenRun,
  runByKey,
  type RunRow,
  runStatus,
  startRun,
  unfinishedRun,
  withRunLock,
} from "../pg/run_state.ts";
import {
  checkpoint,
  type Chunk,
  completedUnits,
  loadChunks,
  nonEmpty,
  RUN_STARTED,
  saveChunks,
  SCHEMA_PRE,
  splitUnitKey,
  truncate,
  type Unit,
  UnitClaims,
  unitKey,
} from "../pg/units.ts";
import { FINISH, openFailures, recordFailure, resolveFailures, runFailures } from "../pg/unit_failures.ts";
import { rotateForShard, type ShardOptions } from "./shard.ts";
import { withRetries } from "./retry.ts";
import { createPostData, createPreData, largeObjectsStep, planForTarget } from "./schema_step.ts";
import type { SchemaPlan } from "../pg/schema/plan.ts";
import { countSubset, formatSubsetPlan, type SubsetFilter } from "../subset/plan.ts";
import { KeptRows } from "../subset/kept.ts";
import type { SourceSnapshot } from "../pg/source.ts";
import { planToSql } from "../pg/schema/script.ts";

/** What a run reports as it goes. */
export type ProgressEvent =
  | { type: "plan"; tables: number; skipped: number }
  | { type: "subset-start"; tables: number }
  | { type: "subset-kept"; table: string; rows: number }
  | { type: "table-start"; table: string }
  | { type: "table-progress"; table: string; rows: number; bytes: number }
  | { type: "table-retry"; table: string; attempt: number; reason: string }
  | { type: "table-done"; table: string; report: TableReport };

/** Options of {@link run} and {@link check}. */
export interface RunOptions {
  /** Strategies to use (default: the built-ins and the policy's plugins, resolved as the CLI does). */
  registry?: StrategyRegistry;
  /** Empty the target tables first instead of refusing non-empty ones. */
  truncate?: boolean;
  /** Units (tables, or key ranges of a large table) copied at once (default: policy `options.jobs`, else the number of cores). */
  jobs?: number;
  /** Stops the run: in-flight tables are rolled back. */
  signal?: AbortSignal;
  /** Called with each progress event (the plan, rows so far, retries, each finished table). */
  onProgress?: (event: ProgressEvent) => void;
  /** PrivaCI's version, for the report. */
  version?: string;
  /** Continue the target's unfinished run: skip its completed tables. */
  resume?: boolean;
  /** Attempts after a lost connection, per table (default 3), with backoff from `retryDelayMs` (default 500). */
  retries?: number;
  /** Delay before the first retry in milliseconds (default 500), doubled for each further one, at most 8 s. */
  retryDelayMs?: number;
  /**
   * Called once with the run's report, whether the run succeeded or failed (then with status `failed`,
   * the error and what completed), before `run` returns or throws.
   */
  onReport?: (report: RunReport) => void;
  /** Create the schema (`schema: copy`) and set sequences, but copy no rows. */
  schemaOnly?: boolean;
  /** Tables estimated larger than this are split into primary-key ranges (default: policy `options.chunk_rows`). */
  chunkRows?: number;
  /**
   * Run as one of several processes sharing one run (see shard.ts): units are claimed in the target, and
   * the run is finished by whichever shard locks it first after the last unit.
   */
  shard?: ShardOptions;
  /**
   * Worker threads masking Level 1 columns; 0 masks on the main thread (default: policy
   * `options.mask_workers`, else {@link defaultMaskWorkers}).
   */
  maskWorkers?: number;
}

/** The outcome of {@link check}. */
export interface CheckResult {
  /** True when no diagnostic is an error. */
  ok: boolean;
  /** Errors (the policy cannot be run as it is) and warnings, located in the policy. */
  diagnostics: Diagnostic[];
  /** YAML for unclassified columns, to paste into the policy. */
  suggestion: string;
  /** Tables the run would copy. */
  tables: number;
  /** Columns of those tables, every one classified when `ok`. */
  columns: number;
}

/** Validates the policy against the live source catalog without copying anything. */
export async function check(src: PolicySource, options: RunOptions = {}): Promise<CheckResult> {
  let opened: RunSession;
  try {
    opened = await RunSession.open(src, { ...sessionOptions(options), what: "Cannot check" });
  } catch (e) {
    // Rules that cannot be bound are the check's finding, not its failure.
    if (e instanceof ConfigError && e.diagnostics.length > 0) {
      return { ok: false, diagnostics: e.diagnostics, suggestion: "", tables: 0, columns: 0 };
    }
    throw e;
  }
  await using session = opened;
  const prepared = await session.prepare();
  return {
    ok: !hasErrors(prepared.diagnostics),
    diagnostics: prepared.diagnostics,
    suggestion: prepared.plan.suggestion,
    tables: prepared.copied.length,
    columns: prepared.copied.reduce((n, t) => n + t.columns.length, 0),
  };
}

/** What a run has done so far: the report is built from it whether the run ends well or not. */
interface RunFacts {
  startedAt: Date;
  t0: number;
  runId: string;
  snapshot: string;
  resumed?: RunReport["resumed"];
  shard?: NonNullable<RunReport["shard"]>;
  reports: Map<string, TableReport>;
  /**
   * A subset run's plan: each copied table's filter, and its expected rows (the catalog's estimate for a
   * table copied whole, the kept rows once counted for a filtered one).
   */
  subset?: { filters: SubsetFilter[]; expected: Map<string, number> };
  sequences: number;
  diagnostics: Diagnostic[];
  /** The run's failed units, read from the target at the end (also those of other shards). */
  failures?: RunReport["failures"];
}

/**
 * Copies and masks the source into the target as the policy says.
 *
 * @throws {PrivaciError} when the run fails; `options.onReport` has then received the failed report.
 */
export async function run(src: PolicySource, options: RunOptions = {}): Promise<RunReport> {
  const facts: RunFacts = {
    startedAt: new Date(),
    t0: performance.now(),
    runId: "",
    snapshot: "",
    reports: new Map(),
    sequences: 0,
    diagnostics: [],
  };
  let report: RunReport;
  try {
    await copyAll(src, options, facts);
    report = runReport(src, options, facts);
  } catch (e) {
    options.onReport?.(runReport(src, options, facts, e));
    throw e;
  }
  options.onReport?.(report);
  return report;
}

/** The report of a run from what it did; with `error`, the report of a failed run. */
function runReport(src: PolicySource, options: RunOptions, facts: RunFacts, error?: unknown): RunReport {
  const tables = [...facts.reports.values()];
  const failed = error !== undefined;
  const cause = error instanceof PrivaciError
    ? { code: error.code, message: error.message }
    : { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) };
  const stopping = failed && error instanceof ConfigError ? error.diagnostics : [];
  return {
    privaci: options.version ?? "",
    status: failed ? "failed" : "done",
    runId: facts.runId,
    ...(facts.resumed ? { resumed: facts.resumed } : {}),
    ...(facts.shard ? { shard: facts.shard } : {}),
    startedAt: facts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ms: performance.now() - facts.t0,
    source: redactUrl(src.policy.source),
    target: redactUrl(src.policy.target),
    snapshot: facts.snapshot,
    ok: !failed,
    ...(facts.subset
      ? {
        subset: facts.subset.filters.map((f) => ({
          table: f.table,
          role: f.role,
          rule: f.rule,
          estimatedRows: facts.subset!.expected.get(f.table) ?? null,
          copiedRows: facts.reports.get(f.table)?.rows ?? 0,
        })),
      }
      : {}),
    tables,
    sequences: facts.sequences,
    diagnostics: [...facts.diagnostics, ...stopping],
    ...(facts.failures?.length ? { failures: facts.failures } : {}),
    totals: totals(tables),
    ...(failed ? { error: cause } : {}),
  };
}

/** The session options of a command. */
function sessionOptions(options: RunOptions): { registry?: StrategyRegistry; signal?: AbortSignal } {
  return {
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** A run past its prepare phase: its id in the target, what an earlier attempt completed, its plan. */
interface Started {
  runId: string;
  /** Completed units (`table#chunk`) and the snapshot each was read from. */
  done: Map<string, string>;
  prepared: Prepared;
  /** The run's units were recorded before: by its first attempt (`--resume`) or by the shard that started it. */
  resumed: boolean;
  /** A shard joined a run another shard started. */
  joined: boolean;
  /** Set when the run's record was removed again (a refused fresh run leaves no trace). */
  discarded?: boolean;
}

/** A run ready to load: started, its schema in place, its units known. */
interface Ready {
  started: Started;
  schemaPlan: SchemaPlan | null;
  targetCatalog: Catalog;
  units: UnitsPlan;
}

async function copyAll(src: PolicySource, options: RunOptions, facts: RunFacts): Promise<void> {
  const { policy } = src;
  await using session = await RunSession.open(src, {
    ...sessionOptions(options),
    target: true,
    // A shard opens its snapshot once it knows whether it starts the run or joins it.
    snapshot: options.shard === undefined,
    maskWorkers: options.maskWorkers ?? policy.options.mask_workers ?? defaultMaskWorkers(),
  });
  let started: Started | null = null;
  try {
    let ready: Ready;
    if (options.shard) {
      const shard = options.shard;
      await ensureState(session.target);
      ready = await shardStart(session, shard, options, facts);
      started = ready.started;
    } else {
      facts.snapshot = session.snapshot.origin;
      started = await preparePhase(session, options, facts);
      const schema = await schemaPhase(session, started);
      ready = { started, ...schema, units: await unitsPhase(session, started, options, facts) };
    }
    const loaded = await loadPhase(session, ready, options, facts);
    const { runId } = ready.started;
    const finish = () =>
      finishPhase(session, ready.started, { schemaPlan: ready.schemaPlan, ...loaded }, facts);
    try {
      if (options.shard) {
        // A unit left to another shard's re-run (it failed there) keeps the run from finishing here.
        const finished = loaded.left.length === 0 &&
          await finishOnce(policy.target, runId, finish, {
            units: loaded.units,
            by: shardLabel(options.shard),
          });
        const units = [...await completedUnits(session.target, runId)];
        const snapshots = new Set(units.filter(([k]) => !k.startsWith("privaci:")).map(([, s]) => s));
        facts.shard = {
          ...facts.shard!,
          finished,
          snapshots: [...snapshots].sort(),
          left: loaded.left.length,
        };
      } else {
        await finish();
        await resolveFailures(session.target, { runId, key: FINISH, by: null });
        await finishRun(session.target, runId, "done");
      }
    } catch (e) {
      // After the shard's own transaction rolled back: it held the run's row.
      await noteFailure(session, { runId, key: FINISH, options }, e);
      throw e;
    }
    await readRunState(session.target, runId, facts);
  } catch (e) {
    const { target } = session;
    // A shard's failure is recorded as its unit's (noteFailure): the other shards go on with their units
    // and leave that one to this shard's re-run.
    if (started !== null && !started.discarded && !options.shard) {
      // After an abort the catalog connection is already closed: record the failure on a fresh one.
      const state = options.signal?.aborted
        ? openClient(policy.target, { name: "privaci state", fetchTypes: false })
        : target;
      await finishRun(state, started.runId, "failed").catch(() => {});
      if (state !== target) await state.end({ timeout: 0 }).catch(() => {});
    }
    if (started !== null && !started.discarded && !options.signal?.aborted) {
      await readRunState(target, started.runId, facts).catch(() => {});
    }
    if (options.signal?.aborted && !(e instanceof PrivaciError && e.code === "INTERRUPTED")) {
      throw new PrivaciError(
        "INTERRUPTED",
        "Stopped before every table was copied: in-flight tables were rolled back",
        { cause: e },
      );
    }
    throw e;
  }
}

/** `1/4` for shard 1 of 4; `null` for a run of one process. */
function shardLabel(shard: ShardOptions | undefined): string | null {
  return shard ? `${shard.index}/${shard.count}` : null;
}

/**
 * Records that a unit's load or the run's end failed (not when the run was stopped): the run is then
 * failed until the unit is loaded again. A failure that cannot be recorded (the target is gone) leaves
 * the unit as a killed process would: free and unloaded.
 */
async function noteFailure(
  session: RunSession,
  unit: { runId: string; key: string; options: RunOptions },
  e: unknown,
): Promise<void> {
  if (unit.options.signal?.aborted) return;
  const { code, message } = e instanceof PrivaciError
    ? e
    : { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };
  await recordFailure(session.target, {
    runId: unit.runId,
    key: unit.key,
    shard: shardLabel(unit.options.shard),
    code,
    message,
  }).catch(() => {});
}

/** The run's failed units and, for a shard, the run's status, for the report. */
async function readRunState(target: RunSession["target"], runId: string, facts: RunFacts): Promise<void> {
  facts.failures = await runFailures(target, runId);
  if (facts.shard) facts.shard = { ...facts.shard, run: await runStatus(target, runId) ?? "running" };
}

/**
 * A shard's start. A run whose start is complete (recorded as {@link RUN_STARTED}) is joined at once;
 * otherwise, under the run lock, the shard starts the run (or completes a start that died half-way) and
 * records it complete, so that the shards after it join without waiting for each other.
 */
async function shardStart(
  session: RunSession,
  shard: ShardOptions,
  options: RunOptions,
  facts: RunFacts,
): Promise<Ready> {
  const { target } = session;
  const joinable = async () => {
    const row = await runByKey(target, shard.runKey);
    return row && (await completedUnits(target, row.run_id)).has(RUN_STARTED) ? row : undefined;
  };
  const row = await joinable() ?? await withRunLock(session.src.policy.target, async () => {
    const row = await joinable();
    if (row) return row;
    // Under the lock no other shard has joined yet: the tables are checked (or emptied) as for a fresh run.
    const ready = await joinOrStart(session, shard, options, facts, {
      row: await runByKey(target, shard.runKey),
      joined: false,
    });
    const { runId } = ready.started;
    await checkpoint(target, { runId, key: RUN_STARTED, rows: 0, snapshot: session.snapshot.origin });
    return ready;
  });
  return "started" in row ? row : await joinOrStart(session, shard, options, facts, { row, joined: true });
}

/**
 * Joins the run `row` (importing the snapshot it was started with, or reading one of its own when that
 * one is gone), or starts a new one; then the schema and the units, as a resumed or a fresh run would.
 */
async function joinOrStart(
  session: RunSession,
  shard: ShardOptions,
  options: RunOptions,
  facts: RunFacts,
  join: { row: RunRow | undefined; joined: boolean },
): Promise<Ready> {
  const { row } = join;
  if (row === undefined) await session.openSnapshot();
  else {
    await session.openSnapshot({ join: row.snapshot }).catch(async (e) => {
      if (!(e instanceof PgError && e.code === "SNAPSHOT_GONE")) throw e;
      return await session.openSnapshot();
    });
  }
  facts.snapshot = session.snapshot.origin;
  facts.shard = { index: shard.index, count: shard.count, runKey: shard.runKey, units: 0, snapshots: [] };
  const started = await preparePhase(session, options, facts, join);
  const schema = await schemaPhase(session, started);
  return { started, ...schema, units: await unitsPhase(session, started, options, facts) };
}

/** Prepare: the target is not the source, every rule is planned and every masker built, the run recorded. */
async function preparePhase(
  session: RunSession,
  options: RunOptions,
  facts: RunFacts,
  shard?: { row: RunRow | undefined; joined: boolean },
): Promise<Started> {
  const { src, source, target, snapshot } = session;
  await assertDistinct(source, target);
  const prepared = await session.prepare();
  facts.diagnostics.push(...prepared.diagnostics.filter((d) => d.severity !== "error"));
  throwIfIssues(prepared.diagnostics, "Cannot run");
  if (prepared.subsetRows) {
    const copied = new Set(prepared.copied.map((t) => t.name));
    const filters = prepared.subset.filter((f) => copied.has(f.table));
    const estimate = (t: string) => prepared.catalog.tables.get(t)!.estimatedRows;
    const whole = filters.filter((f) => f.role === "whole" && estimate(f.table) >= 0);
    facts.subset = { filters, expected: new Map(whole.map((f) => [f.table, estimate(f.table)])) };
  }
  await ensureState(target);
  const hash = await policyHash(src.policy, prepared.keyFingerprint);
  const srcId = await sourceId(source);
  if (shard ? shard.row !== undefined : options.resume) {
    const row = assertResumable(shard ? shard.row : await unfinishedRun(target), hash, srcId);
    const done = await completedUnits(target, row.run_id);
    if (row.status !== "done") await reopenRun(target, row.run_id);
    facts.runId = row.run_id;
    return { runId: row.run_id, done, prepared, resumed: true, joined: shard?.joined ?? false };
  }
  const runId = await startRun(target, {
    policyHash: hash,
    sourceId: srcId,
    snapshot: snapshot.origin,
    ...(options.shard ? { runKey: options.shard.runKey } : {}),
  });
  facts.runId = runId;
  return { runId, done: new Map(), prepared, resumed: false, joined: false };
}

/** Schema: `schema: copy` creates the pre-data DDL once per run; then the target must have every column. */
async function schemaPhase(
  session: RunSession,
  started: Started,
): Promise<{ schemaPlan: SchemaPlan | null; targetCatalog: Catalog }> {
  const { src, source, target, snapshot } = session;
  const { policy } = src;
  let schemaPlan: SchemaPlan | null = null;
  if (policy.schema === "copy") {
    schemaPlan = await planForTarget(source, target, {
      schemas: policy.schemas,
      skipRows: started.prepared.plan.tables.filter((t) => t.rows === "skip").map((t) => t.name),
      snapshot: snapshot.id,
    });
    if (!started.done.has(SCHEMA_PRE)) {
      await createPreData(target, schemaPlan);
      await checkpoint(target, { runId: started.runId, key: SCHEMA_PRE, rows: 0, snapshot: snapshot.id });
    }
  }
  const targetCatalog = await introspect(target, policy.schemas);
  throwIfIssues(
    missingInTarget(started.prepared.copied, targetCatalog).map((d) =>
      diagnostic(d.code, d.message, { ...d.location, file: src.file, ...src.locate(d.location.path ?? []) })
    ),
    "Cannot run as the target schema does not match",
  );
  return { schemaPlan, targetCatalog };
}

/**
 * The subset's kept rows, computed once in the snapshot before any table is read, when a table to load
 * is filtered by the subset; `null` otherwise.
 */
async function keptRows(
  snapshot: SourceSnapshot,
  prepared: Prepared,
  units: { todo: readonly Unit[]; chunksOf: ReadonlyMap<string, readonly Chunk[]> },
  emit: (e: ProgressEvent) => void,
): Promise<KeptRows | null> {
  const rows = prepared.subsetRows;
  if (!rows || !units.todo.some((u) => rows.tables.includes(u.table))) return null;
  emit({ type: "subset-start", tables: rows.tables.length });
  return await KeptRows.compute(snapshot, rows, {
    chunks: units.chunksOf,
    onTable: (table, n) => emit({ type: "subset-kept", table, rows: n }),
  });
}

/** The units of a run: every table's chunks, those still to load, and the tables already complete. */
interface UnitsPlan {
  chunksOf: Map<string, Chunk[]>;
  todo: Unit[];
  complete: string[];
}

/**
 * Units: the chunks of every table (those recorded for a resumed or joined run, new ones otherwise),
 * which are still to load, and the target's tables checked empty (or emptied) before a fresh run.
 */
async function unitsPhase(
  session: RunSession,
  started: Started,
  options: RunOptions,
  facts: RunFacts,
): Promise<UnitsPlan> {
  const { src, target, snapshot } = session;
  const { policy } = src;
  const { runId, done, prepared } = started;
  const names = prepared.copied.map((t) => t.name);
  const copiedNames = options.schemaOnly ? [] : names;
  const chunkRows = options.chunkRows ?? policy.options.chunk_rows;
  const chunksOf = new Map<string, Chunk[]>();
  // A resumed run reuses the ranges its first attempt recorded: new ranges would not line up with the
  // chunks already loaded.
  const recorded = started.resumed ? await loadChunks(target, runId) : new Map<string, Chunk[]>();
  const fresh = new Map<string, Chunk[]>();
  for (const t of prepared.copied) {
    const chunks = recorded.get(t.name) ?? await planChunks(snapshot.sql, t, chunkRows);
    chunksOf.set(t.name, chunks);
    if (!recorded.has(t.name)) fresh.set(t.name, chunks);
  }
  await saveChunks(target, runId, fresh);
  const isStarted = (n: string) => [...done.keys()].some((k) => k.startsWith(`${n}#`));
  const todo = copiedNames.flatMap((n) =>
    chunksOf.get(n)!.filter((c) => !done.has(unitKey(n, c.index))).map((c) => ({ table: n, chunk: c }))
  );
  const complete = copiedNames.filter((n) => !todo.some((u) => u.table === n));
  facts.resumed = started.resumed && !options.shard
    ? { runId, skipped: complete.sort(), snapshots: [...new Set(done.values())] }
    : undefined;
  const refOf = (name: string) => prepared.catalog.tables.get(name)!;
  // A joining shard leaves the tables alone: the shard that started the run checked them, and other
  // shards may be loading them now.
  const unstarted = started.joined ? [] : copiedNames.filter((n) => !isStarted(n)).map(refOf);
  const full = await nonEmpty(target, unstarted);
  if (full.length > 0 && !options.truncate) {
    // A refused fresh run leaves no trace: recorded as failed, it would be what `--resume` picks up next
    // instead of the interrupted run the user means to resume.
    if (!started.resumed) {
      await discardRun(target, runId);
      started.discarded = true;
    }
    throw new PrivaciError(
      "TARGET_NOT_EMPTY",
      `Cannot load into tables that already hold rows: ${full.join(", ")}`,
      { exitCode: EXIT.usage, hint: "empty them first, or pass --truncate to empty every copied table" },
    );
  }
  if (options.truncate) await truncate(target, runId, unstarted);
  options.onProgress?.({
    type: "plan",
    tables: names.length - complete.length,
    skipped: prepared.plan.tables.length - names.length,
  });
  for (const t of prepared.plan.tables) {
    facts.reports.set(t.name, {
      table: t.name,
      status: t.rows === "skip" ? "skipped" : complete.includes(t.name) ? "resumed" : "not-started",
      rows: 0,
      bytesIn: 0,
      bytesOut: 0,
      ms: 0,
      masked: {},
      kept: 0,
    });
  }
  return { chunksOf, todo, complete };
}

/**
 * Load: every unit not yet loaded, in foreign-key order, `jobs` at a time (chunks of one table too), each
 * with its checkpoint. A shard first claims each unit: one another shard holds goes back in the queue.
 */
async function loadPhase(
  session: RunSession,
  ready: Ready,
  options: RunOptions,
  facts: RunFacts,
): Promise<{
  copiedNames: string[];
  cyclic: ReadonlySet<string>;
  jobs: number;
  /** Every unit of the run, loaded by whichever process. */
  units: string[];
  /** Units not loaded here: failed in another shard since this one joined, or waiting for one that did. */
  left: string[];
}> {
  const { src, target, snapshot, pool } = session;
  const { policy } = src;
  const { started: { runId, prepared }, targetCatalog, units: { chunksOf, todo, complete } } = ready;
  const reports = facts.reports;
  const emit = options.onProgress ?? (() => {});
  const copiedNames = options.schemaOnly ? [] : prepared.copied.map((t) => t.name);
  const shard = options.shard;
  const tableOrder = loadOrder(
    copiedNames.filter((n) => !complete.includes(n)),
    prepared.catalog.foreignKeys,
  );
  // Shards start at different places of the same order, so their first claims do not collide.
  const order = unitOrder(tableOrder, shard ? rotateForShard(todo, shard.index, shard.count) : todo);
  const jobs = options.jobs ?? policy.options.jobs ?? navigator.hardwareConcurrency ?? 2;
  const byName = new Map(prepared.copied.map((t) => [t.name, t]));
  const firstStart = new Map<string, number>();
  const remaining = new Map<string, number>();
  for (const u of todo) remaining.set(u.table, (remaining.get(u.table) ?? 0) + 1);
  // Units that failed before: this process loads them again, and loading one marks its failure retried.
  // One that another shard fails on from now on is left to that shard's re-run.
  const [{ since }] = await target.unsafe<{ since: string }[]>(`select clock_timestamp()::text as since`);
  const failedBefore = openFailures(await runFailures(target, runId));
  const by = shardLabel(shard);
  await using claims = shard ? new UnitClaims(policy.target, runId, jobs, since) : null;
  await using kept = await keptRows(snapshot, prepared, { todo, chunksOf }, emit);
  for (const [table, n] of kept?.counts ?? []) facts.subset?.expected.set(table, n);
  const left = await runInOrder(order, jobs, async (unit) => {
    const [name, chunkText] = splitUnitKey(unit);
    const chunk = chunksOf.get(name)!.find((c) => c.index === chunkText)!;
    const claim = claims ? await claims.claim(unit) : null;
    if (claim === "busy") {
      await delay(shard?.pollMs ?? 250, options.signal);
      return "again";
    }
    if (claim === "failed") return "skip";
    if (claim === "done") {
      const prev = reports.get(name)!;
      if (prev.status === "not-started") reports.set(name, { ...prev, status: "other-shard" });
      remaining.set(name, remaining.get(name)! - 1);
      return;
    }
    if (!firstStart.has(name)) {
      firstStart.set(name, performance.now());
      emit({ type: "table-start", table: name });
    }
    try {
      let attempt = 0;
      const part = await withRetries(
        async () => {
          // A lost COMMIT reply is ambiguous: never load a chunk twice if its checkpoint made it.
          if (attempt++ > 0 && (await completedUnits(target, runId)).has(unit)) return null;
          const lift = liftNotValid(targetCatalog.notValid?.get(name) ?? []);
          const setup = [
            ...(tableOrder.cyclic.has(name) ? ["set local session_replication_role = replica"] : []),
            ...lift.drop,
          ];
          return await copyTable(byName.get(name)!, prepared.maskers.get(name)!, {
            snapshot,
            targetUrl: policy.target,
            pool,
            ...(kept ? { kept } : {}),
            ...(chunk.where ? { chunk } : {}),
            ...(setup.length > 0 ? { setup } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            beforeCommit: async (tx, rows) => {
              for (const s of lift.restore) await tx.unsafe(s);
              await checkpoint(tx, { runId, key: unit, rows, snapshot: snapshot.origin });
              if (failedBefore.has(unit)) await resolveFailures(tx, { runId, key: unit, by });
            },
            onTick: (table, rows, bytes) =>
              emit({ type: "table-progress", table, rows: reports.get(name)!.rows + rows, bytes }),
          });
        },
        {
          retries: options.retries ?? 3,
          delayMs: options.retryDelayMs ?? 500,
          ...(options.signal ? { signal: options.signal } : {}),
          onRetry: (attempt, e) => emit({ type: "table-retry", table: name, attempt, reason: e.message }),
        },
      );
      const prev = reports.get(name)!;
      const merged: TableReport = part === null ? prev : {
        ...part,
        rows: prev.rows + part.rows,
        bytesIn: prev.bytesIn + part.bytesIn,
        bytesOut: prev.bytesOut + part.bytesOut,
        ms: performance.now() - firstStart.get(name)!,
        status: "copied",
      };
      reports.set(name, merged);
      if (facts.shard) facts.shard.units++;
      remaining.set(name, remaining.get(name)! - 1);
      if (remaining.get(name) === 0) emit({ type: "table-done", table: name, report: merged });
    } catch (e) {
      reports.set(name, { ...reports.get(name)!, status: "failed" });
      // Recorded while the unit is still claimed: another shard never finds it free and unrecorded.
      await noteFailure(session, { runId, key: unit, options }, e);
      throw e;
    } finally {
      if (claim) await claim.release();
    }
  });
  const units = copiedNames.flatMap((n) => chunksOf.get(n)!.map((c) => unitKey(n, c.index)));
  return { copiedNames, cyclic: tableOrder.cyclic, jobs, units, left };
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/** Finish: foreign keys validated, large objects copied, post-data DDL (or the sequences); once per run. */
async function finishPhase(
  session: RunSession,
  started: Started,
  loaded: { schemaPlan: SchemaPlan | null; copiedNames: string[]; cyclic: ReadonlySet<string>; jobs: number },
  facts: RunFacts,
): Promise<void> {
  const { src, target, snapshot } = session;
  const { prepared } = started;
  const refOf = (name: string) => prepared.catalog.tables.get(name)!;
  await validateForeignKeys(target, prepared.catalog.foreignKeys, loaded.cyclic, refOf);
  await checkUniqueColumns(target, snapshot.sql, uniqueColumns(prepared, loaded));
  facts.diagnostics.push(
    ...await largeObjectsStep(snapshot.sql, target, prepared.largeObjects, {
      count: prepared.catalog.largeObjects ?? 0,
      skip: loaded.copiedNames.length === 0,
    }),
  );
  if (loaded.schemaPlan) {
    await createPostData(src.policy.target, loaded.schemaPlan, loaded.jobs);
    facts.sequences = loaded.schemaPlan.sequences.length;
    facts.diagnostics.push(...loaded.schemaPlan.notes.map((n) => diagnostic("SCHEMA_NOTE", n, {}, "note")));
  } else {
    facts.sequences = await copySequences(
      snapshot.sql,
      target,
      [
        ...prepared.catalog.sequences,
        ...(prepared.catalog.unownedSequences ?? []).map((sequence) => ({ sequence, table: null })),
      ],
      new Set(loaded.copiedNames),
    );
  }
}

/** The loaded columns whose rule says `unique: true`, for the finish's check. */
function uniqueColumns(
  prepared: Prepared,
  loaded: { schemaPlan: SchemaPlan | null; copiedNames: readonly string[] },
): UniqueColumn[] {
  const copied = new Set(loaded.copiedNames);
  return prepared.copied.filter((t) => copied.has(t.name)).flatMap((t) =>
    t.columns.flatMap((c) => {
      if (!c.rule?.unique) return [];
      const where = prepared.maskers.get(t.name)?.find((m) => m.column.column === c.info.column)?.where;
      const hint = c.rule.definition.meta.collisionHint;
      return [{
        table: prepared.catalog.tables.get(t.name)!,
        name: t.name,
        column: c.info.column,
        strategy: c.rule.definition.meta.name,
        ...(where ? { where } : {}),
        ...(hint ? { collisionHint: hint } : {}),
        // `schema: copy` creates the source's unique index on it after the check.
        indexedLater: loaded.schemaPlan !== null && c.info.unique,
      }];
    })
  );
}

/**
 * What a run would do, without changing anything: the DDL of `schema: copy` as a psql script, then one
 * comment line per table with its chunks and masked columns.
 */
export async function dryRun(src: PolicySource, options: RunOptions = {}): Promise<string> {
  const { policy } = src;
  await using session = await RunSession.open(src, {
    ...sessionOptions(options),
    target: true,
    snapshot: true,
    what: "Cannot plan",
  });
  const { source, target, snapshot } = session;
  const prepared = await session.prepare();
  throwIfIssues(prepared.diagnostics, "Cannot plan");
  const out: string[] = [];
  if (policy.schema === "copy") {
    const plan = await planForTarget(source, target, {
      schemas: policy.schemas,
      skipRows: prepared.plan.tables.filter((t) => t.rows === "skip").map((t) => t.name),
      snapshot: snapshot.id,
    });
    out.push(planToSql(plan));
  }
  for (const t of prepared.plan.tables) {
    const chunks = t.rows === "skip"
      ? []
      : await planChunks(snapshot.sql, t, options.chunkRows ?? policy.options.chunk_rows);
    const masked = t.columns.filter((c) => c.rule).map((c) => `${c.info.column}:${ruleName(c.rule!)}`);
    out.push(
      `-- ${t.name}: ${t.rows === "skip" ? "rows skipped" : `${chunks.length} chunk(s)`}; ${
        masked.length ? `masked ${masked.join(", ")}` : "all columns kept"
      }`,
    );
  }
  if (prepared.subset.length > 0) {
    const copied = new Set(prepared.copied.map((t) => t.name));
    const filters = prepared.subset.filter((f) => copied.has(f.table));
    const counts = prepared.subsetRows ? await countSubset(snapshot.sql, prepared.subsetRows) : new Map();
    out.push(
      "-- subset (rows counted in the snapshot):",
      ...formatSubsetPlan(filters, counts).map((l) => `--   ${l}`),
    );
  }
  return out.join("\n") + "\n";
}
