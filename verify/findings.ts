/**
 * What `privaci verify` reports: located findings with a risk level, and the measurements behind them
 * (replay counts, residual detections, integrity, k-anonymity). Counts, names and redacted contexts only,
 * never a cell value.
 *
 * @module
 */

/** Risk levels, lowest first. `--fail-on` takes one of them. */
export const RISKS = ["low", "medium", "high"] as const;

/** A risk level, see {@link RISKS}. */
export type Risk = (typeof RISKS)[number];

/** Every check `verify` runs, in report order. */
export const CHECKS = [
  "replay-value",
  "replay-own",
  "containment",
  "residual",
  "row-count",
  "foreign-key",
  "sequence",
  "unique",
  "k-anonymity",
] as const;

/** One check, see {@link CHECKS}. */
export type Check = (typeof CHECKS)[number];

/** One problem in the masked copy, located by table, column and check. */
export interface Finding {
  /** The check that found it. */
  check: Check;
  /** How likely it is that personal data left the source. */
  risk: Risk;
  /** `schema.table`. */
  table: string;
  /** The column, when the finding is about one. */
  column?: string;
  /** How many rows (or values, occurrences, groups: the message says which) are concerned. */
  count: number;
  /** One sentence, naming what was found and where; never a value. */
  message: string;
  /** Where the column's (or table's) rule is in the policy file. */
  policy?: { file: string; line?: number; col?: number };
}

/** True when `risk` is at or above `threshold`. */
export function atLeast(risk: Risk, threshold: Risk): boolean {
  return RISKS.indexOf(risk) >= RISKS.indexOf(threshold);
}

/** The replay counts of one masked column. */
export interface ReplayResult {
  /** `schema.table`. */
  table: string;
  /** The masked column. */
  column: string;
  /** The strategy of its rule. */
  strategy: string;
  /** What the strategy declares it may reproduce (`nothing` when it declares nothing). */
  reproduces: string;
  /** Non-NULL target values compared. */
  values: number;
  /** Target rows whose value equals some source value of the same column. */
  equalValues: number;
  /** Target rows that hold their own row's source value (by primary key); `null` without a primary key. */
  ownValues: number | null;
  /** True when the strategy's declaration explains the equalities. */
  expected: boolean;
}

/** Source values of masked columns found inside another column of the target. */
export interface ContainmentResult {
  /** `schema.table`. */
  table: string;
  /** The column scanned. */
  column: string;
  /**
   * Counted row by row (a column a strategy rewrites, in a table with a primary key): only tokens the same
   * row held in the column's source value count; else every such token anywhere in the column.
   */
  linked: boolean;
  /** Target rows scanned. */
  rows: number;
  /** Tokens of the column equal to a token of a masked column's source values (row by row: of its own row's). */
  occurrences: number;
  /** Distinct such tokens. */
  distinct: number;
  /**
   * Row by row: tokens equal to a masked column's source token that only other rows held (fakes drawn from
   * pools that hold real names); not findings. Always 0 when not {@link linked}.
   */
  otherRows: number;
  /** The masked columns (`schema.table.column`) the tokens came from. */
  from: string[];
}

/** The residual scan of one kept or scrubbed column. */
export interface ResidualResult {
  /** `schema.table`. */
  table: string;
  /** The column scanned. */
  column: string;
  /** The column's rule: `keep` or the strategy name. */
  rule: string;
  /** Rows scanned, and of how many non-NULL rows (they differ under `--sample`). */
  scanned: number;
  /** Non-NULL rows of the column. */
  rows: number;
  /** Words scanned (whitespace-separated), for throughput figures. */
  words: number;
  /** Rows with at least one detection. */
  rowsWithFindings: number;
  /** Every value is one word of at most three letters or digits (a code): person names not looked for. */
  codes: boolean;
  /** Detections per detector (entity type). */
  counts: Record<string, number>;
  /** At most one redacted context per detector: detected spans replaced by tags, cut short. */
  contexts: Record<string, string>;
  /** The risk of the detections, `null` when there are none. */
  risk: Risk | null;
}

/** k-anonymity of one table over its declared quasi-identifiers. */
export interface KAnonymityResult {
  /** `schema.table`. */
  table: string;
  /** The policy's quasi-identifier columns, together. */
  quasiIdentifiers: string[];
  /** The smallest group size the policy accepts. */
  kMin: number;
  /** Rows of the target table. */
  rows: number;
  /** The smallest group size (0 for an empty table). */
  k: number;
  /** Share of rows in groups smaller than `kMin`. */
  shareBelow: number;
  /** Group sizes: how many groups have each size (sizes above 20 are pooled into 21). */
  histogram: { size: number; groups: number }[];
  /** Share below `kMin` with each quasi-identifier left out, best first. */
  withoutColumn: { column: string; shareBelow: number; k: number }[];
}

/** Integrity measurements of one table. */
export interface IntegrityResult {
  /** `schema.table`. */
  table: string;
  /** Rows in the source (in the run's selection). */
  sourceRows: number;
  /** Rows in the target. */
  targetRows: number;
}

/** Everything `privaci verify` found. */
export interface VerifyReport {
  /** The PrivaCI version that wrote the report. */
  privaci: string;
  /** When the verification started (ISO 8601, UTC). */
  startedAt: string;
  /** Wall-clock time of the verification, in milliseconds. */
  ms: number;
  /** The source URL without its password. */
  source: string;
  /** The target URL without its password. */
  target: string;
  /** Rows per table the residual scan read at most, when `--sample` was given. */
  sample?: number;
  /** True when no finding is at or above `failOn`. */
  ok: boolean;
  /** The `--fail-on` risk. */
  failOn: Risk;
  /** The tables checked, with the strategy per masked column (kept columns are left out). */
  tables: { table: string; rows: "copy" | "skip"; masked: Record<string, string>; kept: number }[];
  /** Every finding, highest risk first (see {@link sortFindings}). */
  findings: Finding[];
  /** Masked columns replayed against the source. */
  replay: ReplayResult[];
  /** Source values of masked columns found in other columns. */
  containment: ContainmentResult[];
  /** Personal data detected in kept and scrubbed columns. */
  residual: ResidualResult[];
  /** Row counts of source and target. */
  integrity: IntegrityResult[];
  /** k-anonymity of the tables with quasi-identifiers. */
  kAnonymity: KAnonymityResult[];
  /** Seconds per phase. */
  timings: Record<string, number>;
  /** What was not checked, and why. */
  notes: string[];
}

/** Findings sorted by risk (highest first), then table, column and check. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings.slice().sort((a, b) =>
    RISKS.indexOf(b.risk) - RISKS.indexOf(a.risk) || a.table.localeCompare(b.table) ||
    (a.column ?? "").localeCompare(b.column ?? "") || CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check)
  );
}
