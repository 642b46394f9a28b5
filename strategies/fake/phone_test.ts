import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

const layout = (s: string) => s.replace(/\d/g, "9");

Deno.test("fake.phone keeps the layout and digit count and changes the digits", async () => {
  await runCases(
    ["+55 (12) 3923-5555", "555-0100", "0171 2345678", "+1 415 555 2671", "07700900123"].map((input) => ({
      strategy: "fake.phone",
      input,
      check: (out: string | null) =>
        out !== null && layout(out) === layout(input) && out !== input
          ? undefined
          : "layout changed or digits kept",
    })),
  );
});

Deno.test("fake.phone keeps the first digits by default after + and 0, or as many as keep_digits says", async () => {
  const [intl, trunk, three] = await maskValues("fake.phone", {}, [
    "+55 (12) 3923-5555",
    "0171 2345678",
    "555-0100",
  ]);
  assert.ok(intl!.startsWith("+55 "), intl!);
  assert.ok(trunk!.startsWith("0"), trunk!);
  const [kept] = await maskValues("fake.phone", { keep_digits: 4 }, ["555-0100"]);
  assert.ok(kept!.startsWith("555-0"), kept!);
  assert.equal(three!.length, 8);
});

Deno.test("fake.phone writes a number in the locale's format for inputs with too few digits", async () => {
  const [out] = await maskValues("fake.phone", { locale: "de" }, ["n/a"]);
  assert.match(out!, /^[\d +()-]{6,}$/);
});
