import assert from "node:assert/strict";
import { maskValues } from "../_test_utils.ts";

Deno.test("email.domain_keep keeps the domain and replaces the local part", async () => {
  const out = await maskValues("email.domain_keep", {}, [
    "alice.smith@corp.example",
    "ALICE.SMITH@corp.example",
    "bare",
  ]);
  assert.match(out[0]!, /^[a-z0-9]+\.[a-z0-9]+@corp\.example$/);
  assert.ok(!out[0]!.startsWith("alice.smith@"));
  assert.equal(out[0]!.split("@")[0], out[1]!.split("@")[0]);
  assert.match(out[2]!, /^[a-z0-9]+\.[a-z0-9]+$/);
  const uniq = await maskValues("email.domain_keep", {}, ["Alice@corp.example", "alice@corp.example"], {
    unique: true,
  });
  assert.notEqual(uniq[0], uniq[1]);
});
