import assert from "node:assert/strict";
import { findIbans, ibanValid } from "./iban.ts";
import { found } from "./_test_find.ts";

Deno.test("ibanValid() checks the country length and mod-97", () => {
  assert.equal(ibanValid("DE89370400440532013000"), true);
  assert.equal(ibanValid("GB82WEST12345698765432"), true);
  assert.equal(ibanValid("DE89370400440532013001"), false);
  assert.equal(ibanValid("DE8937040044053201300"), false);
});

Deno.test("findIbans() finds grouped and compact IBANs and stops at the country length", () => {
  assert.deepEqual(found(findIbans, "Pay to DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432 today"), [
    "iban:DE89 3704 0044 0532 0130 00",
    "iban:GB82WEST12345698765432",
  ]);
});

Deno.test("findIbans() never fires on an IBAN with a wrong check", () => {
  assert.deepEqual(found(findIbans, "Pay to DE89 3704 0044 0532 0130 01 or GB83WEST12345698765432"), []);
});
