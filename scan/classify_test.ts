import assert from "node:assert/strict";
import type { ColumnInfo } from "../strategies/types.ts";
import { classifyColumn } from "./classify.ts";
import { samplingClause } from "./sample.ts";

function column(name: string, type = "text", more: Partial<ColumnInfo> = {}): ColumnInfo {
  const family = type === "text"
    ? "string"
    : type === "jsonb"
    ? "json"
    : type === "text[]"
    ? "array"
    : type === "bytea"
    ? "bytea"
    : type === "integer"
    ? "integer"
    : "other";
  return {
    schema: "public",
    table: "things",
    column: name,
    ordinal: 1,
    type,
    baseType: type,
    family,
    elementFamily: family === "array" ? "string" : family,
    maxLength: null,
    notNull: false,
    unique: false,
    generated: false,
    identity: "",
    ...more,
  } as ColumnInfo;
}

const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const FIRST = ["James", "Mary", "Robert", "Linda", "David", "Sarah"];
const LAST = ["Smith", "Jones", "Brown", "Miller", "Davis", "Wilson"];
const person = (i: number) => `${FIRST[i % 6]} ${LAST[(i * 5) % 6]}`;

const CASES: {
  name: string;
  column: ColumnInfo;
  values: string[] | null;
  kind: string | null;
  strategy: string;
}[] = [
  {
    name: "e-mail content under a neutral name",
    column: column("contact"),
    values: times(60, (i) => `user${i}@example.com`),
    kind: "email",
    strategy: "fake.email",
  },
  {
    name: "a code shaped like a phone number",
    column: column("code"),
    values: times(60, (i) => `${200 + i}-555-${String(1000 + i).padStart(4, "0")}`),
    kind: null,
    strategy: "keep",
  },
  {
    name: "the same numbers under a phone name",
    column: column("mobile"),
    values: times(60, (i) => `${200 + i}-555-${String(1000 + i).padStart(4, "0")}`),
    kind: "phone",
    strategy: "fake.phone",
  },
  {
    name: "names after a ship_ prefix",
    column: column("ship_name"),
    values: times(60, person),
    kind: "person",
    strategy: "fake.full_name",
  },
  {
    name: "notes that hold names",
    column: column("remarks_text"),
    values: times(60, (i) => `Called ${person(i)} about the late delivery of order ${i}`),
    kind: "free_text",
    strategy: "text.scrub",
  },
  {
    name: "a bare name outside a table of people",
    column: column("name"),
    values: times(60, (i) => `Widget ${i}`),
    kind: null,
    strategy: "keep",
  },
  {
    name: "JSON documents holding e-mail addresses",
    column: column("settings", "jsonb"),
    values: times(30, (i) => JSON.stringify({ owner: { mail: `p${i}@example.org` }, theme: "dark" })),
    kind: "email",
    strategy: "json",
  },
  {
    name: "an array of phone numbers",
    column: column("numbers", "text[]"),
    values: times(30, (i) => `{"+49 30 ${1000000 + i}","+33 1 ${10000000 + i}"}`),
    kind: "phone",
    strategy: "array",
  },
  {
    name: "bytea starting with a JPEG signature",
    column: column("blob", "bytea"),
    values: times(10, (i) => `ffd8ffe0${i.toString(16).padStart(24, "0")}`),
    kind: "document",
    strategy: "redact",
  },
  {
    name: "an integer key",
    column: column("id", "integer", { unique: true }),
    values: null,
    kind: null,
    strategy: "keep",
  },
];

for (const c of CASES) {
  Deno.test(`classifyColumn() reads ${c.name} as ${c.kind ?? "not personal"}`, () => {
    const f = classifyColumn(c.column, c.values);
    assert.deepEqual({ kind: f.kind, strategy: f.rule.strategy }, { kind: c.kind, strategy: c.strategy });
    for (const v of c.values ?? []) {
      assert.ok(!f.evidence.some((e) => e.includes(v)), "evidence quotes a sampled value");
    }
  });
}

Deno.test("samplingClause() never reads a big table whole and samples small ones completely", () => {
  assert.deepEqual(samplingClause(-1, 1000), { clause: "", method: "limit" });
  assert.deepEqual(samplingClause(3000, 1000), { clause: "", method: "whole" });
  assert.equal(samplingClause(50_000, 1000).method, "bernoulli");
  assert.deepEqual(samplingClause(1_000_000, 1000), {
    clause: " tablesample system (0.300000)",
    method: "system",
  });
});
