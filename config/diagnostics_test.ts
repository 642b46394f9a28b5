import assert from "node:assert/strict";
import { didYouMean, formatIssues } from "./diagnostics.ts";

const STRATEGIES = ["fake.email", "fake.name", "hash", "keep", "null", "partial", "redact"];

const NEAR: [string, string | undefined][] = [
  ["fake.emial", "fake.email"], // swapped neighbours count as one edit
  ["kep", "keep"],
  ["KEEP", "keep"], // case is ignored
  ["nul", "null"],
  ["parital", "partial"],
  ["fake.nmae", "fake.name"],
  ["redcat", "redact"],
  ["hsah", "hash"],
  ["keep", undefined], // an exact name needs no suggestion
  ["k", undefined], // one letter is too far from everything
  ["scramble", undefined],
  ["fake.phone", undefined],
];

for (const [word, expected] of NEAR) {
  Deno.test(`didYouMean() suggests ${expected === undefined ? "nothing" : `'${expected}'`} for '${word}'`, () => {
    assert.equal(didYouMean(word, STRATEGIES), expected);
  });
}

Deno.test("didYouMean() prefers the nearest candidate, then the first listed", () => {
  assert.equal(didYouMean("colums", ["column", "columns"]), "column");
  assert.equal(didYouMean("ab", ["ax", "ay"]), "ax");
  assert.equal(didYouMean("anything", []), undefined);
});

Deno.test("didYouMean() allows one edit per three characters", () => {
  assert.equal(didYouMean("abcdef", ["abxdxf"]), "abxdxf");
  assert.equal(didYouMean("abcdef", ["xbxdxf"]), undefined);
});

Deno.test("formatIssues() prints file:line:col: path: message, sorted by file, line and column", () => {
  const text = formatIssues([
    {
      path: ["tables", "public.customer", "columns", "email"],
      message: "third",
      file: "a.yaml",
      line: 14,
      col: 12,
    },
    { path: ["version"], message: "first", file: "a.yaml", line: 1, col: 10 },
    { path: ["source"], message: "second", file: "a.yaml", line: 2, col: 9 },
    { path: ["source"], message: "before a", file: "0.yaml", line: 99, col: 1 },
    { path: ["key"], message: "same line, later column", file: "a.yaml", line: 14, col: 30 },
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

Deno.test("formatIssues() leaves out what is unknown, puts file-less issues first and line-less ones last in their file", () => {
  const text = formatIssues([
    { path: ["source"], message: "from the environment" },
    { path: [], message: "whole file", file: "p.yaml" },
    { path: ["x"], message: "located", file: "p.yaml", line: 3 },
    { path: ["y"], message: "no file", line: 2, col: 4 },
  ]);
  assert.equal(
    text,
    ["line 2:4: y: no file", "source: from the environment", "p.yaml:3: x: located", "p.yaml: whole file"]
      .join("\n"),
  );
});

Deno.test("formatIssues() colours the location and path only when asked", () => {
  const issues = [{ path: ["version"], message: "expected 1", file: "p.yaml", line: 1, col: 10 }];
  assert.equal(formatIssues(issues, { color: false }), "p.yaml:1:10: version: expected 1");
  assert.equal(
    formatIssues(issues, { color: true }),
    "\x1b[1mp.yaml:1:10\x1b[0m: \x1b[36mversion\x1b[0m: expected 1",
  );
  assert.equal(formatIssues([]), "");
});
