import assert from "node:assert/strict";
import { SipHash24 } from "./_siphash.ts";

// The 64 published SipHash-2-4 vectors (github.com/veorq/SipHash, vectors.h, vectors_sip64): key
// 00 01 .. 0f, message 00 01 .. (n-1) for n = 0..63, output as little-endian bytes.
const VECTORS = [
  "310e0edd47db6f72",
  "fd67dc93c539f874",
  "5a4fa9d909806c0d",
  "2d7efbd796666785",
  "b7877127e09427cf",
  "8da699cd64557618",
  "cee3fe586e46c9cb",
  "37d1018bf50002ab",
  "6224939a79f5f593",
  "b0e4a90bdf82009e",
  "f3b9dd94c5bb5d7a",
  "a7ad6b22462fb3f4",
  "fbe50e86bc8f1e75",
  "903d84c02756ea14",
  "eef27a8e90ca23f7",
  "e545be4961ca29a1",
  "db9bc2577fcc2a3f",
  "9447be2cf5e99a69",
  "9cd38d96f0b3c14b",
  "bd6179a71dc96dbb",
  "98eea21af25cd6be",
  "c7673b2eb0cbf2d0",
  "883ea3e395675393",
  "c8ce5ccd8c030ca8",
  "94af49f6c650adb8",
  "eab8858ade92e1bc",
  "f315bb5bb835d817",
  "adcf6b0763612e2f",
  "a5c91da7acaa4dde",
  "716595876650a2a6",
  "28ef495c53a387ad",
  "42c341d8fa92d832",
  "ce7cf2722f512771",
  "e37859f94623f3a7",
  "381205bb1ab0e012",
  "ae97a10fd434e015",
  "b4a31508beff4d31",
  "81396229f0907902",
  "4d0cf49ee5d4dcca",
  "5c73336a76d8bf9a",
  "d0a704536ba93e0e",
  "925958fcd6420cad",
  "a915c29bc8067318",
  "952b79f3bc0aa6d4",
  "f21df2e41d4535f9",
  "87577519048f53a9",
  "10a56cf5dfcd9adb",
  "eb75095ccd986cd0",
  "51a9cb9ecba312e6",
  "96afadfc2ce666c7",
  "72fe52975a4364ee",
  "5a1645b276d592a1",
  "b274cb8ebf87870a",
  "6f9bb4203de7b381",
  "eaecb2a30b22a87f",
  "9924a43cc1315724",
  "bd838d3aafbf8db7",
  "0b1a2a3265d51aea",
  "135079a3231ce660",
  "932b2846e4d70666",
  "e1915f5cb1eca46c",
  "f325965ca16d629f",
  "575ff28e60381be5",
  "724506eb4c328a95",
];

function leHex(lo: number, hi: number): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(0, lo, true);
  new DataView(b.buffer).setUint32(4, hi, true);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
const MESSAGE = Uint8Array.from({ length: 64 }, (_, i) => i);

Deno.test("SipHash24.hash() matches the 64 published SipHash-2-4 test vectors", () => {
  const sip = new SipHash24(KEY);
  for (let n = 0; n < 64; n++) {
    const lo = sip.hash(MESSAGE, n);
    assert.equal(leHex(lo, sip.hi), VECTORS[n], `vector for a ${n}-byte message`);
  }
});

Deno.test("SipHash24.hash() reads only the given length of a longer buffer", () => {
  const sip = new SipHash24(KEY);
  const lo = sip.hash(MESSAGE.slice(0, 11));
  const hi = sip.hi;
  assert.equal(sip.hash(MESSAGE, 11), lo);
  assert.equal(sip.hi, hi);
});

Deno.test("SipHash24.hashWords() equals hash() of the same 16 little-endian bytes", () => {
  const sip = new SipHash24(KEY);
  const bytes = MESSAGE.slice(0, 16);
  const view = new DataView(bytes.buffer);
  const words = [0, 4, 8, 12].map((i) => view.getUint32(i, true));
  const lo = sip.hashWords(words[0], words[1], words[2], words[3]);
  assert.equal(leHex(lo, sip.hi), VECTORS[16]);
});

Deno.test("SipHash24 uses only the first 16 bytes of a 32-byte subkey and rejects shorter keys", () => {
  const long = new Uint8Array(32);
  long.set(KEY);
  long.fill(0xaa, 16);
  const sip = new SipHash24(long);
  assert.equal(leHex(sip.hash(MESSAGE, 5), sip.hi), VECTORS[5]);
  assert.throws(() => new SipHash24(new Uint8Array(15)), {
    name: "RangeError",
    message: "Cannot construct SipHash24 as the key is too short: current length is 15",
  });
});

/** A plain BigInt SipHash-2-4, as the paper writes it: the reference for inputs the vectors do not cover. */
function referenceSipHash(key: Uint8Array, msg: Uint8Array): bigint {
  const M = (1n << 64n) - 1n;
  const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & M;
  const word = (b: Uint8Array, i: number) => {
    let w = 0n;
    for (let j = 7; j >= 0; j--) w = (w << 8n) | BigInt(b[i + j] ?? 0);
    return w;
  };
  const k0 = word(key, 0), k1 = word(key, 8);
  let v0 = k0 ^ 0x736f6d6570736575n, v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n, v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & M, v1 = rotl(v1, 13n) ^ v0, v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M, v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M, v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M, v1 = rotl(v1, 17n) ^ v2, v2 = rotl(v2, 32n);
  };
  const full = msg.length & ~7;
  const last = new Uint8Array(8);
  last.set(msg.subarray(full));
  last[7] = msg.length & 0xff;
  for (let i = 0; i <= full; i += 8) {
    const m = i < full ? word(msg, i) : word(last, 0);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  v2 ^= 0xffn;
  for (let r = 0; r < 4; r++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

Deno.test("SipHash24.hash() matches a BigInt reference on long inputs, past the first memory page", () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => 200 - i * 3);
  const sip = new SipHash24(key);
  for (const n of [64, 1000, 70_000, 131_075]) {
    const msg = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
    const lo = sip.hash(msg);
    assert.equal((BigInt(sip.hi) << 32n) | BigInt(lo), referenceSipHash(key, msg), `${n}-byte message`);
  }
  // A short input after a long one (the memory behind it is not zero) reads only its own bytes.
  for (const n of [0, 7, 8, 9, 15]) {
    const lo = sip.hash(MESSAGE, n);
    assert.equal((BigInt(sip.hi) << 32n) | BigInt(lo), referenceSipHash(key, MESSAGE.subarray(0, n)), `${n}`);
  }
  const vectors = new SipHash24(KEY);
  assert.equal(leHex(vectors.hash(MESSAGE, 9), vectors.hi), VECTORS[9]);
});

Deno.test("SipHash24 instances under different keys can be used in turn", () => {
  const a = new SipHash24(KEY), b = new SipHash24(new Uint8Array(16).fill(0x5a));
  const expectB = referenceSipHash(new Uint8Array(16).fill(0x5a), MESSAGE.subarray(0, 16));
  for (let round = 0; round < 3; round++) {
    assert.equal(leHex(a.hash(MESSAGE, 16), a.hi), VECTORS[16]);
    const lo = b.hashWords(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c);
    assert.equal((BigInt(b.hi) << 32n) | BigInt(lo), expectB);
  }
});
