import assert from "node:assert/strict";
import { findEmails } from "./email.ts";
import { found } from "./_test_find.ts";

Deno.test("findEmails() finds addresses with dots, plus tags and subdomains", () => {
  assert.deepEqual(found(findEmails, "Mail ana.rossi+tickets@mail.example.co.uk or bob@example.com."), [
    "email:ana.rossi+tickets@mail.example.co.uk",
    "email:bob@example.com",
  ]);
});

Deno.test("findEmails() ignores handles, bare domains and addresses without a TLD", () => {
  assert.deepEqual(found(findEmails, "ping @ana at example.com or root@localhost"), []);
});
