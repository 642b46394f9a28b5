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

Deno.test("findCards() finds 12-digit Maestro, 14-digit Diners, 15- and 16-digit JCB and 19-digit UnionPay numbers", () => {
  const text =
    "Maestro 5018 0000 0009, Diners 3056 930902 5904, Diners 3900 0000 0000 05, JCB 3530 1113 3330 0000, JCB 213100000000001, " +
    "UnionPay 6212 3456 7890 1234 569 and Mir 2200 0000 0000 0004.";
  assert.deepEqual(found(findCards, text), [
    "card:5018 0000 0009",
    "card:3056 930902 5904",
    "card:3900 0000 0000 05",
    "card:3530 1113 3330 0000",
    "card:213100000000001",
    "card:6212 3456 7890 1234 569",
    "card:2200 0000 0000 0004",
  ]);
});

Deno.test("findCards() refuses a Luhn-valid number whose issuer range does not allow its length", () => {
  // 12 digits with a Visa prefix, 15 with a Mastercard prefix: valid Luhn, no such card.
  assert.equal(luhnValid("400000000002"), true);
  assert.equal(luhnValid("510000000000003"), true);
  assert.deepEqual(found(findCards, "ids 400000000002 and 510000000000003"), []);
});

Deno.test("findCards() finds RuPay and Troy numbers and keeps Mastercard's 2-series to 2221-2720", () => {
  assert.deepEqual(found(findCards, "RuPay 8200 0000 0000 0001, Troy 9792 0000 0000 0003."), [
    "card:8200 0000 0000 0001",
    "card:9792 0000 0000 0003",
  ]);
  assert.deepEqual(found(findCards, "Mastercard 2221 0000 0000 0009 and 2720 0000 0000 0005."), [
    "card:2221 0000 0000 0009",
    "card:2720 0000 0000 0005",
  ]);
  // Luhn-valid, 16 digits, but outside every range: 2220 and 2721 are no Mastercard.
  assert.deepEqual(found(findCards, "ids 2220000000000000 and 2721000000000004"), []);
});
