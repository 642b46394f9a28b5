import assert from "node:assert/strict";
import { maskValues, OTHER_MASTER, runCases } from "./_test_utils.ts";

const INT4 = { family: "integer" as const, type: "integer", baseType: "int4" };
const INT2 = { family: "integer" as const, type: "smallint", baseType: "int2" };
const INT8 = { family: "integer" as const, type: "bigint", baseType: "int8" };
const UUID = { family: "uuid" as const, type: "uuid", baseType: "uuid" };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

Deno.test("hash writes the format the column needs", async () => {
  const inRange = (lo: number, hi: number) => (out: string | null) =>
    out !== null && /^-?\d+$/.test(out) && Number(out) >= lo && Number(out) <= hi
      ? undefined
      : "out of range";
  await runCases([
    {
      strategy: "hash",
      input: "alice",
      check: (o) => (/^[0-9a-f]{16}$/.test(o!) ? undefined : "not 16 hex"),
    },
    {
      strategy: "hash",
      params: { length: 40 },
      input: "alice",
      check: (o) => (/^[0-9a-f]{40}$/.test(o!) ? undefined : "not 40 hex"),
    },
    {
      strategy: "hash",
      params: { format: "base32", length: 10 },
      input: "alice",
      check: (o) => (/^[a-z2-7]{10}$/.test(o!) ? undefined : "not base32"),
    },
    { strategy: "hash", params: { format: "int", length: 6 }, input: "alice", check: inRange(0, 999_999) },
    {
      strategy: "hash",
      params: { format: "int" },
      input: "12.50",
      options: { column: { family: "numeric", type: "numeric(6,2)", baseType: "numeric" } },
      check: inRange(0, 9_999),
    },
    {
      strategy: "hash",
      params: { format: "uuid" },
      input: "alice",
      check: (o) => (UUID_RE.test(o!) ? undefined : "not a uuid"),
    },
    { strategy: "hash", input: "42", options: { column: INT4 }, check: inRange(1, 2147483647) },
    { strategy: "hash", input: "42", options: { column: INT2 }, check: inRange(1, 32767) },
    {
      strategy: "hash",
      input: "42",
      options: { column: INT8 },
      check: (
        o,
      ) => (/^\d+$/.test(o!) && BigInt(o!) >= 1n && BigInt(o!) < 2n ** 63n ? undefined : "out of range"),
    },
    {
      strategy: "hash",
      input: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      options: { column: UUID },
      check: (o) => (UUID_RE.test(o!) ? undefined : "not a uuid"),
    },
    {
      strategy: "hash",
      input: "alice",
      options: { column: { maxLength: 8, type: "character varying(8)" } },
      check: (o) => (o!.length === 8 ? undefined : "not cut to 8"),
    },
  ]);
});

Deno.test("hash with unique: true keeps integer sign classes, 0, and the type's range", async () => {
  const ints = ["1", "2", "-1", "0", "2147483647", "-2147483648"];
  const out = await maskValues("hash", {}, ints, { unique: true, column: INT4 });
  assert.equal(out[3], "0");
  assert.ok(Number(out[0]) > 0 && Number(out[1]) > 0 && Number(out[4]) > 0);
  assert.ok(Number(out[2]) < 0 && Number(out[5]) < 0 && Number(out[5]) >= -2147483648);
  const big = await maskValues("hash", {}, ["9223372036854775807", "-9223372036854775808", "5"], {
    unique: true,
    column: INT8,
  });
  assert.ok(BigInt(big[0]!) > 0n && BigInt(big[0]!) <= 2n ** 63n - 1n);
  assert.ok(BigInt(big[1]!) < 0n && BigInt(big[1]!) >= -(2n ** 63n));
  const small = await maskValues("hash", {}, Array.from({ length: 32767 }, (_, i) => String(i + 1)), {
    unique: true,
    column: INT2,
  });
  assert.equal(new Set(small).size, 32767);
  assert.ok(small.every((s) => Number(s) >= 1 && Number(s) <= 32767));
});

