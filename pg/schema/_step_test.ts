import assert from "node:assert/strict";
import { commentSql, orderSteps, planned, type PlannedStep } from "./_step.ts";

function names(steps: PlannedStep[]): string[] {
  return steps.map((s) => s.step.name);
}

function step(name: string, key: string, after?: string[]): PlannedStep {
  return planned("post", "view", name, `-- ${name}`, key, after ? { after } : {});
}

Deno.test("orderSteps() puts each step after what it depends on and keeps the given order otherwise", () => {
  const steps = [step("top", "rel:3"), step("a", "rel:1"), step("middle", "rel:2"), step("b", "rel:4")];
  const deps = new Map([["rel:3", new Set(["rel:2"])], ["rel:2", new Set(["rel:1"])]]);
  assert.deepEqual(names(orderSteps(steps, deps)), ["a", "middle", "top", "b"]);
});

Deno.test("orderSteps() keeps the steps of one object in order and honours explicit after keys", () => {
  const steps = [
    step("owned by", "own:9", ["rel:9", "rel:5"]),
    step("seq", "rel:9"),
    step("seq comment", "rel:9"),
    step("table", "rel:5"),
  ];
  assert.deepEqual(names(orderSteps(steps, new Map())), ["seq", "seq comment", "table", "owned by"]);
});

Deno.test("orderSteps() breaks a cycle where it meets it and reports the key", () => {
  const steps = [step("x", "rel:1"), step("y", "rel:2")];
  const deps = new Map([["rel:1", new Set(["rel:2"])], ["rel:2", new Set(["rel:1"])]]);
  const cycles: string[] = [];
  assert.deepEqual(names(orderSteps(steps, deps, (k) => cycles.push(k))), ["y", "x"]);
  assert.deepEqual(cycles, ["rel:1"]);
});

Deno.test("orderSteps() handles a dependency chain deeper than the call stack", () => {
  const n = 20_000;
  const steps = Array.from({ length: n }, (_, i) => step(`v${i}`, `rel:${i}`));
  const deps = new Map(steps.map((_, i) => [`rel:${i}`, new Set(i + 1 < n ? [`rel:${i + 1}`] : [])]));
  const out = names(orderSteps(steps, deps));
  assert.equal(out.length, n);
  assert.equal(out[0], `v${n - 1}`);
  assert.equal(out[n - 1], "v0");
});

Deno.test("commentSql() quotes the text as a SQL literal", () => {
  assert.equal(commentSql("TABLE app.t", "it's 'quoted'"), "COMMENT ON TABLE app.t IS 'it''s ''quoted'''");
});
