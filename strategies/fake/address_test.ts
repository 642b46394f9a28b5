import assert from "node:assert/strict";
import { maskValues, OTHER_MASTER, runCases } from "../_test_utils.ts";

const STRATEGIES = [
  "fake.street",
  "fake.city",
  "fake.postcode",
  "fake.state",
  "fake.country",
  "fake.company",
  "fake.job_title",
];
const LOCALES = ["en", "de", "fr", "es", "it", "nl", "pt", "pl", "ja", "zh", "pt_BR", "en_GB"];

Deno.test("address and company fakes write clean values in every locale", async () => {
  await runCases(STRATEGIES.flatMap((strategy) =>
    LOCALES.map((locale) => ({
      strategy,
      params: { locale },
      input: "221B Baker Street",
      check: (out: string | null) =>
        out !== null && out.length > 0 && !/[{}#!]/.test(out) && out === out.trim() ? undefined : "not clean",
    }))
  ));
});

Deno.test("fake.postcode follows the locale's pattern", async () => {
  const [de] = await maskValues("fake.postcode", { locale: "de" }, ["10115"]);
  const [pl] = await maskValues("fake.postcode", { locale: "pl" }, ["00-001"]);
  const [nl] = await maskValues("fake.postcode", { locale: "nl" }, ["1011 AB"]);
  assert.match(de!, /^\d{5}$/);
  assert.match(pl!, /^\d{2}-\d{3}$/);
  assert.match(nl!, /^\d{4} [A-Z]{2}$/);
});

Deno.test("address fakes depend on the key and agree for equal inputs", async () => {
  const inputs = Array.from({ length: 40 }, (_, i) => `${i} Main Street`);
  const a = await maskValues("fake.street", {}, inputs);
  const b = await maskValues("fake.street", {}, inputs, { master: OTHER_MASTER });
  assert.ok(a.filter((x, i) => x === b[i]).length < 3);
  const [x, y] = await maskValues("fake.city", {}, ["Springfield", "SPRINGFIELD "]);
  assert.equal(x, y);
});
