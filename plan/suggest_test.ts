import assert from "node:assert/strict";
import { builtinStrategies } from "../strategies/builtins.ts";
import { column } from "../strategies/_test_utils.ts";
import { StrategyRegistry } from "../strategies/registry.ts";
import type { TypeFamily } from "../strategies/types.ts";
import { suggestStrategy } from "./suggest.ts";

const CASES: [string, TypeFamily, string][] = [
  ["email", "string", "fake.email"],
  ["contact_email", "string", "fake.email"],
  ["first_name", "string", "fake.first_name"],
  ["surname", "string", "fake.last_name"],
  ["name", "string", "fake.full_name"],
  ["mobile", "string", "fake.phone"],
  ["address2", "string", "fake.street"],
  ["city", "string", "fake.city"],
  ["zip_code", "string", "fake.postcode"],
  ["province", "string", "fake.state"],
  ["country", "string", "fake.country"],
  ["company_name", "string", "fake.company"],
  ["iban", "string", "fake.iban"],
  ["card_number", "string", "fake.card"],
  ["ssn", "string", "fake.ssn"],
  ["client_ip", "string", "fake.ip"],
  ["anything", "network", "fake.ip"],
  ["date_of_birth", "string", "fake.date_of_birth"],
  ["dob", "date", "fake.date_of_birth"],
  ["birth_ts", "timestamp", "fake.date_of_birth"],
  ["login", "string", "fake.username"],
  ["comment", "string", "text.scrub"],
  // An e-mail column that also says "message" is an e-mail: the lower rank wins.
  ["email_message", "string", "fake.email"],
  ["email", "integer", "keep"],
  ["created_at", "timestamp", "keep"],
  ["total", "numeric", "keep"],
];

for (const [name, family, expected] of CASES) {
  Deno.test(`suggestStrategy() suggests ${expected} for ${name} (${family}) from the strategies' own meta`, () => {
    assert.equal(suggestStrategy(column({ column: name, family }), builtinStrategies()), expected);
  });
}

Deno.test("suggestStrategy() suggests only what the registry has", () => {
  assert.equal(suggestStrategy(column({ column: "email" }), new StrategyRegistry()), "keep");
});
