import assert from "node:assert/strict";
import { diagnostic } from "../core/diagnostic.ts";
import { formatJson } from "./format_json.ts";
import { formatBytes, formatText } from "./format_text.ts";
import { type RunReport, type TableReport, totals } from "./report.ts";

function table(name: string, extra: Partial<TableReport> = {}): TableReport {
  return {
    table: name,
    status: "copied",
    rows: 0,
    bytesIn: 0,
    bytesOut: 0,
    ms: 0,
    masked: {},
    kept: 0,
    ...extra,
  };
}

const TABLES: TableReport[] = [
  table("public.customer", {
    rows: 1500,
    bytesIn: 3 * 1024 * 1024,
    bytesOut: 3 * 1024 * 1024 - 10,
    ms: 1250,
    masked: { email: "fake.email", phone: "partial" },
    kept: 3,
  }),
  table("public.audit_log", { status: "skipped" }),
  table("public.orders", { rows: 20, bytesIn: 900, bytesOut: 900, ms: 40, kept: 4 }),
];

function report(extra: Partial<RunReport> = {}): RunReport {
  return {
    privaci: "0.1.0",
    status: "done",
    runId: "run-1",
    startedAt: "2026-01-02T03:04:05.000Z",
    finishedAt: "2026-01-02T03:04:07.000Z",
    ms: 2000,
    source: "postgres://app:***@db/prod",
    target: "postgres://app:***@db/copy",
    snapshot: "00000003-00000002-1",
    ok: true,
    tables: TABLES,
    sequences: 2,
    diagnostics: [],
    totals: totals(TABLES),
    ...extra,
  };
}

Deno.test("totals() sums rows, bytes and columns over every table", () => {
  assert.deepEqual(totals(TABLES), {
    rows: 1520,
    bytesIn: 3 * 1024 * 1024 + 900,
    bytesOut: 3 * 1024 * 1024 - 10 + 900,
    maskedColumns: 2,
    keptColumns: 7,
  });
  assert.deepEqual(totals([]), { rows: 0, bytesIn: 0, bytesOut: 0, maskedColumns: 0, keptColumns: 0 });
});

Deno.test("formatBytes() uses binary units with one decimal", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(1024), "1.0 KiB");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(5 * 1024 ** 3), "5.0 GiB");
  assert.equal(formatBytes(2048 * 1024 ** 4), "2048.0 TiB");
});

Deno.test("formatText() prints an aligned table and a summary line", () => {
  assert.equal(
    formatText(report()),
    [
      "table             status   rows  read     time    masked columns",
      "public.customer   copied   1500  3.0 MiB  1.25 s  email:fake.email, phone:partial",
      "public.audit_log  skipped     0  0 B      0.00 s  all kept",
      "public.orders     copied     20  900 B    0.04 s  all kept",
      "",
      "done: 1520 rows in 2 tables, 3.0 MiB in 2.00 s (760 rows/s); 2 columns masked, 7 kept; 2 sequences set",
      "",
    ].join("\n"),
  );
});

Deno.test("formatText() adds diagnostics with their severity, code and location, and the error of a failed run", () => {
  const text = formatText(report({
    status: "failed",
    ok: false,
    diagnostics: [
      diagnostic("GENERATED_COLUMN", "t.g is generated", { file: "p.yaml", line: 7, col: 9 }, "warning"),
      diagnostic("SCHEMA_NOTE", "no location", {}, "note"),
    ],
    error: { code: "PG_COPY", message: "Cannot load public.orders" },
  }));
  const tail = text.split("\n").slice(-5);
  assert.deepEqual(tail, [
    "FAILED: 1520 rows in 2 tables, 3.0 MiB in 2.00 s (760 rows/s); 2 columns masked, 7 kept; 2 sequences set",
    "note SCHEMA_NOTE: no location",
    "warning GENERATED_COLUMN: p.yaml:7:9: t.g is generated",
    "error PG_COPY: Cannot load public.orders",
    "",
  ]);
});

Deno.test("formatText() says a resumed run is consistent per table only", () => {
  const text = formatText(
    report({ resumed: { runId: "run-0", skipped: ["public.orders"], snapshots: ["s-0"] } }),
  );
  assert.ok(
    text.includes(
      "resumed run run-0: 1 tables were already complete (read from snapshot s-0); the rest were read from " +
        "snapshot 00000003-00000002-1, so the copy is consistent per table, not across all tables",
    ),
    text,
  );
});

Deno.test("formatJson() round-trips the report and ends with a newline", () => {
  const r = report();
  const json = formatJson(r);
  assert.ok(json.endsWith("}\n"));
  assert.deepEqual(JSON.parse(json), r);
  assert.ok(json.startsWith('{\n  "privaci": "0.1.0",'));
});

Deno.test("formatText() names a shard's failed units, the retry, and a run left unfinished", () => {
  const text = formatText(
    report({
      shard: {
        index: 2,
        count: 3,
        runKey: "k",
        units: 4,
        finished: false,
        snapshots: [],
        run: "failed",
        left: 3,
      },
      failures: [{
        unit: "public.customers#2",
        shard: "1/3",
        code: "PG_COPY",
        message: "Cannot load public.customers at row 7",
        failedAt: "2026-01-01T00:00:00.000Z",
      }, {
        unit: "public.orders#0",
        shard: "0/3",
        code: "PG_COPY",
        message: "Cannot load public.orders at row 1",
        failedAt: "2026-01-01T00:00:01.000Z",
        retriedAt: "2026-01-01T00:01:00.000Z",
        retriedBy: "0/3",
      }],
    }),
  );
  for (
    const line of [
      "shard 2/3 of run k: 4 units loaded here; the run is not finished (failed)",
      "3 units were left to the re-run of the shard a unit failed on",
      "unit public.customers#2 failed on shard 1/3 at 2026-01-01T00:00:00.000Z: PG_COPY Cannot load " +
      "public.customers at row 7; not loaded since",
      "unit public.orders#0 failed on shard 0/3 at 2026-01-01T00:00:01.000Z: PG_COPY Cannot load public.orders " +
      "at row 1; loaded again by shard 0/3 at 2026-01-01T00:01:00.000Z",
    ]
  ) assert.ok(text.includes(line), `${line}\nin\n${text}`);
});
