import assert from "node:assert/strict";
import { findPhones, isPhone } from "./phone.ts";
import { found } from "./_test_find.ts";

Deno.test("findPhones() finds international and national formats", () => {
  assert.deepEqual(
    found(findPhones, "Ring +44 20 7946 0958, (415) 555-2671, 030 1234567 or 06 12 34 56 78 please."),
    ["phone:+44 20 7946 0958", "phone:(415) 555-2671", "phone:030 1234567", "phone:06 12 34 56 78"],
  );
});

Deno.test("findPhones() ignores dates, amounts, order numbers and version strings", () => {
  assert.deepEqual(found(findPhones, "On 2024-03-02 we billed 1 250 000 for ORD-12345 on v10.2.3"), []);
  assert.deepEqual(found(findPhones, "Sent 08/10/2000 08:28 AM, edited 04/25/01 12:42:51"), []);
});

Deno.test("isPhone() takes a bare number only after a cue word", () => {
  assert.equal(isPhone("41925011726"), false);
  assert.equal(isPhone("41925011726", true), true);
  assert.deepEqual(found(findPhones, "call me on 41925011726"), ["phone:41925011726"]);
});

Deno.test("findPhones() keeps an extension inside the number's span", () => {
  assert.deepEqual(
    found(findPhones, "Call (415) 555-2671 x4587 or 020 7946 0958 ext. 12, fax 555.201.3344 extension 301."),
    ["phone:(415) 555-2671 x4587", "phone:020 7946 0958 ext. 12", "phone:555.201.3344 extension 301"],
  );
});

Deno.test("findPhones() finds national formats without a country code", () => {
  assert.deepEqual(
    found(findPhones, "Mobile 98765 43210, office 0161 496 0000, cell 07911 123456, desk 212.555.0182."),
    ["phone:98765 43210", "phone:0161 496 0000", "phone:07911 123456", "phone:212.555.0182"],
  );
});
