import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

const NUMERIC = { family: "numeric" as const, type: "numeric(10,2)", baseType: "numeric" };
const INT2 = { family: "integer" as const, type: "smallint", baseType: "int2" };
const FLOAT = { family: "float" as const, type: "double precision", baseType: "float8" };

Deno.test("number.noise stays within ratio or abs and writes the column's type", async () => {
  const within = (lo: number, hi: number, re: RegExp) => (out: string | null) =>
    out !== null && re.test(out) && Number(out) >= lo && Number(out) <= hi ? undefined : "out of bounds";
  await runCases([
    {
      strategy: "number.noise",
      params: { ratio: 0.1 },
      input: "1250.00",
      check: within(1125, 1375, /^\d+\.\d{2}$/),
      options: { column: NUMERIC },
    },
    {
      strategy: "number.noise",
      params: { abs: 5 },
      input: "42",
      check: within(37, 47, /^\d+$/),
      options: { column: INT2 },
    },
    {
      strategy: "number.noise",
      params: { ratio: 0.5 },
      input: "32767",
      check: within(16383, 32767, /^\d+$/),
      options: { column: INT2 },
    },
    {
      strategy: "number.noise",
      params: { ratio: 0.2 },
      input: "-3.5e2",
      check: within(-420, -280, /./),
      options: { column: FLOAT },
    },
    {
      strategy: "number.noise",
      params: { ratio: 0.5 },
      input: "99999999.99",
      check: within(0, 99999999.99, /^\d+\.\d{2}$/),
      options: { column: NUMERIC },
    },
    { strategy: "number.noise", params: { abs: 1 }, input: "NaN", output: "NaN", options: { column: FLOAT } },
  ]);
});

Deno.test("number.noise needs exactly one of ratio and abs, and a numeric column", async () => {
  await assert.rejects(() => maskValues("number.noise", {}, ["1"], { column: INT2 }), { name: "ZodError" });
  await assert.rejects(() => maskValues("number.noise", { ratio: 0.1, abs: 1 }, ["1"], { column: INT2 }), {
    name: "ZodError",
  });
  await assert.rejects(
    () =>
      maskValues("number.noise", { ratio: 0.1 }, ["$1.00"], {
        column: { family: "numeric", type: "money", baseType: "money" },
      }),
    {
      name: "StrategyParamsError",
    },
  );
});
