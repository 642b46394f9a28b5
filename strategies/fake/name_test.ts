import assert from "node:assert/strict";
import { StrategyParamsError } from "../errors.ts";
import { fakeFirstName, fakeFullName, fakeLastName, normalizeName } from "./name.ts";
import { LocaleData } from "./locale.ts";
import { maskValues, OTHER_MASTER, runCases, subkey, TEST_MASTER } from "../_test_utils.ts";

const LOCALES = ["en", "de", "fr", "es", "it", "nl", "pt", "pl", "ja", "zh"];
const clean = (out: string | null) =>
  out !== null && out.length > 0 && !/[{}#]/.test(out) && out === out.trim() ? undefined : "not a clean name";

Deno.test("fake names: every locale writes a clean name, the same twice", async () => {
  await runCases(
    ["fake.first_name", "fake.last_name", "fake.full_name"].flatMap((strategy) =>
      LOCALES.map((locale) => ({ strategy, params: { locale }, input: "John Smith", check: clean }))
    ),
  );
});

Deno.test("fake names: spellings that differ in case and spacing get the same name", async () => {
  const inputs = [
    "John Smith",
    "JOHN SMITH",
    "john smith",
    "John  Smith",
    "  John\tSmith ",
    "ＪＯＨＮ ＳＭＩＴＨ",
  ];
  for (const strategy of ["fake.first_name", "fake.last_name", "fake.full_name"]) {
    const out = await maskValues(strategy, {}, inputs);
    assert.equal(new Set(out).size, 1, `${strategy}: ${JSON.stringify(out)}`);
  }
  assert.equal(normalizeName("  JOHN \n Smith "), "john smith");
});

Deno.test("fakeFullName() and friends equal the registry maskers under the same subkey", async () => {
  const inputs = ["Alice Martin", "Bob", "Zoë Ångström"];
  for (
    const [strategy, fn] of [
      ["fake.full_name", fakeFullName],
      ["fake.first_name", fakeFirstName],
      ["fake.last_name", fakeLastName],
    ] as const
  ) {
    const key = await subkey(TEST_MASTER, strategy);
    for (const locale of ["en", "ja"]) {
      const viaRegistry = await maskValues(strategy, { locale }, inputs);
      assert.deepEqual(inputs.map((i) => fn(key, i, locale)), viaRegistry);
    }
  }
});

Deno.test("fake.full_name follows the locale's name order", async () => {
  await Promise.all(["en", "ja", "zh"].map((l) => LocaleData.load(l)));
  const key = await subkey(TEST_MASTER, "fake.full_name");
  assert.match(fakeFullName(key, "x", "en"), /^\S+ \S+/);
  assert.match(fakeFullName(key, "x", "ja"), /^\S+ \S+$/);
  assert.doesNotMatch(fakeFullName(key, "x", "zh"), /\s/);
});

Deno.test("fake.full_name: a different key gives unrelated names; a shared domain gives equal names", async () => {
  const inputs = Array.from({ length: 50 }, (_, i) => `Person ${i}`);
  const a = await maskValues("fake.full_name", {}, inputs);
  const b = await maskValues("fake.full_name", {}, inputs, { master: OTHER_MASTER });
  assert.ok(a.filter((x, i) => x === b[i]).length < 3);
  const d1 = await maskValues("fake.full_name", {}, inputs, {
    domain: "person",
    column: { table: "customer" },
  });
  const d2 = await maskValues("fake.full_name", {}, inputs, {
    domain: "person",
    column: { table: "employee" },
  });
  assert.deepEqual(d1, d2);
  assert.ok(new Set(a).size > 45, "50 inputs give mostly distinct names");
});

Deno.test("fake names keep NULL, fit varchar(n), and refuse other column types or a missing key", async () => {
  assert.deepEqual(await maskValues("fake.full_name", {}, [null]), [null]);
  const short = await maskValues("fake.full_name", {}, ["Alexandra Featherstonehaugh"], {
    column: { type: "character varying(6)", maxLength: 6 },
  });
  assert.ok(short[0]!.length <= 6 && short[0]!.length > 0);
  await assert.rejects(
    () =>
      maskValues("fake.full_name", {}, ["x"], {
        column: { family: "integer", type: "integer", baseType: "int4" },
      }),
    (e) =>
      e instanceof StrategyParamsError &&
      e.message ===
        'Cannot use fake.full_name on "t"."c" as it cannot write integer values: it writes string',
  );
  await assert.rejects(
    () => maskValues("fake.full_name", {}, ["x"], { master: null }),
    (e) =>
      e instanceof StrategyParamsError &&
      e.message === "Cannot use fake.full_name without a key: it is a keyed strategy" &&
      e.hint === "set 'key:' in the policy (e.g. key: ${PRIVACI_KEY}) with at least 32 bytes",
  );
});
