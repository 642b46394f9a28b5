import assert from "node:assert/strict";
import type { Span } from "./entities.ts";
import { applySpans, hashReplacement, normalizeValue, tagOf } from "./replace.ts";

Deno.test("applySpans() keeps every character outside the spans", () => {
  const text = "Héllo 👋 Ana Lima,\r\n\tcard 4111 1111 1111 1111 — ok\u0000";
  const p = text.indexOf("Ana Lima");
  const c = text.indexOf("4111");
  const spans: Span[] = [
    { start: p, end: p + 8, entity: "person" },
    { start: c, end: c + 19, entity: "card" },
  ];
  const out = applySpans(text, spans, (s) => tagOf(s.entity));
  assert.equal(out, "Héllo 👋 [PERSON],\r\n\tcard [CARD] — ok\u0000");
  const xy = applySpans(text, spans, (s) => (s.entity === "person" ? "X" : "Y"));
  assert.equal(xy, text.slice(0, p) + "X" + text.slice(p + 8, c) + "Y" + text.slice(c + 19));
});

Deno.test("applySpans() refuses overlapping spans", () => {
  assert.throws(
    () =>
      applySpans(
        "abcdef",
        [{ start: 0, end: 3, entity: "person" }, { start: 2, end: 4, entity: "email" }],
        () => "",
      ),
    RangeError,
  );
});

Deno.test("hashReplacement() is deterministic per key and ignores case and spacing of names", () => {
  const k1 = new Uint8Array(32).fill(1);
  const k2 = new Uint8Array(32).fill(2);
  const a = hashReplacement(k1, "person", "Ana  Lima");
  assert.match(a, /^\[PERSON:[0-9a-f]{10}\]$/);
  assert.equal(hashReplacement(k1, "person", "ANA LIMA"), a);
  assert.notEqual(hashReplacement(k2, "person", "Ana Lima"), a);
  assert.notEqual(hashReplacement(k1, "person", "Ana Lime"), a);
  assert.equal(normalizeValue("iban", "de89 3704 0044 0532 0130 00"), "DE89370400440532013000");
  assert.equal(normalizeValue("phone", "0044 20 7946-0958"), "+442079460958");
});