Deno.test("hash with unique: true on text is injective and refuses a length", async () => {
  const out = await maskValues("hash", {}, ["a", "A", "", "alice", "alice "], { unique: true });
  assert.equal(new Set(out).size, 5);
  await assert.rejects(() => maskValues("hash", { length: 8 }, ["a"], { unique: true }), {
    name: "StrategyParamsError",
    message: 'Cannot cut unique hashes of "t"."c" to a length',
  });
  await assert.rejects(() => maskValues("hash", {}, ["x"], { unique: true, column: INT4 }), {
    name: "PrivaciError",
    message: 'Cannot hash a value of "t"."c" uniquely: it is not an integer',
  });
});

Deno.test("hash refuses formats the column cannot hold and depends on the key and domain", async () => {
  await assert.rejects(() => maskValues("hash", { format: "hex" }, ["1"], { column: INT4 }), {
    name: "StrategyParamsError",
    message: 'Cannot write hash format hex into "t"."c": it is an integer column',
  });
  await assert.rejects(
    () => maskValues("hash", {}, ["t"], { column: { family: "boolean", type: "boolean", baseType: "bool" } }),
    {
      name: "StrategyParamsError",
    },
  );
  const inputs = ["a", "b", "c", "d"];
  const a = await maskValues("hash", {}, inputs);
  const b = await maskValues("hash", {}, inputs, { master: OTHER_MASTER });
  const c = await maskValues("hash", {}, inputs, { domain: "customer_id" });
  assert.ok(a.every((x, i) => x !== b[i] && x !== c[i]));
});

Deno.test("hash maps integer and uuid keys alike with and without unique: true, so foreign keys agree", async () => {
  for (const column of [INT2, INT4, INT8, UUID]) {
    const values = column === UUID
      ? ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000001"]
      : ["1", "17", "-3", "0"];
    const plain = await maskValues("hash", {}, values, { column });
    const unique = await maskValues("hash", {}, values, { column, unique: true });
    assert.deepEqual(plain, unique, column.type);
  }
});

Deno.test("hash format shape keeps each value's length and character classes, unique or not", async () => {
  const inputs = ["ALFKI", "AB-1234-x", "BONAP", "ab12", "--", "Ünï-7"];
  const out = await maskValues("hash", { format: "shape" }, inputs, {
    column: { type: "character varying(9)", baseType: "varchar", maxLength: 9 },
  });
  assert.match(out[0]!, /^[A-Z]{5}$/);
  assert.match(out[1]!, /^[A-Z]{2}-\d{4}-[a-z]$/);
  assert.match(out[2]!, /^[A-Z]{5}$/);
  assert.match(out[3]!, /^[a-z]{2}\d{2}$/);
  assert.equal(out[4], "--", "a value without letters or digits has nothing to replace");
  assert.match(out[5]!, /^Ü[a-z]ï-\d$/, "characters outside A–Z, a–z, 0–9 are kept");
  assert.ok(out[0] !== "ALFKI" && out[1] !== "AB-1234-x");
  assert.deepEqual(await maskValues("hash", { format: "shape" }, inputs, { unique: true }), out);
  const other = await maskValues("hash", { format: "shape" }, inputs, { master: OTHER_MASTER });
  assert.notEqual(other[0], out[0]);
});

Deno.test("hash refuses a length with format shape, and points unique codes of a fixed length to it", async () => {
  await assert.rejects(() => maskValues("hash", { format: "shape", length: 5 }, ["ALFKI"]), {
    name: "StrategyParamsError",
    message: 'Cannot give hash format shape of "t"."c" a length',
  });
  await assert.rejects(() => maskValues("hash", { length: 5 }, ["ALFKI"], { unique: true }), (e: Error) => {
    assert.equal(e.message, 'Cannot cut unique hashes of "t"."c" to a length');
    assert.match((e as Error & { hint: string }).hint, /format: shape/);
    return true;
  });
  await assert.rejects(() => maskValues("hash", { format: "shape" }, ["1"], { column: INT4 }), {
    name: "StrategyParamsError",
    message: 'Cannot write hash format shape into "t"."c": it is an integer column',
  });
});
