import assert from "node:assert/strict";
import { diagnostic } from "../core/diagnostic.ts";
import { escapeHtml, formatHtml } from "./format_html.ts";
import type { RunReport } from "./report.ts";
import { sampleVerifyReport } from "./testdata/verify_report.ts";

function runReport(): RunReport {
  return {
    privaci: "0.1.0",
    runId: "00000000-0000-4000-8000-000000000001",
    startedAt: "2026-12-02T16:59:00.000Z",
    finishedAt: "2026-12-02T17:00:00.000Z",
    ms: 60000,
    source: "postgres://reader:***@db/shop",
    target: "postgres://me@localhost/shop_masked",
    snapshot: "00000003-0000001B-1",
    ok: true,
    status: "done",
    tables: [
      {
        table: "public.customers",
        status: "copied",
        rows: 4,
        bytesIn: 2048,
        bytesOut: 2000,
        ms: 120,
        masked: { first_name: "fake.first_name" },
        kept: 3,
      },
      {
        table: "public.audit_log",
        status: "skipped",
        rows: 0,
        bytesIn: 0,
        bytesOut: 0,
        ms: 0,
        masked: {},
        kept: 0,
      },
    ],
    sequences: 1,
    diagnostics: [diagnostic("SCHEMA_NOTE", "a <note>", {}, "note")],
    totals: { rows: 4, bytesIn: 2048, bytesOut: 2000, maskedColumns: 1, keptColumns: 3 },
  };
}

Deno.test("escapeHtml() escapes the five HTML-significant characters", () => {
  assert.equal(escapeHtml(`<a href="x">&'`), "&#60;a href=&#34;x&#34;&#62;&#38;&#39;");
});

Deno.test("formatHtml() shows the run and the verification, escaped, with nothing to fetch", () => {
  const html = formatHtml({ run: runReport(), verify: sampleVerifyReport() });
  assert.match(html, /^<!doctype html>/);
  for (const t of ["public.customers", "public.audit_log"]) assert.ok(html.includes(`data-table="${t}"`), t);
  assert.match(html, /Skipped \(no rows copied\): <code>public\.audit_log<\/code>/);
  assert.ok(html.includes("hold &#60;personal&#62; data &#38; more"));
  assert.ok(html.includes("Spoke with [PERSON] about &#34;it&#34; &#60;b&#62;"));
  assert.ok(!html.includes("<personal>"));
  assert.ok(html.includes("<b>note</b> SCHEMA_NOTE: a &#60;note&#62;"));
  assert.match(html, /<svg class="histogram"/);
  assert.match(html, /id="status">FAILED</);
  // Self-contained: no script, no external resource, a CSP that forbids fetching.
  assert.doesNotMatch(html, /<script|<link|<img|\ssrc=|\shref=|url\(|@import/i);
  assert.match(html, /default-src 'none'/);
});

Deno.test("formatHtml() of a run alone lists its tables and says OK", () => {
  const html = formatHtml({ run: runReport() });
  assert.match(html, /id="status">OK</);
  assert.ok(html.includes(`data-table="public.customers"`));
  assert.doesNotMatch(html, /id="verify"/);
});

Deno.test("formatHtml() lists the run's failed units, escaped, and which were loaded again", () => {
  const html = formatHtml({
    run: {
      ...runReport(),
      failures: [
        {
          unit: "public.customers#2",
          shard: "1/3",
          code: "PG_COPY",
          message: 'violates check constraint "<c>"',
          failedAt: "2026-12-02T16:59:30.000Z",
          retriedAt: "2026-12-02T17:10:00.000Z",
          retriedBy: "1/3",
        },
        {
          unit: "privaci:finish#0",
          code: "STRATEGY_COLLISION",
          message: "m",
          failedAt: "2026-12-02T17:11:00.000Z",
        },
      ],
    },
  });
  assert.ok(
    html.includes(`<li data-unit="public.customers#2"><code>public.customers#2</code> failed on shard 1/3`),
  );
  assert.ok(html.includes("violates check constraint &#34;&#60;c&#62;&#34;; loaded again by shard 1/3 at"));
  assert.match(
    html,
    /data-unit="privaci:finish#0">.*STRATEGY_COLLISION m; <b class="risk-high">not loaded since/,
  );
});
