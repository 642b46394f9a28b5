import assert from "node:assert/strict";
import { maskOrder, rowReferenceIssues } from "./row_refs.ts";

Deno.test("maskOrder() puts a column after the masked columns it reads and finds cycles", () => {
  assert.deepEqual(maskOrder([{ name: "a" }, { name: "b" }]), { ok: true, order: [0, 1] });
  assert.deepEqual(
    maskOrder([{ name: "login", readsMasked: ["email"] }, { name: "email", readsMasked: ["first"] }, {
      name: "first",
    }]),
    { ok: true, order: [2, 1, 0] },
  );
  // Source reads never order anything; an unknown reference is left to rowReferenceIssues().
  assert.deepEqual(maskOrder([{ name: "a", reads: ["b"], readsMasked: ["zz"] }, { name: "b" }]), {
    ok: true,
    order: [0, 1],
  });
  assert.deepEqual(
    maskOrder([{ name: "x" }, { name: "a", readsMasked: ["b"] }, { name: "b", readsMasked: ["c"] }, {
      name: "c",
      readsMasked: ["a"],
    }]),
    { ok: false, cycle: ["a", "b", "c", "a"] },
  );
  assert.deepEqual(maskOrder([{ name: "a", readsMasked: ["a"] }]), { ok: false, cycle: ["a", "a"] });
});

Deno.test("rowReferenceIssues() names unknown columns with the nearest name, and cycles, at the rule", () => {
  const at = (line: number) => ({ file: "p.yaml", line, col: 7, path: ["tables", "public.t", "columns"] });
  const issues = rowReferenceIssues("public.t", [
    { name: "first_name", source: at(5) },
    { name: "email", readsMasked: ["frist_name"], reads: ["is_staff"], source: at(6) },
    { name: "a", readsMasked: ["b"], source: at(7) },
    { name: "b", readsMasked: ["a"], source: at(8) },
  ]);
  assert.deepEqual(issues.map((d) => [d.code, d.severity, d.location.line, d.location.column, d.message]), [
    [
      "RULE_COLUMN_UNKNOWN",
      "error",
      6,
      "email",
      "public.t.email: the rule reads column 'is_staff', which public.t does not have or does not copy",
    ],
    [
      "RULE_COLUMN_UNKNOWN",
      "error",
      6,
      "email",
      "public.t.email: the rule reads column 'frist_name', which public.t does not have or does not copy — did you mean 'first_name'?",
    ],
    [
      "RULE_COLUMN_CYCLE",
      "error",
      7,
      "a",
      "public.t: columns are built from each other's masked values in a cycle: a → b → a; let one of them be masked without the others (e.g. drop its {{b}} placeholder)",
    ],
  ]);
});
