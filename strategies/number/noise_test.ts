import assert from "node:assert/strict";
import { maskValues, OTHER_MASTER, runCases } from "../_test_utils.ts";

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

Deno.test("number.noise keeps bigints past 2^53 and long numerics exact, with their noise, under each key", async () => {
  const INT8 = { family: "integer" as const, type: "bigint", baseType: "int8" };
  const BIG = { family: "numeric" as const, type: "numeric", baseType: "numeric" };
  const ints = ["9223372036854775000", "-9223372036854775000", "123456789012345678", "9007199254740993"];
  for (const master of [undefined, OTHER_MASTER]) {
    const out = await maskValues("number.noise", { abs: 5 }, ints, { column: INT8, master });
    out.forEach((o, i) => {
      const d = BigInt(o!) - BigInt(ints[i]);
      assert.ok(d >= -5n && d <= 5n, `${o} is within 5 of ${ints[i]}`);
      assert.ok(BigInt(o!) <= 2n ** 63n - 1n && BigInt(o!) >= -(2n ** 63n), "in int8's range");
    });
    const ratio = await maskValues("number.noise", { ratio: 0.1 }, ints.slice(2), { column: INT8, master });
    ratio.forEach((o, i) => {
      const x = BigInt(ints[i + 2]), d = BigInt(o!) - x;
      assert.ok(d * 10n <= x && d * 10n >= -x, `${o} is within 10 % of ${x}`);
    });
  }
  // Many values: the noise is spread over [-5, 5] and depends on the key.
  const many = Array.from({ length: 200 }, (_, i) => String(34713642789674084n + BigInt(i) * 1000n));
  const a = await maskValues("number.noise", { abs: 5 }, many, { column: BIG });
  const b = await maskValues("number.noise", { abs: 5 }, many, { column: BIG, master: OTHER_MASTER });
  const offsets = new Set(a.map((o, i) => String(BigInt(o!) - BigInt(many[i]))));
  assert.ok(offsets.size >= 8, `offsets spread over [-5, 5]: ${[...offsets]}`);
  assert.ok(a.filter((o, i) => o !== b[i]).length > 100, "another key gives other noise");
  const decimals = await maskValues("number.noise", { abs: 0.5 }, ["12345678901234567.891"], { column: BIG });
  assert.match(decimals[0]!, /^1234567890123456[78]\.\d{3}$/);
  assert.ok(Math.abs(Number(decimals[0]) - 12345678901234567.891) <= 0.5 + 2);
});

Deno.test("number.round rounds bigints past 2^53 and long numerics exactly", async () => {
  const INT8 = { family: "integer" as const, type: "bigint", baseType: "int8" };
  assert.deepEqual(
    await maskValues("number.round", { to: 1000 }, [
      "9223372036854774499",
      "-9007199254740993",
      "123456789012345678",
    ], {
      column: INT8,
    }),
    ["9223372036854774000", "-9007199254741000", "123456789012346000"],
  );
  const BIG = { family: "numeric" as const, type: "numeric", baseType: "numeric" };
  assert.deepEqual(
    await maskValues("number.round", { to: 0.5 }, ["12345678901234567.74", "-12345678901234567.25"], {
      column: BIG,
    }),
    ["12345678901234567.50", "-12345678901234567.00"],
  );
});
