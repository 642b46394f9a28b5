/**
 * The run report: what was copied, how, how fast, and what was found on the way. It holds counts,
 * timings, strategy names and diagnostics, never a cell value, key or password.
 *
 * @module
 */
import type { Warning } from "../pipeline/plan.ts";

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

/** The whole run's outcome. */
export interface RunReport {
  privaci: string;
  /** The run's id in the target's `privaci.runs`. */
  runId: string;
  /** Set when this run resumed an interrupted one: the tables it found complete, and their snapshots. */
  resumed?: { runId: string; skipped: string[]; snapshots: string[] };
  startedAt: string;
  finishedAt: string;
  ms: number;
  source: string;
  target: string;
  snapshot: string;
  ok: boolean;
  tables: TableReport[];
  sequences: number;
  warnings: Warning[];
  totals: { rows: number; bytesIn: number; bytesOut: number; maskedColumns: number; keptColumns: number };
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
