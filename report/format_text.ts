/**
 * The run report as a table for people.
 *
 * @module
 */
import { formatDiagnostics } from "../core/diagnostic.ts";
import type { RunReport } from "./report.ts";

/** Human-readable byte size. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) v /= 1024, i++;
  return `${v.toFixed(1)} ${units[i]}`;
}

/** The report as aligned text lines. */
export function formatText(report: RunReport): string {
  const rows = report.tables.map((t) => [
    t.table,
    t.status,
    String(t.rows),
    formatBytes(t.bytesIn),
    `${(t.ms / 1000).toFixed(2)} s`,
    Object.keys(t.masked).length === 0
      ? "all kept"
      : Object.entries(t.masked).map(([c, s]) => `${c}:${s}`).join(", "),
  ]);
  const head = ["table", "status", "rows", "read", "time", "masked columns"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((v, i) => (i === r.length - 1 ? v : i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(
      "  ",
    );
  const out = [line(head), ...rows.map(line)];
  const s = report.totals;
  const secs = report.ms / 1000;
  out.push(
    "",
    `${report.ok ? "done" : "FAILED"}: ${s.rows} rows in ${
      report.tables.filter((t) => t.status === "copied").length
    } tables, ` +
      `${formatBytes(s.bytesIn)} in ${secs.toFixed(2)} s (${
        Math.round(s.rows / Math.max(secs, 0.001))
      } rows/s); ` +
      `${s.maskedColumns} columns masked, ${s.keptColumns} kept; ${report.sequences} sequences set`,
  );
  if (report.resumed) {
    out.push(
      `resumed run ${report.resumed.runId}: ${report.resumed.skipped.length} tables were already complete ` +
        `(read from snapshot ${
          report.resumed.snapshots.join(", ") || "-"
        }); the rest were read from snapshot ${report.snapshot}, ` +
        `so the copy is consistent per table, not across all tables`,
    );
  }
  if (report.shard) {
    const { index, count, runKey, units, finished, snapshots, run, left } = report.shard;
    out.push(
      `shard ${index}/${count} of run ${runKey}: ${units} units loaded here` +
        (finished === undefined
          ? ""
          : finished
          ? "; this shard finished the run"
          : run === "done"
          ? "; another shard finished the run"
          : `; the run is not finished (${run ?? "running"})`),
    );
    if (left) {
      out.push(
        `${left} units were left to the re-run of the shard a unit failed on (that unit, and those after it ` +
          `in foreign-key order): run that shard again with the same arguments once the cause is fixed`,
      );
    }
    if (snapshots.length > 1) {
      out.push(
        `the run's units were read from snapshots ${snapshots.join(", ")} (the first one had ended when a ` +
          `shard joined), so the copy is consistent per unit, not across all tables`,
      );
    }
  }
  for (const f of report.failures ?? []) {
    out.push(
      `unit ${f.unit} failed${
        f.shard ? ` on shard ${f.shard}` : ""
      } at ${f.failedAt}: ${f.code} ${f.message}; ` +
        (f.retriedAt
          ? `loaded again${f.retriedBy ? ` by shard ${f.retriedBy}` : ""} at ${f.retriedAt}`
          : "not loaded since"),
    );
  }
  if (report.subset) {
    const width = Math.max(...report.subset.map((x) => x.table.length));
    const role = Math.max(...report.subset.map((x) => x.role.length));
    out.push(
      "subset (expected rows → copied):",
      ...report.subset.map((x) =>
        `  ${x.table.padEnd(width)}  ${x.role.padEnd(role)}  ${x.rule}  (${
          x.estimatedRows ?? "?"
        } → ${x.copiedRows})`
      ),
    );
  }
  const found = formatDiagnostics(report.diagnostics, { code: true });
  if (found) out.push(found);
  if (report.error) out.push(`error ${report.error.code}: ${report.error.message}`);
  return out.join("\n") + "\n";
}
