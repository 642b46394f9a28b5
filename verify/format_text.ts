/**
 * The verification report as text for people: findings first, then the measurements behind them.
 *
 * @module
 */
import type { VerifyReport } from "./findings.ts";

/** The report as text lines. */
export function formatVerifyText(report: VerifyReport): string {
  const out: string[] = [];
  const f = report.findings;
  if (f.length === 0) out.push("findings: none");
  else {
    out.push(`findings (${f.length}):`);
    for (const x of f) {
      const where = x.policy?.line ? ` [${x.policy.file}:${x.policy.line}]` : "";
      out.push(
        `  ${x.risk.padEnd(6)} ${x.check.padEnd(12)} ${x.table}${x.column ? `.${x.column}` : ""}${where}`,
      );
      out.push(`         ${x.message}`);
    }
  }
  if (report.replay.length > 0) {
    out.push("", "replay (target values equal to a source value / rows keeping their own):");
    for (const r of report.replay) {
      out.push(
        `  ${r.table}.${r.column} (${r.strategy}): ${r.equalValues} / ${r.ownValues ?? "n/a"} of ${r.values}${
          r.equalValues > 0 ? (r.expected ? ` — expected (${r.reproduces})` : " — UNEXPECTED") : ""
        }`,
      );
    }
  }
  const residue = report.residual.filter((r) => r.rowsWithFindings > 0);
  if (residue.length > 0) {
    out.push("", "residual personal data:");
    for (const r of residue) {
      out.push(
        `  ${r.table}.${r.column} (${r.risk}): ${
          Object.entries(r.counts).map(([e, n]) => `${e} ${n}`).join(", ")
        }`,
      );
      for (const [e, c] of Object.entries(r.contexts)) out.push(`    ${e}: "${c}"`);
    }
  }
  for (const k of report.kAnonymity) {
    out.push(
      "",
      `k-anonymity of ${k.table} over (${k.quasiIdentifiers.join(", ")}): k = ${k.k}, ${
        (k.shareBelow * 100).toFixed(1)
      }% of ${k.rows} rows below k_min ${k.kMin}`,
    );
  }
  for (const n of report.notes) out.push(`note: ${n}`);
  const words = report.residual.reduce((n, r) => n + r.words, 0);
  out.push(
    "",
    `${report.ok ? "ok" : "FAILED"}: ${f.length} finding(s), ${
      f.filter((x) => x.risk === "high").length
    } high; fail-on ${report.failOn}; ${report.tables.length} tables, ${report.replay.length} masked columns replayed, ${report.residual.length} columns scanned (${words} words${
      report.sample ? `, sample of ${report.sample} rows per column` : ""
    }) in ${(report.ms / 1000).toFixed(2)} s`,
  );
  return out.join("\n") + "\n";
}
