/**
 * The run report: what was copied, how, how fast, and what was found on the way. It holds counts,
 * timings, strategy names and diagnostics, never a cell value, key or password.
 *
 * @module
 */
import type { Diagnostic } from "../core/diagnostic.ts";

/** One table's outcome. */
export interface TableReport {
  table: string;
  status: "copied" | "skipped" | "resumed" | "failed" | "not-started";
  rows: number;
  bytesIn: number;
  bytesOut: number;
  ms: number;
  /** Strategy per masked column; kept columns are left out. */
  masked: Record<string, string>;
  /** Columns copied unchanged. */
  kept: number;
}

/** The whole run's outcome, written whether the run succeeded or failed. */
export interface RunReport {
  privaci: string;
  /** `done`, or `failed` (then {@link RunReport.error} says why and the tables say what completed). */
  status: "done" | "failed";
  /** The run's id in the target's `privaci.runs`; `""` when the run failed before it was recorded. */
  runId: string;
  /** Set when this run resumed an interrupted one: the tables it found complete, and their snapshots. */
  resumed?: { runId: string; skipped: string[]; snapshots: string[] };
  startedAt: string;
  finishedAt: string;
  ms: number;
  source: string;
  target: string;
  /** The source snapshot the rows were read from; `""` when the run failed before it was opened. */
  snapshot: string;
  /** True exactly when `status` is `done`. */
  ok: boolean;
  tables: TableReport[];
  sequences: number;
  /** Warnings and notes found on the way (a failed run adds the errors that stopped it). */
  diagnostics: Diagnostic[];
  totals: { rows: number; bytesIn: number; bytesOut: number; maskedColumns: number; keptColumns: number };
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
