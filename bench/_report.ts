/**
 * Turns timed runs into the figures the bench reports (medians, rows/s, MB/s, ratio to the psql pipe of
 * the same round, peak RSS, words/s) and prints them as a table.
 *
 * @module
 */
import type { BenchTable, TableFacts, TargetKind } from "./_db.ts";
import { TABLES } from "./_db.ts";

/** What a scenario copies with. */
export const SCENARIOS = ["pipe", "keep_all", "level1", "text_scrub"] as const;

/** One of {@link SCENARIOS}. */
export type Scenario = (typeof SCENARIOS)[number];

/** One timed run of a scenario into a target, in one round. */
export interface Sample {
  round: number;
  /** Whole run: the pipe's per-table times summed, or privaci's process wall time. */
  total: number;
  ms: Record<BenchTable, number>;
  /** Peak RSS in bytes (privaci only). */
  peakRss?: number;
  /** privaci only: process start to `run()` start (module loading, policy parsing). */
  startupMs?: number;
  /** privaci only: time in `run()` outside the table copies (plan, truncate, sequences, FK checks). */
  overheadMs?: number;
}

/** Figures of one part (a table, or the whole run) of a scenario. */
export interface Figures {
  /** `customers`, …, or `total`. */
  part: BenchTable | "total";
  medianMs: number;
  rowsPerSecond: number;
  /** COPY text megabytes (10^6 bytes) per second. */
  mbPerSecond: number;
  /** Median over rounds of pipe time / this time in the same round (1 = as fast as the pipe). */
  ratioToPipe: number | null;
  /** Support ticket words per second (text_scrub, support_tickets only). */
  wordsPerSecond?: number;
}

/** The outcome of one scenario into one kind of target. */
export interface ScenarioResult {
  scenario: Scenario;
  target: TargetKind;
  samples: Sample[];
  figures: Figures[];
  /** Largest peak RSS over the rounds, in bytes. */
  peakRss: number | null;
  /** privaci only: median start-up and plan-and-finish times (see {@link Sample}). */
  setup: { startupMs: number; overheadMs: number } | null;
}

/** Builds a scenario's result from its samples and the pipe's samples into the same target. */
export function scenarioResult(
  scenario: Scenario,
  target: ScenarioResult["target"],
  samples: Sample[],
  pipe: readonly Sample[],
  data: Parameters<typeof figures>[3],
): ScenarioResult {
  const rss = samples.flatMap((x) => (x.peakRss ? [x.peakRss] : []));
  const startup = samples.flatMap((x) => (x.startupMs === undefined ? [] : [x.startupMs]));
  const overhead = samples.flatMap((x) => (x.overheadMs === undefined ? [] : [x.overheadMs]));
  return {
    scenario,
    target,
    samples,
    figures: figures(scenario, samples, pipe, data),
    peakRss: rss.length > 0 ? Math.max(...rss) : null,
    setup: startup.length > 0 ? { startupMs: median(startup), overheadMs: median(overhead) } : null,
  };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new RangeError("Cannot take the median as the list is empty: current value is 0");
  }
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Computes the figures of one scenario's samples against the pipe samples of the same target. */
export function figures(
  scenario: Scenario,
  samples: readonly Sample[],
  pipe: readonly Sample[],
  data: { tables: Record<BenchTable, TableFacts>; ticketWords: number },
): Figures[] {
  const parts = [...TABLES, "total"] as const;
  return parts.map((part) => {
    const time = (s: Sample) => (part === "total" ? s.total : s.ms[part]);
    const rows = part === "total"
      ? TABLES.reduce((n, t) => n + data.tables[t].rows, 0)
      : data.tables[part].rows;
    const bytes = part === "total"
      ? TABLES.reduce((n, t) => n + data.tables[t].copyBytes, 0)
      : data.tables[part].copyBytes;
    const ms = median(samples.map(time));
    const ratios = samples.flatMap((s) => {
      const p = pipe.find((q) => q.round === s.round);
      return p ? [time(p) / time(s)] : [];
    });
    const f: Figures = {
      part,
      medianMs: ms,
      rowsPerSecond: rows / (ms / 1000),
      mbPerSecond: bytes / 1e6 / (ms / 1000),
      ratioToPipe: scenario === "pipe" || ratios.length === 0 ? null : median(ratios),
    };
    if (scenario === "text_scrub" && part === "support_tickets") {
      f.wordsPerSecond = data.ticketWords / (ms / 1000);
    }
    return f;
  });
}

/** The parts worth a line in the printed table: every table for pipe and keep-all, else the masked one. */
const SHOWN: Record<Scenario, readonly (BenchTable | "total")[]> = {
  pipe: [...TABLES, "total"],
  keep_all: [...TABLES, "total"],
  level1: ["customers", "total"],
  text_scrub: ["support_tickets", "total"],
};

/** The results as a fixed-width text table. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const head = [
    "scenario",
    "target",
    "table",
    "median s",
    "rows/s",
    "MB/s",
    "× pipe",
    "peak RSS",
    "start+plan s",
    "words/s",
  ];
  const rows: string[][] = [];
  for (const r of results) {
    for (const f of r.figures.filter((f) => SHOWN[r.scenario].includes(f.part))) {
      rows.push([
        r.scenario,
        r.target,
        f.part,
        (f.medianMs / 1000).toFixed(2),
        Math.round(f.rowsPerSecond).toLocaleString("en-US"),
        f.mbPerSecond.toFixed(1),
        f.ratioToPipe === null ? "" : f.ratioToPipe.toFixed(2),
        f.part === "total" && r.peakRss !== null ? `${Math.round(r.peakRss / 2 ** 20)} MiB` : "",
        f.part === "total" && r.setup !== null
          ? ((r.setup.startupMs + r.setup.overheadMs) / 1000).toFixed(2)
          : "",
        f.wordsPerSecond === undefined ? "" : Math.round(f.wordsPerSecond).toLocaleString("en-US"),
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
