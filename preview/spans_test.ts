import assert from "node:assert/strict";
import { changedSpans } from "./spans.ts";

Deno.test("changedSpans() marks only the replaced words of an edited text", () => {
  const before = "Called John Smith about the late delivery";
  const after = "Called [PERSON] about the late delivery";
  const c = changedSpans(before, after);
  assert.deepEqual(c.before.map(([s, e]) => before.slice(s, e)), ["John Smith"]);
  assert.deepEqual(c.after.map(([s, e]) => after.slice(s, e)), ["[PERSON]"]);
});

Deno.test("changedSpans() marks a rewritten value whole and nothing for an equal one", () => {
  assert.deepEqual(changedSpans("ana@example.com", "x9@example.net"), {
    before: [[0, 15]],
    after: [[0, 14]],
  });
  assert.deepEqual(changedSpans("same", "same"), { before: [], after: [] });
});

Deno.test("changedSpans() sees a re-spaced JSON document's replaced value only", () => {
  const before = '{"contact": {"email": "ana@example.com", "channel": "email"}}';
  const after = '{"contact":{"email":"x9@example.net","channel":"email"}}';
  const c = changedSpans(before, after);
  assert.deepEqual(c.before.map(([s, e]) => before.slice(s, e)), ["ana@example.com"]);
  assert.deepEqual(c.after.map(([s, e]) => after.slice(s, e)), ["x9@example.net"]);
});
