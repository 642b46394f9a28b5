/**
 * `unique: true` is a guarantee, not a likelihood: every strategy whose meta says it can keep distinct
 * inputs distinct is run over 1,000,000 distinct inputs, and every output must be distinct.
 */
import assert from "node:assert/strict";
import { builtinStrategies } from "./builtins.ts";
import { ibanCheck, luhnCheckDigit } from "./keyed/_digits.ts";
import { shapeOf } from "./keyed/_shape.ts";
import { batchOf, makeMasker, type MakeOptions } from "./_test_utils.ts";

const N = 1_000_000;
const BATCH = 10_000;
const pad = (i: number, n: number) => String(i).padStart(n, "0");

interface UniqueCase {
  strategy: string;
  label: string;
  input: (i: number) => string;
  params?: Record<string, unknown>;
  options?: MakeOptions;
}

/** `i` as `n` upper-case letters (base 26). */
const letters = (i: number, n: number) => {
  let s = "";
  for (let k = 0; k < n; k++, i = Math.floor(i / 26)) s = String.fromCharCode(65 + (i % 26)) + s;
  return s;
};

const CASES: UniqueCase[] = [
  { strategy: "hash", label: "text", input: (i) => `user${i}@corp.example` },
  {
    strategy: "hash",
    label: "shape, varchar(5) codes",
    input: (i) => letters(i * 7, 5),
    params: { format: "shape" },
    options: { column: { type: "character varying(5)", baseType: "varchar", maxLength: 5 } },
  },
  {
    strategy: "hash",
    label: "shape, mixed classes",
    input: (i) => `${letters(i, 2)}-${pad(i % 9973, 4)}-${String.fromCharCode(97 + (i % 26))}`,
    params: { format: "shape" },
  },
  {
    strategy: "hash",
    label: "int4",
    input: (i) => String(i - N / 2),
    options: { column: { family: "integer", type: "integer", baseType: "int4" } },
  },
  {
    strategy: "hash",
    label: "int8",
    input: (i) => (i % 2 ? "-" : "") + `${i}000000000000`,
    options: { column: { family: "integer", type: "bigint", baseType: "int8" } },
  },
  {
    strategy: "hash",
    label: "uuid",
    input: (i) => `00000000-0000-4000-8000-${pad(i, 12)}`,
    options: { column: { family: "uuid", type: "uuid", baseType: "uuid" } },
  },
  { strategy: "fake.email", label: "text", input: (i) => `person${i}@corp.example` },
  { strategy: "email.domain_keep", label: "text", input: (i) => `u${i}@corp${i % 7}.example` },
  { strategy: "fake.username", label: "text", input: (i) => `user${i}` },
  {
    strategy: "fake.email",
    label: "token",
    input: (i) => `person${i}@corp.example`,
    params: { unique_suffix: "token" },
  },
  { strategy: "fake.username", label: "token", input: (i) => `user${i}`, params: { unique_suffix: "token" } },
  { strategy: "fake.phone", label: "text", input: (i) => `+1 415 ${pad(i, 7)}` },
  {
    strategy: "fake.card",
    label: "visa",
    input: (i) => {
      const payload = "4" + pad(i * 37, 14);
      return payload + luhnCheckDigit(payload);
    },
  },
  {
    strategy: "fake.iban",
    label: "DE",
    input: (i) => {
      const bban = "37040044" + pad(i * 13, 10);
      return "DE" + pad(ibanCheck("DE", bban), 2) + bban;
    },
  },
  { strategy: "fake.ssn", label: "text", input: (i) => pad(i * 997, 9).replace(/^(\d{3})(\d{2})/, "$1-$2-") },
  {
    strategy: "fake.ip",
    label: "inet",
    input: (i) => {
      const x = i * 4093;
      return `${Math.floor(x / 16777216)}.${Math.floor(x / 65536) % 256}.${Math.floor(x / 256) % 256}.${
        x % 256
      }`;
    },
    options: { column: { family: "network", type: "inet", baseType: "inet" } },
  },
  { strategy: "fake.url", label: "text", input: (i) => `https://site${i}.example/` },
  { strategy: "keep", label: "text", input: (i) => `v${i}` },
];

Deno.test("every unique-capable strategy has a 1,000,000-input uniqueness case with distinct inputs", () => {
  for (const c of CASES) {
    const sample = new Set<string>();
    for (let i = 0; i < N; i += 97) sample.add(c.input(i));
    assert.equal(sample.size, Math.ceil(N / 97), `${c.strategy} (${c.label}) inputs are distinct`);
  }
  const capable = builtinStrategies().list().filter((d) => d.meta.unique).map((d) => d.meta.name);
  assert.deepEqual([...new Set(CASES.map((c) => c.strategy))].sort(), capable);
});

for (const c of CASES) {
  Deno.test(`${c.strategy} (${c.label}) with unique: true maps 1,000,000 distinct inputs to distinct outputs`, async () => {
    const m = await makeMasker(c.strategy, c.params, { ...c.options, unique: true });
    const seen = new Set<string>();
    const batch = batchOf();
    for (let start = 0; start < N; start += BATCH) {
      const values: string[] = [];
      for (let i = start; i < start + BATCH; i++) values.push(c.input(i));
      const out = await m.mask(values, batch);
      for (const o of out) seen.add(o!);
      if (c.params?.format === "shape") {
        out.forEach((o, i) => assert.equal(shapeOf(o!), shapeOf(values[i]), "the shape is kept"));
      }
    }
    await m.close?.();
    assert.equal(seen.size, N);
  });
}
