import assert from "node:assert/strict";
import { findCards, luhnValid } from "./card.ts";
import { found } from "./_test_find.ts";

Deno.test("luhnValid() accepts valid check digits and refuses one changed digit", () => {
  assert.equal(luhnValid("4111111111111111"), true);
  assert.equal(luhnValid("378282246310005"), true);
  assert.equal(luhnValid("4111111111111112"), false);
  assert.equal(luhnValid("378282246310006"), false);
});

Deno.test("findCards() finds Luhn-valid numbers compact or grouped by spaces or dashes", () => {
  assert.deepEqual(
    found(findCards, "Visa 4111 1111 1111 1111, MC 5500-0000-0000-0004, Amex 378282246310005."),
    [
      "card:4111 1111 1111 1111",
      "card:5500-0000-0000-0004",
      "card:378282246310005",
    ],
  );
});

Deno.test("findCards() never fires on a number failing Luhn, mixed separators or an unknown issuer", () => {
  assert.deepEqual(found(findCards, "4111 1111 1111 1112 and 4111-1111 1111-1111 and 1234567812345670"), []);
  assert.equal(luhnValid("1234567812345670"), true);
});
