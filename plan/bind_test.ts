import assert from "node:assert/strict";
import { builtinStrategies } from "../strategies/builtins.ts";
import { formatDiagnostics } from "../core/diagnostic.ts";
import { parsePolicy } from "../config/load.ts";
import { testRegistry } from "../config/testdata/test_registry.ts";
import { bindPolicy, bindRule, checkColumn, ruleParts } from "./bind.ts";
import { column } from "../strategies/_test_utils.ts";

const KEY = "base64:" + btoa("k".repeat(32));

function load(columns: string[], extra = "") {
  const text = [
    "version: 1",
    "source: postgres://h/a",
    "target: postgres://h/b",
    ...(extra ? [extra] : []),
    "tables:",
    "  public.customer:",
    "    columns:",
    ...columns.map((c) => `      ${c}`),
  ].join("\n");
  return parsePolicy(text, { file: "privaci.yaml", env: () => undefined });
}

Deno.test("bindPolicy().diagnostics finds nothing wrong with rules the registry can honour", () => {
  const loaded = load([
    "id: keep",
    "note: 'null'",
    "phone: { strategy: test.partial, keep_last: 2 }",
    "card: { strategy: test.partial, keep_last: 4, mask: '#', domain: card }",
    "email: { strategy: test.hash, unique: true, length: 16 }",
  ], `key: ${KEY}`);
  assert.deepEqual(bindPolicy(loaded, testRegistry()).diagnostics, []);
});

Deno.test("bindPolicy().diagnostics reports every problem in policy order with its code and position", () => {
  const loaded = load([
    "id: kep", // line 7
    "email: { strategy: test.hash }", // line 8: no key
    "phone: { strategy: test.partial, keep_last: -1, colour: red }", // line 9
    "note: { strategy: 'null', unique: true }", // line 10
  ]);
  const issues = bindPolicy(loaded, testRegistry()).diagnostics;
  assert.deepEqual(issues.map(({ code, location: { line, col } }) => ({ code, line, col })), [
    { code: "STRATEGY_UNKNOWN", line: 7, col: 11 },
    { code: "KEY_MISSING", line: 8, col: 26 },
    { code: "STRATEGY_PARAMS", line: 9, col: 51 },
    { code: "STRATEGY_PARAMS", line: 9, col: 55 },
    { code: "STRATEGY_PARAMS", line: 10, col: 41 },
  ]);
  assert.equal(
    formatDiagnostics(issues),
    [
      "privaci.yaml:7:11: tables.public.customer.columns.id: unknown strategy 'kep' — did you mean 'keep'?",
      "privaci.yaml:8:26: tables.public.customer.columns.email.strategy: strategy 'test.hash' needs the policy key: add 'key: ${PRIVACI_KEY}' to the policy",
      "privaci.yaml:9:51: tables.public.customer.columns.phone.keep_last: must be at least 0",
      "privaci.yaml:9:55: tables.public.customer.columns.phone.colour: unknown param 'colour' for strategy 'test.partial' (allowed: keep_last, mask)",
      "privaci.yaml:10:41: tables.public.customer.columns.note.unique: strategy 'null' cannot guarantee distinct values, so 'unique: true' cannot be honoured",
    ].join("\n"),
  );
});

Deno.test("bindPolicy().diagnostics suggests built-in names with only the built-in registry", () => {
  const loaded = load(["a: nul", "b: Keep", "c: { strategy: kepe }"]);
  assert.deepEqual(bindPolicy(loaded, builtinStrategies()).diagnostics.map((i) => i.message), [
    "unknown strategy 'nul' — did you mean 'null'?",
    "unknown strategy 'Keep' — did you mean 'keep'?",
    "unknown strategy 'kepe' — did you mean 'keep'?",
  ]);
});

Deno.test("bindPolicy().diagnostics checks params of skipped tables too", () => {
  const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\ntables:\n" +
    "  public.log: { rows: skip, columns: { body: { strategy: keep, mode: x } } }\n";
  const loaded = parsePolicy(text, { file: "p.yaml", env: () => undefined });
  assert.deepEqual(bindPolicy(loaded, testRegistry()).diagnostics, [{
    severity: "error",
    code: "STRATEGY_PARAMS",
    message: "unknown param 'mode' for strategy 'keep' (it takes no params)",
    location: { path: ["tables", "public.log", "columns", "body", "mode"], file: "p.yaml", line: 5, col: 64 },
  }]);
});

Deno.test("bindRule() binds the short and the long form to one shape: definition, parsed params, domain, unique, position", () => {
  const loaded = load(
    ["email: fake.email", "card: { strategy: test.partial, keep_last: 4, domain: cards }"],
    `key: ${KEY}`,
  );
  const registry = testRegistry();
  const path = ["tables", "public.customer", "columns", "email"];
  const short = bindRule("fake.email", { registry, src: loaded, path });
  assert.ok(short.ok);
  assert.equal(short.rule.definition, registry.get("fake.email"));
  assert.deepEqual([short.rule.domain, short.rule.unique], ["fake.email", false]);
  assert.deepEqual(short.rule.source, { file: "privaci.yaml", line: 8, col: 7, path });
  const long = bindRule(loaded.policy.tables["public.customer"].columns.card, {
    registry,
    src: loaded,
    path: ["tables", "public.customer", "columns", "card"],
  });
  assert.ok(long.ok);
  assert.deepEqual([long.rule.definition.meta.name, long.rule.params, long.rule.domain], [
    "test.partial",
    registry.get("test.partial")!.params.parse({ keep_last: 4 }),
    "cards",
  ]);
  assert.deepEqual(ruleParts({ strategy: "hash", length: 8, domain: "ids" }), {
    strategy: "hash",
    params: { length: 8 },
    domain: "ids",
    unique: false,
  });
});

Deno.test("checkColumn() refuses a strategy that cannot write the column's type, at the rule", () => {
  const loaded = load(["age: fake.email"], `key: ${KEY}`);
  const bound = bindPolicy(loaded, builtinStrategies());
  const rule = bound.rules.get("public.customer")!.get("age")!;
  const age = column({
    table: "customer",
    column: "age",
    type: "integer",
    baseType: "int4",
    family: "integer",
  });
  assert.deepEqual(checkColumn(rule, age), {
    severity: "error",
    code: "STRATEGY_COLUMN_TYPE",
    message: "strategy 'fake.email' cannot write integer values (it writes string)",
    location: {
      file: "privaci.yaml",
      line: 8,
      col: 7,
      path: ["tables", "public.customer", "columns", "age"],
      table: "public.customer",
      column: "age",
    },
  });
  assert.equal(checkColumn(rule, column({ table: "customer", column: "age" })), undefined);
});
