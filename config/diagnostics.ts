/**
 * Helpers that make policy problems readable: a "did you mean" for misspelt names and a formatter that
 * prints one `file:line:col: path: message` line per {@link ConfigIssue}.
 *
 * @module
 */
import type { ConfigIssue } from "../errors.ts";

/**
 * The candidate nearest to `word` when it is near enough to be a likely typo: at most one edit per three
 * characters (at least one), counting a swap of two neighbours as one edit, ignoring case. Returns
 * `undefined` when `word` is itself a candidate or nothing is near.
 *
 * @param word The misspelt name, e.g. `fake.emial`.
 * @param candidates The names that exist.
 * @returns The nearest candidate, or `undefined`.
 *
 * @example Suggest a strategy
 * ```ts
 * import assert from "node:assert/strict";
 * import { didYouMean } from "./diagnostics.ts";
 * assert.equal(didYouMean("kep", ["keep", "null"]), "keep");
 * assert.equal(didYouMean("zzz", ["keep", "null"]), undefined);
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(word)) return undefined;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) > limit) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d = new Array<number>((a.length + 1) * cols);
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[a.length * cols + b.length];
}

/** The ` — did you mean 'x'?` suffix, or `""` when nothing is near. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const near = didYouMean(word, candidates);
  return near === undefined ? "" : ` — did you mean '${near}'?`;
}

/** Options of {@link formatIssues}. */
export interface FormatOptions {
  /** Use ANSI colours (callers pass `false` when `NO_COLOR` is set or the output is not a terminal). */
  color?: boolean;
}

const BOLD = "\x1b[1m";
const CYAN = "\x1b[36m";
const RESET = "\x1b[0m";

/**
 * Prints issues one per line as `file:line:col: dotted.path: message`, sorted by file, line and column
 * (issues without a file first, issues without a line last within their file, ties in their original
 * order). Parts that are unknown are left out.
 *
 * @param issues The issues to print.
 * @param options Whether to colour the location and path.
 * @returns The lines joined with `\n`, without a final newline.
 *
 * @example One issue
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatIssues } from "./diagnostics.ts";
 * const text = formatIssues([{ path: ["version"], message: "expected 1", file: "p.yaml", line: 1, col: 10 }]);
 * assert.equal(text, "p.yaml:1:10: version: expected 1");
 * ```
 */
export function formatIssues(issues: readonly ConfigIssue[], options: FormatOptions = {}): string {
  const color = options.color === true;
  const sorted = issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => compareIssues(a.issue, b.issue) || a.index - b.index);
  return sorted.map(({ issue }) => formatOne(issue, color)).join("\n");
}

function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  const fa = a.file ?? "";
  const fb = b.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.line ?? Infinity;
  const lb = b.line ?? Infinity;
  if (la !== lb) return la < lb ? -1 : 1;
  return (a.col ?? 0) - (b.col ?? 0);
}

function formatOne(issue: ConfigIssue, color: boolean): string {
  let where = issue.file ?? "";
  if (issue.line !== undefined) {
    where += `${where ? ":" : "line "}${issue.line}`;
    if (issue.col !== undefined) where += `:${issue.col}`;
  }
  const path = issue.path.map(String).join(".");
  const parts: string[] = [];
  if (where) parts.push(color ? `${BOLD}${where}${RESET}` : where);
  if (path) parts.push(color ? `${CYAN}${path}${RESET}` : path);
  parts.push(issue.message);
  return parts.join(": ");
}
