import assert from "node:assert/strict";
import type { Condition } from "../config/schema.ts";
import type { BatchContext, Cell, ColumnMasker } from "../strategies/types.ts";
import { compileCondition, switchMasker } from "./when.ts";

const ROWS: Record<string, Cell[]> = {
  staff: ["t", "f", null, "true", "0"],
  country: ["DE", "FR", "de", null, "AT"],
  age: ["41", "17", "abc", null, "18.0"],
  day: ["2024-01-02", "2023-12-31", null, "2024-06-01", "2025-01-01"],
};
const column = (name: string) => ROWS[name];

function holds(c: Condition): number[] {
  return [...compileCondition(c).test(column, 5)];
}

Deno.test("compileCondition() compares text, numbers and booleans; NULL satisfies only is_null", () => {
  assert.deepEqual(holds({ column: "staff", eq: true }), [1, 0, 0, 1, 0]);
  assert.deepEqual(holds({ column: "staff", eq: false }), [0, 1, 0, 0, 1]);
  assert.deepEqual(holds({ column: "country", eq: "DE" }), [1, 0, 0, 0, 0]);
  assert.deepEqual(holds({ column: "country", ne: "DE" }), [0, 1, 1, 0, 1]);
  assert.deepEqual(holds({ column: "country", in: ["DE", "AT"] }), [1, 0, 0, 0, 1]);
  assert.deepEqual(holds({ column: "country", not_in: ["DE", "AT"] }), [0, 1, 1, 0, 0]);
  assert.deepEqual(holds({ column: "country", matches: "^(?:de|DE)$" }), [1, 0, 1, 0, 0]);
  assert.deepEqual(holds({ column: "country", is_null: true }), [0, 0, 0, 1, 0]);
  assert.deepEqual(holds({ column: "country", is_null: false }), [1, 1, 1, 0, 1]);
  assert.deepEqual(holds({ column: "age", gte: 18 }), [1, 0, 0, 0, 1]);
  assert.deepEqual(holds({ column: "age", lt: 18 }), [0, 1, 0, 0, 0]);
  assert.deepEqual(holds({ column: "age", eq: 18 }), [0, 0, 0, 0, 1]);
  assert.deepEqual(holds({ column: "day", gt: "2024-01-01" }), [1, 0, 0, 1, 1]);
  assert.deepEqual(holds({ column: "day", lte: "2024-01-02" }), [1, 1, 0, 0, 0]);
});

Deno.test("compileCondition() combines with all, any and not, and lists the columns it reads", () => {
  const both: Condition = { all: [{ column: "staff", eq: true }, { column: "country", eq: "DE" }] };
  assert.deepEqual(holds(both), [1, 0, 0, 0, 0]);
  const either: Condition = { any: [{ column: "staff", eq: true }, { column: "country", eq: "AT" }] };
  assert.deepEqual(holds(either), [1, 0, 0, 1, 1]);
  assert.deepEqual(holds({ not: either }), [0, 1, 1, 0, 0]);
  assert.deepEqual(compileCondition({ not: both }).columns, ["staff", "country"]);
});

/** A masker that tags each value with its name and the row's country as its batch gives it. */
function tagger(tag: string, calls: number[]): ColumnMasker {
  return {
    reads: ["country"],
    mask(values, batch) {
      calls.push(values.length);
      const countries = batch.column("country");
      return values.map((v, i) => `${tag}:${v}:${countries[i]}`);
    },
  };
}

Deno.test("switchMasker() sends each row to the first case that holds, with the rows' own batch", async () => {
  const calls = { keep: [] as number[], de: [] as number[], other: [] as number[] };
  const m = switchMasker([
    { when: compileCondition({ column: "staff", eq: true }), masker: tagger("keep", calls.keep) },
    { when: compileCondition({ column: "country", in: ["DE", "de"] }), masker: tagger("de", calls.de) },
  ], tagger("other", calls.other));
  assert.deepEqual(m.reads, ["staff", "country"]);
  const batch: BatchContext = { table: { schema: "public", table: "t" }, firstRow: 1, column };
  assert.deepEqual(await m.mask(["a", "b", "c", "d", "e"], batch), [
    "keep:a:DE",
    "other:b:FR",
    "de:c:de",
    "keep:d:null",
    "other:e:AT",
  ]);
  assert.deepEqual(calls, { keep: [2], de: [1], other: [2] });
  // A batch whose rows all take one way is passed as it is.
  const one: BatchContext = { ...batch, column: (n) => ROWS[n].slice(1, 2) };
  assert.deepEqual(await m.mask(["b"], one), ["other:b:FR"]);
  assert.deepEqual(calls.other, [2, 1]);
});
