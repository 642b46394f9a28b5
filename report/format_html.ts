/**
 * The run and its verification as one self-contained HTML page for people who do not read JSON (a
 * compliance officer, an auditor): inline CSS and SVG, no script, nothing fetched. It holds what the
 * reports hold (counts, timings, strategy names, findings, redacted contexts), never a cell value, and
 * escapes every text it prints.
 *
 * @module
 */
import type { RunReport } from "./report.ts";
import { formatBytes } from "./format_text.ts";
import type { KAnonymityResult, VerifyReport } from "../verify/findings.ts";

/** What the page shows: a run, a verification, or both. */
export interface HtmlReportInput {
  /** The run's report. */
  run?: RunReport;
  /** The verification's report. */
  verify?: VerifyReport;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = escapeHtml;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dce3;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:#566074;margin:0 0 12px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff}
.ok{background:#23824a}.bad{background:#b42318}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px}
th,td{border:1px solid #d8dce3;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.risk-high{color:#b42318;font-weight:700}.risk-medium{color:#b54708;font-weight:700}.risk-low{color:#475467}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}code{background:#eef0f4;padding:0 3px;border-radius:3px}
.muted{color:#566074}
`;

/** The whole page. */
export function formatHtml(input: HtmlReportInput): string {
  const { run, verify } = input;
  const failed = (run && !run.ok) || (verify && !verify.ok);
  const status = failed ? "FAILED" : "OK";
  const when = run?.startedAt ?? verify?.startedAt ?? "";
  const body = [
    `<h1>PrivaCI report <span class="badge ${failed ? "bad" : "ok"}" id="status">${status}</span></h1>`,
    `<p class="meta">${e(when)} · source ${e(run?.source ?? verify?.source ?? "")} → target ${
      e(run?.target ?? verify?.target ?? "")
    }${run?.privaci || verify?.privaci ? ` · privaci ${e(run?.privaci || verify?.privaci || "")}` : ""}</p>`,
    run ? runSection(run) : verify ? planSection(verify) : "",
    verify ? verifySection(verify) : "",
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>PrivaCI report: ${status}</title><style>${CSS}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

/** The run's failed units (any shard or attempt) and their retries, when there were any. */
function failuresList(run: RunReport): string {
  if (!run.failures?.length) return "";
  const items = run.failures.map((f) =>
    `<li data-unit="${e(f.unit)}"><code>${e(f.unit)}</code> failed${
      f.shard ? ` on shard ${e(f.shard)}` : ""
    } at ${e(f.failedAt)}: ${e(f.code)} ${e(f.message)}; ${
      f.retriedAt
        ? `loaded again${f.retriedBy ? ` by shard ${e(f.retriedBy)}` : ""} at ${e(f.retriedAt)}`
        : `<b class="risk-high">not loaded since</b>`
    }</li>`
  );
  return `<h3>Failed units</h3><ul id="run-failures">${items.join("")}</ul>
`;
}

function runSection(run: RunReport): string {
  const t = run.totals;
  const rows = run.tables.map((x) =>
    `<tr data-table="${e(x.table)}"><td>${e(x.table)}</td><td>${
      e(x.status)
    }</td><td class="n">${x.rows}</td><td class="n">${e(formatBytes(x.bytesIn))}</td><td class="n">${
      e(formatBytes(x.bytesOut))
    }</td><td class="n">${(x.ms / 1000).toFixed(2)} s</td><td>${
      strategies(x.masked)
    }</td><td class="n">${x.kept}</td></tr>`
  );
  const skipped = run.tables.filter((x) => x.status === "skipped").map((x) => x.table);
  return `<section id="run"><h2>Run</h2>
<div class="cards">${card("status", run.ok ? "done" : "failed")}${card("rows", String(t.rows))}${
    card("read", formatBytes(t.bytesIn))
  }${card("written", formatBytes(t.bytesOut))}${card("time", `${(run.ms / 1000).toFixed(2)} s`)}${
    card("masked columns", String(t.maskedColumns))
  }${card("kept columns", String(t.keptColumns))}${card("sequences", String(run.sequences))}</div>
<p class="meta">run ${e(run.runId)} · snapshot ${e(run.snapshot)} · ${e(run.startedAt)} – ${
    e(run.finishedAt)
  }</p>
${run.error ? `<p class="risk-high">error ${e(run.error.code)}: ${e(run.error.message)}</p>` : ""}
${
    failuresList(run)
  }<table id="run-tables"><thead><tr><th>table</th><th>status</th><th>rows</th><th>read</th><th>written</th><th>time</th><th>strategy per masked column</th><th>kept</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
${subsetTable(run)}
<p>Skipped (no rows copied): ${
    skipped.length ? skipped.map((s) => `<code>${e(s)}</code>`).join(", ") : "none"
  }</p>
${
    run.diagnostics.length
      ? `<h3>Diagnostics</h3><ul>${
        run.diagnostics.map((d) => `<li><b>${e(d.severity)}</b> ${e(d.code)}: ${e(d.message)}</li>`).join("")
      }</ul>`
      : ""
  }
</section>`;
}

/** A subset run's plan: per table the filter applied, which rows and why, expected and copied rows. */
function subsetTable(run: RunReport): string {
  if (!run.subset) return "";
  const rows = run.subset.map((x) =>
    `<tr data-table="${e(x.table)}"><td>${e(x.table)}</td><td>${e(x.role)}</td><td>${
      e(x.rule)
    }</td><td class="n">${x.estimatedRows ?? "-"}</td><td class="n">${x.copiedRows}</td></tr>`
  );
  return `<h3>Subset</h3><p class="muted">Each table's filter: root (the policy's rule), child (rows referencing kept rows), parent (rows kept rows reference), connected (rows whose every reference is kept), whole (not in the subset). Expected rows are the kept rows counted in the snapshot before the load (the catalog's estimate for a table copied whole).</p>
<table id="run-subset"><thead><tr><th>table</th><th>filter</th><th>rows kept</th><th>expected rows</th><th>copied rows</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

function planSection(v: VerifyReport): string {
  const rows = v.tables.map((x) => {
    const counts = v.integrity.find((i) => i.table === x.table);
    return `<tr data-table="${e(x.table)}"><td>${e(x.table)}</td><td>${
      x.rows === "skip" ? "skipped" : "copied"
    }</td><td class="n">${counts?.targetRows ?? "-"}</td><td>${
      strategies(x.masked)
    }</td><td class="n">${x.kept}</td></tr>`;
  });
  return `<section id="run"><h2>Tables</h2>
<table id="run-tables"><thead><tr><th>table</th><th>rows rule</th><th>rows in target</th><th>strategy per masked column</th><th>kept</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></section>`;
}

function verifySection(v: VerifyReport): string {
  const high = v.findings.filter((f) => f.risk === "high").length;
  const findings = v.findings.length === 0
    ? `<p id="no-findings">No findings.</p>`
    : `<table id="findings"><thead><tr><th>risk</th><th>check</th><th>where</th><th>count</th><th>what</th><th>policy</th></tr></thead><tbody>${
      v.findings.map((f) =>
        `<tr><td class="risk-${f.risk}">${f.risk}</td><td>${e(f.check)}</td><td>${e(f.table)}${
          f.column ? `.${e(f.column)}` : ""
        }</td><td class="n">${f.count}</td><td>${e(f.message)}</td><td>${
          f.policy?.line ? `${e(f.policy.file)}:${f.policy.line}` : ""
        }</td></tr>`
      ).join("\n")
    }</tbody></table>`;
  const replay = v.replay.map((r) =>
    `<tr><td>${e(r.table)}.${e(r.column)}</td><td>${e(r.strategy)}</td><td>${
      e(r.reproduces)
    }</td><td class="n">${r.values}</td><td class="n">${r.equalValues}</td><td class="n">${
      r.ownValues ?? "n/a"
    }</td><td>${r.expected ? "expected" : `<span class="risk-high">unexpected</span>`}</td></tr>`
  );
  const residual = v.residual.map((r) =>
    `<tr><td>${e(r.table)}.${e(r.column)}</td><td>${
      e(r.rule)
    }</td><td class="n">${r.scanned}</td><td class="n">${r.rowsWithFindings}</td><td>${
      Object.entries(r.counts).map(([k, n]) => `${e(k)} ${n}`).join(", ") || "-"
    }</td><td>${r.risk ? `<span class="risk-${r.risk}">${r.risk}</span>` : "-"}</td><td>${
      Object.entries(r.contexts).map(([k, c]) => `<div><b>${e(k)}</b>: <code>${e(c)}</code></div>`).join("")
    }</td></tr>`
  );
  const contained = v.containment.filter((c) => c.occurrences > 0).map((c) =>
    `<tr><td>${e(c.table)}.${
      e(c.column)
    }</td><td class="n">${c.occurrences}</td><td class="n">${c.distinct}</td><td>${
      c.from.map(e).join(", ")
    }</td></tr>`
  );
  const integrity = v.integrity.map((i) =>
    `<tr><td>${e(i.table)}</td><td class="n">${i.sourceRows}</td><td class="n">${i.targetRows}</td><td>${
      i.sourceRows === i.targetRows ? "same" : `<span class="risk-medium">differs</span>`
    }</td></tr>`
  );
  return `<section id="verify"><h2>Verification <span class="badge ${v.ok ? "ok" : "bad"}">${
    v.ok ? "clean" : "findings"
  }</span></h2>
<div class="cards">${card("findings", String(v.findings.length))}${card("high risk", String(high))}${
    card("fail on", v.failOn)
  }${card("masked columns replayed", String(v.replay.length))}${
    card("columns scanned", String(v.residual.length))
  }${card("time", `${(v.ms / 1000).toFixed(2)} s`)}</div>
${v.sample ? `<p class="meta">Residual scan on a sample of at most ${v.sample} rows per column.</p>` : ""}
<h3>Findings</h3>${findings}
<h3>Replay</h3><p class="muted">Per masked column: target values equal to a source value of the column, and rows that kept their own source value (compared as keyed digests).</p>
${
    replay.length
      ? `<table id="replay"><thead><tr><th>column</th><th>strategy</th><th>may reproduce</th><th>values</th><th>equal to a source value</th><th>own value kept</th><th></th></tr></thead><tbody>${
        replay.join("\n")
      }</tbody></table>`
      : "<p>No masked columns.</p>"
  }
<h3>Residual personal data</h3>
${
    residual.length
      ? `<table id="residual"><thead><tr><th>column</th><th>rule</th><th>rows scanned</th><th>rows with findings</th><th>per detector</th><th>risk</th><th>redacted context</th></tr></thead><tbody>${
        residual.join("\n")
      }</tbody></table>`
      : "<p>No kept or scrubbed text columns.</p>"
  }
<h3>Source values inside other columns</h3>
${
    contained.length
      ? `<table id="containment"><thead><tr><th>column</th><th>occurrences</th><th>distinct tokens</th><th>from masked columns</th></tr></thead><tbody>${
        contained.join("\n")
      }</tbody></table>`
      : "<p>None found.</p>"
  }
<h3>Integrity</h3>
<table id="integrity"><thead><tr><th>table</th><th>source rows</th><th>target rows</th><th></th></tr></thead><tbody>${
    integrity.join("\n")
  }</tbody></table>
${
    v.kAnonymity.length
      ? `<h3>Re-identification risk (k-anonymity)</h3>${v.kAnonymity.map(kSection).join("\n")}`
      : ""
  }
${v.notes.length ? `<h3>Not checked</h3><ul>${v.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>` : ""}
<p class="muted">Timings: ${
    Object.entries(v.timings).map(([k, s]) => `${e(k)} ${s.toFixed(2)} s`).join(" · ")
  }</p>
</section>`;
}

function kSection(k: KAnonymityResult): string {
  const best = k.withoutColumn[0];
  return `<div class="kanon" data-table="${e(k.table)}"><p><b>${e(k.table)}</b> over (${
    k.quasiIdentifiers.map(e).join(", ")
  }): <b>k = ${k.k}</b>, ${
    (k.shareBelow * 100).toFixed(1)
  }% of ${k.rows} rows in groups smaller than k_min ${k.kMin}${
    best
      ? `; generalising <code>${e(best.column)}</code> helps most (${
        (best.shareBelow * 100).toFixed(1)
      }% below without it)`
      : ""
  }</p>${histogram(k)}</div>`;
}

/** Bars of groups per group size; sizes below k_min in red. */
function histogram(k: KAnonymityResult): string {
  const bars = k.histogram;
  if (bars.length === 0) return "";
  const w = 28;
  const h = 120;
  const max = Math.max(...bars.map((b) => b.groups));
  const width = Math.max(360, bars.length * w + 40);
  const rects = bars.map((b, i) => {
    const bh = Math.max(1, Math.round((b.groups / max) * h));
    const x = 30 + i * w;
    const label = b.size > 20 ? "21+" : String(b.size);
    return `<rect x="${x}" y="${10 + h - bh}" width="${w - 6}" height="${bh}" fill="${
      b.size < k.kMin ? "#b42318" : "#2e6fd8"
    }"><title>${b.groups} group(s) of ${label} row(s)</title></rect><text x="${x + (w - 6) / 2}" y="${
      h + 24
    }" font-size="10" text-anchor="middle">${label}</text>`;
  });
  return `<svg class="histogram" role="img" aria-label="groups per group size" width="${width}" height="${
    h + 44
  }" viewBox="0 0 ${width} ${
    h + 44
  }" xmlns="http://www.w3.org/2000/svg"><text x="0" y="10" font-size="10">${max}</text><line x1="28" y1="${
    h + 10
  }" x2="${width}" y2="${h + 10}" stroke="#566074"/>${rects.join("")}<text x="${width / 2}" y="${
    h + 40
  }" font-size="10" text-anchor="middle">rows per group of equal quasi-identifiers</text></svg>`;
}

function strategies(masked: Record<string, string>): string {
  const entries = Object.entries(masked);
  return entries.length === 0
    ? `<span class="muted">all kept</span>`
    : entries.map(([c, s]) => `<code>${e(c)}</code>: ${e(s)}`).join(", ");
}

function card(label: string, value: string): string {
  return `<div class="card"><span class="muted">${e(label)}</span><b>${e(value)}</b></div>`;
}
