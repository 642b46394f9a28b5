import assert from "node:assert/strict";
import { bsnValid, findNationalIds, findSsns, nirValid, ssnValid, steuerIdValid } from "./national_id.ts";
import { found } from "./_test_find.ts";

Deno.test("findSsns() finds SSNs that obey the assignment rules", () => {
  assert.deepEqual(found(findSsns, "SSN 123-45-6789, also 078 05 1120"), [
    "ssn:123-45-6789",
    "ssn:078 05 1120",
  ]);
});

Deno.test("findSsns() never fires on area 000/666/9xx, group 00 or serial 0000", () => {
  assert.deepEqual(found(findSsns, "666-12-3456 000-12-3456 912-12-3456 123-00-4567 123-45-0000"), []);
  assert.equal(ssnValid("123", "45", "6789"), true);
});

Deno.test("findSsns() takes 9 bare digits only after an SSN cue", () => {
  assert.deepEqual(found(findSsns, "ref 123456789; SSN: 123456789"), ["ssn:123456789"]);
});

Deno.test("findNationalIds() finds a NINO, a NIR with its key, a cued BSN and Steuer-ID", () => {
  const text = "NINO AB 12 34 56 C, NIR 1 85 05 78 006 084 91, BSN 111222333, Steuer-ID: 86095742719.";
  assert.deepEqual(found(findNationalIds, text), [
    "national_id:AB 12 34 56 C",
    "national_id:1 85 05 78 006 084 91",
    "national_id:111222333",
    "national_id:86095742719",
  ]);
});

Deno.test("findNationalIds() never fires on a failing key or check digit, or a bad NINO prefix", () => {
  const text = "NINO BG 12 34 56 C, NIR 1 85 05 78 006 084 92, BSN 111222334, Steuer-ID: 86095742718.";
  assert.deepEqual(found(findNationalIds, text), []);
  assert.equal(nirValid("185057800608491"), true);
  assert.equal(bsnValid("111222334"), false);
  assert.equal(steuerIdValid("65929970489"), true);
  assert.equal(steuerIdValid("65929970488"), false);
});

Deno.test("findNationalIds() needs the cue for bare BSN and Steuer-ID digits", () => {
  assert.deepEqual(found(findNationalIds, "order 111222333 and 86095742719"), []);
});
