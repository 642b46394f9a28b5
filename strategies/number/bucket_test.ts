import assert from "node:assert/strict";
import { maskValues } from "../_test_utils.ts";

const INT4 = { family: "integer" as const, type: "integer", baseType: "int4" };
const INT8 = { family: "integer" as const, type: "bigint", baseType: "int8" };
const NUMERIC = { family: "numeric" as const, type: "numeric", baseType: "numeric" };
const NUMERIC2 = { family: "numeric" as const, type: "numeric(8,2)", baseType: "numeric" };
const FLOAT = { family: "float" as const, type: "double precision", baseType: "float8" };

Deno.test("number.bucket writes the lower edge of buckets of a width, from an origin", async () => {
  assert.deepEqual(
    await maskValues("number.bucket", {}, ["0", "9", "10", "37", "-1", "-10", "-11"], { column: INT4 }),
    ["0", "0", "10", "30", "-10", "-10", "-20"],
  );
  assert.deepEqual(
    await maskValues("number.bucket", { width: 5, origin: 2 }, ["2", "6", "7", "1"], { column: INT4 }),
    ["2", "2", "7", "-3"],
  );
  assert.deepEqual(
    await maskValues("number.bucket", { width: 0.1 }, ["0.35", "1.29", "-0.05"], { column: NUMERIC2 }),
    ["0.30", "1.20", "-0.10"],
    "decimal widths bucket exactly",
  );
  assert.deepEqual(
    await maskValues("number.bucket", { width: 1000 }, ["9223372036854775807", "-9223372036854775808"], {
      column: INT8,
    }),
    ["9223372036854775000", "-9223372036854775808"],
    "bigints exactly, clamped to the type",
  );
  assert.deepEqual(await maskValues("number.bucket", { width: 0.5 }, ["2.7", "NaN"], { column: FLOAT }), [
    "2.5",
    "NaN",
  ]);
});

Deno.test("number.bucket writes middles and labels, and buckets by edges with open ends", async () => {
  const edges = { edges: [18, 30, 65] };
  assert.deepEqual(
    await maskValues("number.bucket", edges, ["3", "18", "29", "30", "64", "65", "101"], { column: INT4 }),
    ["18", "18", "18", "30", "30", "65", "65"],
  );
  assert.deepEqual(
    await maskValues("number.bucket", { ...edges, write: "middle" }, ["3", "20", "40", "90"], {
      column: NUMERIC,
    }),
    ["18", "24", "47.5", "65"],
  );
  assert.deepEqual(
    await maskValues("number.bucket", { ...edges, write: "label" }, ["3", "20", "90"]),
    ["< 18", "[18, 30)", ">= 65"],
  );
  assert.deepEqual(
    await maskValues("number.bucket", { width: 2.5, write: "label" }, ["3.75", "-1"]),
    ["[2.5, 5)", "[-2.5, 0)"],
  );
  assert.deepEqual(
    await maskValues("number.bucket", { width: 5, write: "middle" }, ["37"], { column: INT4 }),
    [
      "38",
    ],
  );
});

Deno.test("number.bucket refuses labels in numeric columns, fractions in integer ones, text that is no number", async () => {
  await assert.rejects(() => maskValues("number.bucket", { write: "label" }, ["1"], { column: INT4 }), {
    name: "StrategyParamsError",
    message: 'Cannot write bucket labels into "t"."c": integer is not a text column',
  });
  await assert.rejects(() => maskValues("number.bucket", { width: 0.5 }, ["1"], { column: INT4 }), {
    name: "StrategyParamsError",
    message: 'Cannot bucket "t"."c" by fractions: it is an integer column',
  });
  await assert.rejects(() => maskValues("number.bucket", {}, ["forty-two"]), {
    name: "PrivaciError",
    code: "STRATEGY_FAILED",
    message: 'Cannot bucket a value of "t"."c": it is not a number',
  });
  await assert.rejects(() => maskValues("number.bucket", { width: 10, edges: [1] }, ["1"]));
  await assert.rejects(() => maskValues("number.bucket", { edges: [5, 1] }, ["1"]));
});
