import assert from "node:assert/strict";
import { diagnostic, formatDiagnostics, hasErrors } from "./diagnostic.ts";

Deno.test("formatDiagnostics() prints file:line:col: path: message, sorted by file, line and column", () => {
  const text = formatDiagnostics([
    diagnostic("CONFIG_INVALID", "third", {
      file: "a.yaml",
      line: 14,
      col: 12,
      path: ["tables", "public.customer", "columns", "email"],
    }),
    diagnostic("CONFIG_INVALID", "first", { file: "a.yaml", line: 1, col: 10, path: ["version"] }),
    diagnostic("CONFIG_INVALID", "second", { file: "a.yaml", line: 2, col: 9, path: ["source"] }),
    diagnostic("CONFIG_INVALID", "before a", { file: "0.yaml", line: 99, col: 1, path: ["source"] }),
    diagnostic("CONFIG_INVALID", "same line, later column", {
      file: "a.yaml",
      line: 14,
      col: 30,
      path: ["key"],
    }),
  ]);
  assert.equal(
    text,
    [
      "0.yaml:99:1: source: before a",
      "a.yaml:1:10: version: first",
      "a.yaml:2:9: source: second",
      "a.yaml:14:12: tables.public.customer.columns.email: third",
      "a.yaml:14:30: key: same line, later column",
    ].join("\n"),
  );
});

Deno.test("formatDiagnostics() leaves out what is unknown, puts file-less diagnostics first and line-less ones last in their file", () => {
  const text = formatDiagnostics([
    diagnostic("CONFIG_INVALID", "from the environment", { path: ["source"] }),
    diagnostic("CONFIG_INVALID", "whole file", { file: "p.yaml", path: [] }),
    diagnostic("CONFIG_INVALID", "located", { file: "p.yaml", line: 3, path: ["x"] }),
    diagnostic("CONFIG_INVALID", "no file", { line: 2, col: 4, path: ["y"] }),
  ]);
  assert.equal(
    text,
    ["line 2:4: y: no file", "source: from the environment", "p.yaml:3: x: located", "p.yaml: whole file"]
      .join("\n"),
  );
});

Deno.test("formatDiagnostics() colours the location and path only when asked", () => {
  const issues = [
    diagnostic("CONFIG_INVALID", "expected 1", { file: "p.yaml", line: 1, col: 10, path: ["version"] }),
  ];
  assert.equal(formatDiagnostics(issues, { color: false }), "p.yaml:1:10: version: expected 1");
  assert.equal(
    formatDiagnostics(issues, { color: true }),
    "\x1b[1mp.yaml:1:10\x1b[0m: \x1b[36mversion\x1b[0m: expected 1",
  );
  assert.equal(formatDiagnostics([]), "");
});

Deno.test("formatDiagnostics() prefixes severity and code when asked, the code winning over the bare severity", () => {
  const issues = [
    diagnostic("STRATEGY_UNKNOWN", "unknown strategy 'kep'", {
      file: "p.yaml",
      line: 7,
      col: 11,
      path: ["x"],
    }),
    diagnostic("UNIQUE_NOT_GUARANTEED", "may repeat", {}, "warning"),
  ];
  assert.equal(
    formatDiagnostics(issues, { code: true, severity: true }),
    "warning UNIQUE_NOT_GUARANTEED: may repeat\nerror STRATEGY_UNKNOWN: p.yaml:7:11: x: unknown strategy 'kep'",
  );
  assert.equal(formatDiagnostics(issues.slice(1), { severity: true }), "warning: may repeat");
});

Deno.test("diagnostic() leaves undefined location parts out, and hasErrors() looks only at errors", () => {
  const w = diagnostic("UNIQUE_NOT_GUARANTEED", "w", { file: "p.yaml", line: undefined }, "warning");
  assert.deepEqual(w, {
    severity: "warning",
    code: "UNIQUE_NOT_GUARANTEED",
    message: "w",
    location: { file: "p.yaml" },
  });
  assert.equal(hasErrors([w]), false);
  assert.equal(hasErrors([w, diagnostic("TABLE_UNKNOWN", "e")]), true);
});
