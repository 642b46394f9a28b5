import assert from "node:assert/strict";
import { maskValues } from "../_test_utils.ts";

const PEOPLE = ["Anna Schmidt", "Jean Dupont", "John Smith", "Mia Weber", "Luca Rossi"];
const COUNTRY = ["DE", "fr_FR", "Narnia", "de-AT", null];

Deno.test("locale_from: gives each row the fake of its own country's locale, the default otherwise", async () => {
  for (const strategy of ["fake.full_name", "fake.postcode", "fake.phone", "fake.email", "fake.iban"]) {
    const got = await maskValues(strategy, { locale_from: "country", locale: "it" }, PEOPLE, {
      batch: { country: COUNTRY },
    });
    const want = await Promise.all(
      ["de", "fr", "it", "de_AT", "it"].map(async (locale, i) =>
        (await maskValues(strategy, { locale }, [PEOPLE[i]]))[0]
      ),
    );
    assert.deepEqual(got, want, strategy);
  }
});

Deno.test("locale_from: a German row gets a German postcode and phone layout", async () => {
  const [postcode] = await maskValues("fake.postcode", { locale_from: "country" }, ["SW1A 1AA"], {
    batch: { country: ["Germany"] },
  });
  assert.match(postcode!, /^\d{5}$/);
  // A number keeps its own layout; one too short to have a layout gets the row's locale's format.
  const phones = await maskValues("fake.phone", { locale_from: "country" }, ["x1", "x2", "x3", "x4"], {
    batch: { country: ["DE", "DE", "DE", "DE"] },
  });
  for (const p of phones) assert.match(p!, /^(\+49-\d{3,4}-\d{6,8}|\(0\d{3,4}\) \d{5,8})$/);
});

Deno.test("locale_from: refuses unique short suffixes across locales and reads its column", async () => {
  await assert.rejects(
    () =>
      maskValues("fake.email", { locale_from: "country" }, ["a@b.c"], {
        unique: true,
        batch: { country: ["DE"] },
      }),
    { name: "StrategyParamsError", message: /locale_from and unique: true/ },
  );
  const [ok] = await maskValues("fake.email", { locale_from: "country", unique_suffix: "token" }, ["a@b.c"], {
    unique: true,
    batch: { country: ["DE"] },
  });
  assert.match(ok!, /@/);
});
