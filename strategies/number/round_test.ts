import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

const NUMERIC = { family: "numeric" as const, type: "numeric(10,2)", baseType: "numeric" };
const INT2 = { family: "integer" as const, type: "smallint", baseType: "int2" };
const FLOAT = { family: "float" as const, type: "double precision", baseType: "float8" };

Deno.test("number.round rounds to the nearest multiple", async () => {
  await runCases([
    {
      strategy: "number.round",
      params: { to: 1000 },
      input: "52340",
      output: "52000",
      options: { column: { family: "integer", type: "integer", baseType: "int4" } },
    },
    {
      strategy: "number.round",
      params: { to: 0.5 },
      input: "3.74",
      output: "3.50",
      options: { column: { family: "numeric", type: "numeric", baseType: "numeric" } },
    },
    {
      strategy: "number.round",
      params: { to: 10 },
      input: "-15",
      output: "-10",
      options: { column: { family: "integer", type: "integer", baseType: "int4" } },
    },
    {
      strategy: "number.round",
      params: { to: 0.01 },
      input: "2.345",
      output: "2.35",
      options: { column: NUMERIC },
    },
    { strategy: "number.round", input: "2.5", output: "3", options: { column: FLOAT } },
  ]);
  await assert.rejects(() => maskValues("number.round", { to: 0.5 }, ["1"], { column: INT2 }), {
    name: "StrategyParamsError",
    message: 'Cannot round "t"."c" to 0.5: it is an integer column',
  });
});
