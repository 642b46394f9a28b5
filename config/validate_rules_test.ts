import assert from "node:assert/strict";
import { ConfigError } from "../errors.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import { formatDiagnostics } from "../core/diagnostic.ts";
import { parsePolicy } from "./load.ts";
import { assertRules, checkRules } from "./validate_rules.ts";
import { testRegistry } from "./testdata/test_registry.ts";

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

Deno.test("checkRules() finds nothing wrong with rules the registry can honour", () => {
  const loaded = load([
    "id: keep",
    "note: 'null'",
    "phone: { strategy: test.partial, keep_last: 2 }",
    "card: { strategy: test.partial, keep_last: 4, mask: '#', domain: card }",
    "email: { strategy: test.hash, unique: true, length: 16 }",
  ], `key: ${KEY}`);
  assert.deepEqual(checkRules(loaded, testRegistry()), []);
});

Deno.test("checkRules() reports every problem in policy order with its code and position", () => {
  const loaded = load([
    "id: kep", // line 7
    "email: { strategy: test.hash }", // line 8: no key
    "phone: { strategy: test.partial, keep_last: -1, colour: red }", // line 9
    "note: { strategy: 'null', unique: true }", // line 10
  ]);
  const issues = checkRules(loaded, testRegistry());
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

Deno.test("checkRules() suggests built-in names with only the built-in registry", () => {
  const loaded = load(["a: nul", "b: Keep", "c: { strategy: kepe }"]);
  assert.deepEqual(checkRules(loaded, builtinStrategies()).map((i) => i.message), [
    "unknown strategy 'nul' — did you mean 'null'?",
    "unknown strategy 'Keep' — did you mean 'keep'?",
    "unknown strategy 'kepe' — did you mean 'keep'?",
  ]);
});

Deno.test("checkRules() checks params of skipped tables too", () => {
  const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\ntables:\n" +
    "  public.log: { rows: skip, columns: { body: { strategy: keep, mode: x } } }\n";
  const loaded = parsePolicy(text, { file: "p.yaml", env: () => undefined });
  assert.deepEqual(checkRules(loaded, testRegistry()), [{
    severity: "error",
    code: "STRATEGY_PARAMS",
    message: "unknown param 'mode' for strategy 'keep' (it takes no params)",
    location: { path: ["tables", "public.log", "columns", "body", "mode"], file: "p.yaml", line: 5, col: 64 },
  }]);
});

Deno.test("assertRules() throws a ConfigError with the first issue's code and every issue", () => {
  const loaded = load(["phone: test.partial", "id: kep"]);
  assert.throws(() => assertRules(loaded, testRegistry()), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.code, "STRATEGY_PARAMS");
    assert.equal(e.exitCode, 2);
    assert.equal(e.diagnostics.length, 2);
    assert.equal(
      e.message,
      "Cannot use the policy's column rules: privaci.yaml:7:14: tables.public.customer.columns.phone: " +
        "missing required param 'keep_last' for strategy 'test.partial' (and 1 more)",
    );
    return true;
  });
  assert.doesNotThrow(() => assertRules(load(["id: keep"]), testRegistry()));
});
