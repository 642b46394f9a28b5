/**
 * The summary `privaci scan` prints on stderr: counts per kind and confidence, the sampled tables that
 * failed, and the kept columns that look personal. Names and counts only.
 *
 * @module
 */
import type { ScanResult } from "./scan.ts";

/** Options of {@link formatScanSummary}. */
export interface SummaryOptions {
  color?: boolean;
  /** Where the policy was written, if to a file. */
  out?: string;
}

/** The human summary of a scan. */
export function formatScanSummary(result: ScanResult, options: SummaryOptions = {}): string {
  const paint = (code: string, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const columns = result.tables.flatMap((t) => t.columns);
  const personal = columns.filter((c) => c.kind !== null);
  const by = (conf: string) => personal.filter((c) => c.confidence === conf).length;
  const lines = [
    `scanned ${result.tables.length} tables, ${columns.length} columns in ${
      (result.ms / 1000).toFixed(1)
    } s: ` +
    `${personal.length} personal (${by("high")} high, ${by("medium")} medium, ${
      by("low")
    } low confidence), ` +
    `${columns.length - personal.length} not personal`,
  ];
  const failed = result.tables.filter((t) => t.failed);
  if (failed.length > 0) {
    lines.push(
      `${failed.length} table samples failed (rules from names and types only): ${
        failed.map((t) => t.table).join(", ")
      }`,
    );
  }
  const added = columns.filter((c) => c.status === "new").length;
  if (result.tables.some((t) => t.columns.some((c) => c.status !== "new"))) {
    lines.push(`${added} columns added to the policy`);
  }
  for (const f of result.flagged) {
    const c = result.tables.find((t) => t.table === f.table)!.columns.find((c) => c.column === f.column)!;
    lines.push(
      `${
        paint("31;1", "personal but kept")
      }: ${f.table}.${f.column} looks like ${c.kind} (${c.confidence}): ${c.evidence.join("; ")}`,
    );
  }
  for (const t of result.tables) {
    for (const c of t.columns) {
      if (c.suggested === undefined) continue;
      const add = Object.entries(c.suggested).map(([k, v]) => `${k}: ${v}`).join(", ");
      lines.push(`suggested for ${t.table}.${c.column} (rule left as it is): ${add}; ${c.evidence.at(-1)}`);
    }
  }
  if (options.out) lines.push(`wrote ${options.out}: review every rule, then run 'privaci check'`);
  return lines.join("\n");
}
