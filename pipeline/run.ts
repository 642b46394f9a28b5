/**
 * `run` and `check`: the library entry points behind the CLI.
 *
 * `run` opens one snapshot of the source, plans and builds every masker first (fail closed: a policy
 * problem stops it before any row moves), checks the target, then copies the tables in foreign-key order,
 * `jobs` at a time, each in its own transaction, and finally sets the target's sequences.
 *
 * @module
 */
import type { ConfigIssue } from "../errors.ts";
import { EXIT, PrivaciError } from "../errors.ts";
import { connect, redactUrl } from "../pg/connect.ts";
import { introspect } from "../pg/introspect.ts";
import { SourceSnapshot } from "../pg/source.ts";
import type { RunReport, TableReport } from "../report/report.ts";
import { totals } from "../report/report.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { copyTable } from "./copy_table.ts";
import { throwIfIssues } from "./maskers.ts";
import type { PolicySource, Warning } from "./plan.ts";
import { prepare } from "./prepare.ts";
import { loadOrder, runInOrder } from "./schedule.ts";
import { copySequences, validateForeignKeys } from "./finish.ts";
import { assertDistinct, missingInTarget, nonEmpty, truncate } from "./target_checks.ts";

/** What a run reports as it goes. */
export type ProgressEvent =
  | { type: "plan"; tables: number; skipped: number }
  | { type: "table-start"; table: string }
  | { type: "table-progress"; table: string; rows: number; bytes: number }
  | { type: "table-done"; table: string; report: TableReport };

/** Options of {@link run} and {@link check}. */
export interface RunOptions {
  /** Strategies to use (default: the built-ins). */
  registry?: StrategyRegistry;
  /** Empty the target tables first instead of refusing non-empty ones. */
  truncate?: boolean;
  /** Tables copied at once (default: policy `options.jobs`, else the number of cores). */
  jobs?: number;
  /** Stops the run: in-flight tables are rolled back. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** PrivaCI's version, for the report. */
  version?: string;
}

/** The outcome of {@link check}. */
export interface CheckResult {
  ok: boolean;
  issues: ConfigIssue[];
  warnings: Warning[];
  /** YAML for unclassified columns, to paste into the policy. */
  suggestion: string;
  tables: number;
  columns: number;
}

/** Validates the policy against the live source catalog without copying anything. */
export async function check(src: PolicySource, options: RunOptions = {}): Promise<CheckResult> {
  const registry = options.registry ?? builtinStrategies();
  const source = await connect(src.policy.source, "source");
  try {
    const prepared = await prepare(src, source, registry);
    await prepared.close();
    return {
      ok: prepared.issues.length === 0,
      issues: prepared.issues,
      warnings: prepared.plan.warnings,
      suggestion: prepared.plan.suggestion,
      tables: prepared.copied.length,
      columns: prepared.copied.reduce((n, t) => n + t.columns.length, 0),
    };
  } finally {
    await source.end({ timeout: 0 });
  }
}

/** Copies and masks the source into the target as the policy says. */
export async function run(src: PolicySource, options: RunOptions = {}): Promise<RunReport> {
  const { policy } = src;
  const registry = options.registry ?? builtinStrategies();
  const startedAt = new Date();
  const t0 = performance.now();
  const emit = options.onProgress ?? (() => {});
  const source = await connect(policy.source, "source");
  let target;
  try {
    target = await connect(policy.target, "target");
  } catch (e) {
    await source.end({ timeout: 0 });
    throw e;
  }
  let snapshot: SourceSnapshot | null = null;
  const reports = new Map<string, TableReport>();
  let prepared;
  try {
    await assertDistinct(source, target);
    snapshot = await SourceSnapshot.open(policy.source);
    prepared = await prepare(src, snapshot.sql, registry);
    throwIfIssues(prepared.issues, "Cannot run");
    const names = prepared.copied.map((t) => t.name);
    throwIfIssues(
      missingInTarget(prepared.copied, await introspect(target, policy.schemas)).map((i) => ({
        ...i,
        file: src.file,
        ...src.locate(i.path),
      })),
      "Cannot run as the target schema does not match",
    );
    const full = await nonEmpty(target, names);
    if (full.length > 0 && !options.truncate) {
      throw new PrivaciError(
        "TARGET_NOT_EMPTY",
        `Cannot load into tables that already hold rows: ${full.join(", ")}`,
        { exitCode: EXIT.usage, hint: "empty them first, or pass --truncate to empty every copied table" },
      );
    }
    if (options.truncate) await truncate(target, names);
    emit({ type: "plan", tables: names.length, skipped: prepared.plan.tables.length - names.length });
    for (const t of prepared.plan.tables) {
      reports.set(t.name, {
        table: t.name,
        status: t.rows === "skip" ? "skipped" : "not-started",
        rows: 0,
        bytesIn: 0,
        bytesOut: 0,
        ms: 0,
        masked: {},
        kept: 0,
      });
    }
    const order = loadOrder(names, prepared.catalog.foreignKeys);
    const jobs = options.jobs ?? policy.options.jobs ?? navigator.hardwareConcurrency ?? 2;
    const byName = new Map(prepared.copied.map((t) => [t.name, t]));
    const snap = snapshot;
    const maskers = prepared.maskers;
    await runInOrder(order, jobs, async (name) => {
      emit({ type: "table-start", table: name });
      try {
        const report = await copyTable(byName.get(name)!, maskers.get(name)!, {
          snapshot: snap,
          targetUrl: policy.target,
          ...(order.cyclic.has(name) ? { setup: ["set local session_replication_role = replica"] } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          onTick: (table, rows, bytes) => emit({ type: "table-progress", table, rows, bytes }),
        });
        reports.set(name, report);
        emit({ type: "table-done", table: name, report });
      } catch (e) {
        reports.set(name, { ...reports.get(name)!, status: "failed" });
        throw e;
      }
    });
    await validateForeignKeys(target, prepared.catalog.foreignKeys, order.cyclic);
    const sequences = await copySequences(snapshot.sql, target, prepared.catalog.sequences, new Set(names));
    const tables = [...reports.values()];
    return {
      privaci: options.version ?? "",
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      ms: performance.now() - t0,
      source: redactUrl(policy.source),
      target: redactUrl(policy.target),
      snapshot: snapshot.id,
      ok: true,
      tables,
      sequences,
      warnings: prepared.plan.warnings,
      totals: totals(tables),
    };
  } finally {
    await prepared?.close();
    await snapshot?.close();
    await source.end({ timeout: 0 });
    await target.end({ timeout: 0 });
  }
}
