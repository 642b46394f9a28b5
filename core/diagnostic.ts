/**
 * The one shape of a finding: every problem or remark about a policy, a catalog, a target or a run is a
 * {@link Diagnostic} with a severity, a stable code from {@link DIAGNOSTIC_CODES}, a message and where it
 * is. Loading, planning, `check`, `run` and the report all speak it; errors carry a list of them.
 *
 * Messages never carry cell values, keys or passwords.
 *
 * @example A located error, printed
 * ```ts
 * import assert from "node:assert/strict";
 * import { diagnostic, formatDiagnostics } from "./diagnostic.ts";
 * const d = diagnostic("STRATEGY_UNKNOWN", "unknown strategy 'kep'", {
 *   file: "p.yaml",
 *   line: 7,
 *   col: 11,
 *   path: ["tables", "public.t", "columns", "id"],
 * });
 * assert.equal(d.severity, "error");
 * assert.equal(formatDiagnostics([d]), "p.yaml:7:11: tables.public.t.columns.id: unknown strategy 'kep'");
 * ```
 *
 * @module
 */

/** How bad a finding is: an `error` stops the command; a `warning` or `note` is reported. */
export const SEVERITIES = ["error", "warning", "note"] as const;

/** A severity, see {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * Every stable diagnostic code, sorted. Codes shared with `ERROR_CODES` (errors.ts) mean the same thing;
 * the others name findings that are not errors by themselves or that are reported inside one.
 */
export const DIAGNOSTIC_CODES = [
  "COLUMN_UNCLASSIFIED",
  "COLUMN_UNKNOWN",
  "CONFIG_INVALID",
  "CONFIG_NOT_FOUND",
  "CONFIG_SYNTAX",
  "CONFIG_VARIABLE_MISSING",
  "FOREIGN_KEY_MASKING",
  "FOREIGN_KEY_SKIPPED_PARENT",
  "GENERATED_COLUMN",
  "KEY_INVALID",
  "KEY_MISSING",
  "LARGE_OBJECTS",
  "LARGE_OBJECTS_UNCLASSIFIED",
  "RULE_COLUMN_CYCLE",
  "RULE_COLUMN_UNKNOWN",
  "SCHEMA_NOTE",
  "STRATEGY_COLUMN_TYPE",
  "STRATEGY_PARAMS",
  "STRATEGY_UNKNOWN",
  "SUBSET_CYCLE",
  "SUBSET_DANGLING",
  "SUBSET_ROOT_INVALID",
  "SUBSET_TABLE_WHERE",
  "SUBSET_VIRTUAL_KEY_TYPE",
  "TABLE_NOT_SELECTED",
  "TABLE_PARTITION",
  "TABLE_UNKNOWN",
  "TARGET_SCHEMA_MISMATCH",
  "UNIQUE_NOT_GUARANTEED",
  "WHERE_UNSAFE",
] as const;

/** A stable diagnostic code, see {@link DIAGNOSTIC_CODES}. */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** Where a finding is: in the policy file (file, line, col, key path) and/or in the database (table, column). */
export interface Location {
  /** The policy file, when the finding is about one. */
  file?: string;
  /** 1-based line of the offending key or value. */
  line?: number;
  /** 1-based column of the offending key or value. */
  col?: number;
  /** Key path inside the policy, e.g. `["tables", "public.customer", "columns", "email"]`. */
  path?: (string | number)[];
  /** `schema.table` the finding concerns. */
  table?: string;
  /** The column the finding concerns. */
  column?: string;
}

/** One finding. */
export interface Diagnostic {
  /** `error` stops the command; `warning` and `note` do not. */
  severity: Severity;
  /** A stable code, one of {@link DIAGNOSTIC_CODES}. */
  code: DiagnosticCode;
  /** What is wrong, with the fix where one is known. */
  message: string;
  /** Where in the policy (and which table and column) the finding is. */
  location: Location;
}

/**
 * A diagnostic; parts of the location that are `undefined` are left out, so diagnostics compare equal
 * with `deepEqual` whatever way they were built.
 *
 * @param code The stable code.
 * @param message What is wrong and the fix.
 * @param location Where (default: nowhere in particular).
 * @param severity Default `error`.
 * @returns The diagnostic.
 */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  location: Location = {},
  severity: Severity = "error",
): Diagnostic {
  const clean: Location = {};
  for (const [k, v] of Object.entries(location) as [keyof Location, never][]) {
    if (v !== undefined) clean[k] = v;
  }
  return { severity, code, message, location: clean };
}

/** True when any diagnostic has severity `error`. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Options of {@link formatDiagnostics}. */
export interface FormatOptions {
  /** Use ANSI colours (callers pass `false` when `NO_COLOR` is set or the output is not a terminal). */
  color?: boolean;
  /** Prefix each line with its severity (`warning: `, `note: `; errors too): for mixed lists. */
  severity?: boolean;
  /** Prefix each line with its severity and code (`error STRATEGY_UNKNOWN: `), as the CLI prints them. */
  code?: boolean;
}

const BOLD = "\x1b[1m";
const CYAN = "\x1b[36m";
const RESET = "\x1b[0m";

/**
 * Prints diagnostics one per line as `file:line:col: dotted.path: message`, sorted by file, line and
 * column (those without a file first, those without a line last within their file, ties in their
 * original order). Parts that are unknown are left out.
 *
 * @param diagnostics The findings to print.
 * @param options Colours, severity prefixes.
 * @returns The lines joined with `\n`, without a final newline.
 *
 * @example A warning with its severity
 * ```ts
 * import assert from "node:assert/strict";
 * import { diagnostic, formatDiagnostics } from "./diagnostic.ts";
 * const w = diagnostic("SCHEMA_NOTE", "role app is not copied", {}, "note");
 * assert.equal(formatDiagnostics([w], { severity: true }), "note: role app is not copied");
 * assert.equal(formatDiagnostics([w], { code: true }), "note SCHEMA_NOTE: role app is not copied");
 * ```
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const color = options.color === true;
  return diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => compare(a.d.location, b.d.location) || a.index - b.index)
    .map(({ d }) => prefix(d, options) + formatOne(d, color))
    .join("\n");
}

function prefix(d: Diagnostic, options: FormatOptions): string {
  if (options.code) return `${d.severity} ${d.code}: `;
  return options.severity ? `${d.severity}: ` : "";
}

function compare(a: Location, b: Location): number {
  const fa = a.file ?? "";
  const fb = b.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.line ?? Infinity;
  const lb = b.line ?? Infinity;
  if (la !== lb) return la < lb ? -1 : 1;
  return (a.col ?? 0) - (b.col ?? 0);
}

function formatOne(d: Diagnostic, color: boolean): string {
  const at = d.location;
  let where = at.file ?? "";
  if (at.line !== undefined) {
    where += `${where ? ":" : "line "}${at.line}`;
    if (at.col !== undefined) where += `:${at.col}`;
  }
  const path = (at.path ?? []).map(String).join(".");
  const parts: string[] = [];
  if (where) parts.push(color ? `${BOLD}${where}${RESET}` : where);
  if (path) parts.push(color ? `${CYAN}${path}${RESET}` : path);
  parts.push(d.message);
  return parts.join(": ");
}
