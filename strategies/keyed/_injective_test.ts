import assert from "node:assert/strict";
import { base32, InjectiveToken } from "./_injective.ts";
import { Prf } from "./_prf.ts";

Deno.test("base32() encodes RFC 4648 test vectors in lowercase without padding", () => {
  const enc = (s: string) => base32(new TextEncoder().encode(s));
  assert.deepEqual(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(enc), [
    "",
    "my",
    "mzxq",
    "mzxw6",
    "mzxw6yq",
    "mzxw6ytb",
    "mzxw6ytboi",
  ]);
});

Deno.test("InjectiveToken gives distinct tokens for distinct inputs, including prefixes and the empty string", () => {
  const t = new InjectiveToken(new Prf(new Uint8Array(32).fill(9)), 1);
  const seen = new Map<string, string>();
  const inputs = ["", "a", "aa", "A", "é", "\u0000", "ab", "ba"];
  for (let i = 0; i < 30_000; i++) inputs.push(`user${i}`, `${i}`);
  for (const input of inputs) {
    const token = t.encode(input);
    assert.match(token, /^[a-z2-7]+$/);
    assert.equal(token.length, InjectiveToken.lengthFor(new TextEncoder().encode(input).length));
    const before = seen.get(token);
    assert.equal(
      before,
      undefined,
      `token of ${JSON.stringify(input)} equals that of ${JSON.stringify(before)}`,
    );
    seen.set(token, input);
  }
  assert.equal(t.encode("alice"), t.encode("alice"));
  assert.notEqual(
    t.encode("alice"),
    new InjectiveToken(new Prf(new Uint8Array(32).fill(8)), 1).encode("alice"),
  );
});
