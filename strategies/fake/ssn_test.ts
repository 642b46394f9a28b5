import assert from "node:assert/strict";
import { ssnValid } from "./ssn.ts";
import { maskValues } from "../_test_utils.ts";

Deno.test("fake.ssn writes valid SSNs in the input's layout", async () => {
  const inputs = Array.from(
    { length: 300 },
    (_, i) =>
      `${String(100 + i).padStart(3, "0")}-${String(10 + (i % 90)).padStart(2, "0")}-${
        String(1000 + i).padStart(4, "0")
      }`,
  );
  const out = await maskValues("fake.ssn", {}, inputs);
  for (const o of out) {
    assert.match(o!, /^\d{3}-\d{2}-\d{4}$/);
    assert.ok(ssnValid(Number(o!.replace(/-/g, ""))), o!);
  }
  assert.equal(new Set(out).size, inputs.length);
  const [plain, other] = await maskValues("fake.ssn", {}, ["123456789", "AB 12 34 56 C"]);
  assert.match(plain!, /^\d{9}$/);
  assert.match(other!, /^AB \d\d \d\d \d\d C$/);
});
