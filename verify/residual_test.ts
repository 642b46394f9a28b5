import assert from "node:assert/strict";
import type { Span } from "../strategies/text/entities.ts";
import type { ResidualResult } from "./findings.ts";
import { jsonStrings, redactedContext, residualRisk, words } from "./residual.ts";

Deno.test("redactedContext() tags every span, masks digits and cuts around the detection", () => {
  const text =
    "Order 4411 was late. Please call me on +44 7700 900123 tomorrow, or write to ana@example.com today";
  const phone: Span = { start: 39, end: 54, entity: "phone" };
  const email: Span = { start: text.indexOf("ana@"), end: text.indexOf(" today"), entity: "email" };
  assert.equal(text.slice(phone.start, phone.end), "+44 7700 900123");
  assert.equal(text.slice(email.start, email.end), "ana@example.com");
  assert.equal(
    redactedContext(text, [email, phone], phone),
    "…was late. Please call me on [PHONE] tomorrow, or write to [EMAIL]…",
  );
  assert.equal(redactedContext(text, [email, phone], email), "…[PHONE] tomorrow, or write to [EMAIL] today");
  const person: Span = { start: 9, end: 17, entity: "person" };
  assert.equal(redactedContext("Room 12, Ana Lima", [person], person), "Room ##, [PERSON]");
});

Deno.test("jsonStrings() keeps string leaves only, and leaves text that is not JSON as it is", () => {
  assert.equal(jsonStrings(`{"name":"Ana Lima","age":41,"tags":["vip",{"note":"x"}]}`), "Ana Lima\nvip\nx");
  assert.equal(jsonStrings("not json"), "not json");
});

Deno.test("words() counts whitespace-separated words", () => {
  assert.equal(words("  one two\tthree\nfour "), 4);
  assert.equal(words(""), 0);
});

function res(rowsWithFindings: number, scanned: number): ResidualResult {
  return {
    table: "t",
    column: "c",
    rule: "keep",
    scanned,
    rows: scanned,
    words: 0,
    rowsWithFindings,
    codes: false,
    counts: {},
    contexts: {},
    risk: null,
  };
}

Deno.test("residualRisk() is low for a few names in a kept column, medium for scrubbed text or identifiers, high for most rows", () => {
  assert.equal(residualRisk(res(0, 100), 0, false), null);
  assert.equal(residualRisk(res(3, 100), 0, false), "low");
  assert.equal(residualRisk(res(30, 100), 0, false), "medium");
  assert.equal(residualRisk(res(60, 100), 0, false), "high");
  assert.equal(residualRisk(res(1, 100), 0, true), "medium");
  assert.equal(residualRisk(res(1, 100), 1, false), "medium");
  assert.equal(residualRisk(res(25, 100), 25, false), "high");
});
