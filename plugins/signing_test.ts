import assert from "node:assert/strict";
import {
  generateKeyPair,
  importSigningKey,
  isPublisher,
  sha256Hex,
  sha256Integrity,
  signBytes,
  verifySignature,
} from "./signing.ts";

const bytes = new TextEncoder().encode('{"name":"@acme/x"}');

Deno.test("importSigningKey() recovers the public key generateKeyPair() printed", async () => {
  const { privatePem, publisher } = await generateKeyPair();
  assert.match(privatePem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/);
  assert.ok(isPublisher(publisher));
  assert.equal((await importSigningKey(privatePem)).publisher, publisher);
});

Deno.test("verifySignature() accepts the signer's signature and refuses other keys and other bytes", async () => {
  const a = await generateKeyPair();
  const b = await generateKeyPair();
  const sig = await signBytes(await importSigningKey(a.privatePem), bytes);
  assert.equal(await verifySignature(a.publisher, bytes, sig), true);
  assert.equal(await verifySignature(b.publisher, bytes, sig), false);
  const changed = bytes.slice();
  changed[3] ^= 1;
  assert.equal(await verifySignature(a.publisher, changed, sig), false);
  assert.equal(await verifySignature(a.publisher, bytes, "not base64!"), false);
  assert.equal(await verifySignature("ed25519:AAAA", bytes, sig), false);
});

Deno.test("importSigningKey() refuses text that is not a PKCS8 key", async () => {
  await assert.rejects(importSigningKey("hello"), {
    name: "SyntaxError",
    message: "Cannot read the private key: it is not a PEM PKCS8 private key",
  });
});

Deno.test("sha256Integrity() and sha256Hex() give the known digest of abc", async () => {
  const abc = new TextEncoder().encode("abc");
  assert.equal(await sha256Hex(abc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(await sha256Integrity(abc), "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
});
