import assert from "node:assert/strict";
import { interpolate } from "./interpolate.ts";

const env = (name: string) => ({ HOST: "db1", EMPTY: "", DOLLAR: "a$b${c}" } as Record<string, string>)[name];

const CASES: { name: string; input: string; value: string; problems?: unknown[]; changed?: boolean }[] = [
  {
    name: "leaves text without references alone",
    input: "postgres://h/db",
    value: "postgres://h/db",
    changed: false,
  },
  { name: "keeps a lone dollar", input: "costs $5 and $", value: "costs $5 and $", changed: false },
  { name: "replaces a set variable", input: "postgres://${HOST}/db", value: "postgres://db1/db" },
  { name: "replaces several references", input: "${HOST}-${HOST}", value: "db1-db1" },
  { name: "keeps an empty variable as empty", input: "[${EMPTY}]", value: "[]" },
  { name: "uses the default when unset", input: "${PORT:-5432}", value: "5432" },
  { name: "uses the default when empty", input: "${EMPTY:-x}", value: "x" },
  { name: "ignores the default when set", input: "${HOST:-other}", value: "db1" },
  { name: "allows an empty default", input: "a${PORT:-}b", value: "ab" },
  { name: "does not expand a value's own dollars", input: "${DOLLAR}", value: "a$b${c}" },
  { name: "writes $${ as a literal ${", input: "$${HOST}", value: "${HOST}" },
  {
    name: "reports a missing variable with its offset",
    input: "x${NOPE}y",
    value: "xy",
    problems: [{ kind: "missing", detail: "NOPE", index: 1 }],
  },
  {
    name: "reports every missing variable",
    input: "${A}/${B}",
    value: "/",
    problems: [{ kind: "missing", detail: "A", index: 0 }, { kind: "missing", detail: "B", index: 5 }],
  },
  {
    name: "reports an unclosed reference",
    input: "ab${HOST",
    value: "ab",
    problems: [{ kind: "malformed", detail: "'${' has no closing '}'", index: 2 }],
  },
  {
    name: "reports an empty reference",
    input: "${}",
    value: "",
    problems: [{ kind: "malformed", detail: "'${}' names no variable", index: 0 }],
  },
  {
    name: "reports a name with a dash",
    input: "${MY-VAR}",
    value: "",
    problems: [{ kind: "malformed", detail: "a variable name is letters, digits and '_'", index: 0 }],
  },
  {
    name: "reports a name starting with a digit",
    input: "${1X}",
    value: "",
    problems: [{ kind: "malformed", detail: "a variable name is letters, digits and '_'", index: 0 }],
  },
];

for (const c of CASES) {
  Deno.test(`interpolate() ${c.name}`, () => {
    const result = interpolate(c.input, env);
    assert.deepEqual(result, { value: c.value, changed: c.changed ?? true, problems: c.problems ?? [] });
  });
}

Deno.test("interpolate() asks the reader only for referenced names", () => {
  const asked: string[] = [];
  interpolate("${A} $B ${C:-d} $${E}", (name) => {
    asked.push(name);
    return "v";
  });
  assert.deepEqual(asked, ["A", "C"]);
});
