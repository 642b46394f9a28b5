/**
 * The run report: what was copied, how, how fast, and what was found on the way. It holds counts,
 * timings, strategy names and diagnostics, never a cell value, key or password.
 *
 * @module
 */
import type { Diagnostic } from "../core/diagnostic.ts";
import type { UnitFailure } from "../pg/unit_failures.ts";

/** One table's outcome. */
export interface TableReport {
  /** `schema.table`. */
  table: string;
  /**
   * What happened to the table: copied, skipped by the policy, completed by the run resumed, loaded
   * whole by other shards of the run, failed (rolled back), or not reached.
   */
  status: "copied" | "skipped" | "resumed" | "other-shard" | "failed" | "not-started";
  /** Rows written to the target. */
  rows: number;
  /** COPY text bytes read from the source. */
  bytesIn: number;
  /** COPY text bytes written to the target. */
  bytesOut: number;
  /** Wall-clock time for the table, in milliseconds. */
  ms: number;
  /** Strategy per masked column; kept columns are left out. */
  masked: Record<string, string>;
  /** Columns copied unchanged. */
  kept: number;
}

/**
 * One copied table's part of a subset run: the filter applied, which rows it keeps and why, and how many
 * rows that meant before the load and after it.
 */
export interface SubsetTableReport {
  /** `schema.table`. */
  table: string;
  /**
   * The filter: `root` (the policy's root rule), `child` (rows referencing kept rows), `parent` (rows kept
   * rows reference), `connected` (rows whose every reference is kept), `whole` (not in the subset).
   */
  role: "root" | "child" | "parent" | "connected" | "whole";
  /** Which rows, in words: `where id % 10 = 0`, `rows referencing kept rows of public.customers`, … */
  rule: string;
  /**
   * Rows expected before the load: for a filtered table its kept rows, counted in the run's snapshot;
   * for a table copied whole, the catalog's estimate; `null` when not known (a resumed run that had no
   * filtered table left to load).
   */
  estimatedRows: number | null;
  /** Rows written to the target by this run. */
  copiedRows: number;
}

/** The whole run's outcome, written whether the run succeeded or failed. */
export interface RunReport {
  /** The PrivaCI version that wrote the report. */
  privaci: string;
  /** `done`, or `failed` (then {@link RunReport.error} says why and the tables say what completed). */
  status: "done" | "failed";
  /** The run's id in the target's `privaci.runs`; `""` when the run failed before it was recorded. */
  runId: string;
  /** Set when this run resumed an interrupted one: the tables it found complete, and their snapshots. */
  resumed?: { runId: string; skipped: string[]; snapshots: string[] };
  /**
   * Set when this process was one shard of a run: which, the run key, the units it loaded, whether it
   * finished the run (post-data, sequences: one shard does), and the snapshots the run's units were read
   * from (more than one: the copy is consistent per unit, not across all tables). `run` is the run's
   * status when this shard ended; `left` counts the units it left to another shard's re-run (one failed
   * there, and the units after it in foreign-key order wait for it): the run is then not finished.
   */
  shard?: {
    index: number;
    count: number;
    runKey: string;
    units: number;
    finished?: boolean;
    snapshots: string[];
    run?: "running" | "failed" | "done";
    left?: number;
  };
  /** When the run started (ISO 8601, UTC). */
  startedAt: string;
  /** When the run ended (ISO 8601, UTC). */
  finishedAt: string;
  /** Wall-clock time for the run, in milliseconds. */
  ms: number;
  /** The source URL without its password. */
  source: string;
  /** The target URL without its password. */
  target: string;
  /** The source snapshot the rows were read from; `""` when the run failed before it was opened. */
  snapshot: string;
  /** True exactly when `status` is `done`. */
  ok: boolean;
  /** Set for a run with a `subset:`: every copied table's part of it, in plan order. */
  subset?: SubsetTableReport[];
  /** Every table the run planned, in plan order. */
  tables: TableReport[];
  /** Sequences whose values were set in the target. */
  sequences: number;
  /** Warnings and notes found on the way (a failed run adds the errors that stopped it). */
  diagnostics: Diagnostic[];
  /** The per-table figures summed. */
  totals: { rows: number; bytesIn: number; bytesOut: number; maskedColumns: number; keptColumns: number };
  /**
   * The run's units that failed, in this process or in another shard or attempt of the run, oldest
   * first, with the later attempt that loaded each one (absent: still failed).
   */
  failures?: UnitFailure[];
  /** Why the run failed: the error's code and message (never a cell value). */
  error?: { code: string; message: string };
}

/** Sums the per-table figures into `report.totals`. */
export function totals(tables: readonly TableReport[]): RunReport["totals"] {
  const t = { rows: 0, bytesIn: 0, bytesOut: 0, maskedColumns: 0, keptColumns: 0 };
  for (const r of tables) {
    t.rows += r.rows;
    t.bytesIn += r.bytesIn;
    t.bytesOut += r.bytesOut;
    t.maskedColumns += Object.keys(r.masked).length;
    t.keptColumns += r.kept;
  }
  return t;
}
