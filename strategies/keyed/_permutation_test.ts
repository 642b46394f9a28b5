import assert from "node:assert/strict";
import { DigitPermutation, IntegerPermutation, Permutation128, Permutation64 } from "./_permutation.ts";
import { Prf } from "./_prf.ts";

const KEY_A = new Uint8Array(32).fill(1);
const KEY_B = new Uint8Array(32).fill(2);

Deno.test("IntegerPermutation is a bijection of [0, n) for table and Feistel sizes", () => {
  for (const size of [1, 2, 3, 10, 97, 4096, 4097, 65536, 100_003]) {
    const p = new IntegerPermutation(new Prf(KEY_A), { size, tweak: 7 });
    const seen = new Uint8Array(size);
    for (let x = 0; x < size; x++) {
      const y = p.permute(x);
      assert.ok(Number.isInteger(y) && y >= 0 && y < size, `image of ${x} in range for size ${size}`);
      assert.equal(seen[y], 0, `image ${y} hit twice for size ${size}`);
      seen[y] = 1;
    }
  }
});

Deno.test("IntegerPermutation gives the same images asked twice, in any order, by one or two instances", () => {
  for (const size of [2 ** 32, 1_000_000_000]) {
    const p = new IntegerPermutation(new Prf(KEY_A), { size, tweak: 5 });
    const points = Array.from({ length: 50_000 }, (_, i) => Math.floor((i * 2654435761) % size));
    const first = points.map((x) => p.permute(x));
    const again = points.map((x) => p.permute(x));
    assert.deepEqual(again, first);
    assert.equal(new Set(first).size, new Set(points).size, `no two points share an image for ${size}`);
    const fresh = new IntegerPermutation(new Prf(KEY_A), { size, tweak: 5 });
    assert.deepEqual(
      points.slice(0, 1000).reverse().map((x) => fresh.permute(x)),
      first.slice(0, 1000).reverse(),
    );
  }
});

Deno.test("IntegerPermutation depends on the key and the tweak, and moves most points", () => {
  const size = 1_000_000;
  // 10,000 points of a 10^6 domain are plenty to tell two keys apart.
  const a = new IntegerPermutation(new Prf(KEY_A), { size, tweak: 1 });
  const b = new IntegerPermutation(new Prf(KEY_B), { size, tweak: 1 });
  const c = new IntegerPermutation(new Prf(KEY_A), { size, tweak: 2 });
  let sameKey = 0, sameTweak = 0, fixed = 0;
  for (let x = 0; x < 10_000; x++) {
    if (a.permute(x) === b.permute(x)) sameKey++;
    if (a.permute(x) === c.permute(x)) sameTweak++;
    if (a.permute(x) === x) fixed++;
  }
  assert.ok(sameKey < 5 && sameTweak < 5 && fixed < 5, `${sameKey} ${sameTweak} ${fixed}`);
});

Deno.test("IntegerPermutation handles 2^52 and refuses sizes out of range", () => {
  const p = new IntegerPermutation(new Prf(KEY_A), { size: 2 ** 52, tweak: 0 });
  const y = p.permute(2 ** 52 - 1);
  assert.ok(y >= 0 && y < 2 ** 52);
  assert.throws(() => new IntegerPermutation(new Prf(KEY_A), { size: 0, tweak: 0 }), {
    name: "RangeError",
    message: "Cannot construct IntegerPermutation as the size is out of range: current value is 0",
  });
});

Deno.test("DigitPermutation keeps the length and is a bijection of all 4-digit strings", () => {
  const p = new DigitPermutation(new Prf(KEY_A), 3);
  const seen = new Set<string>();
  for (let x = 0; x < 10_000; x++) {
    const y = p.permute(String(x).padStart(4, "0"));
    assert.match(y, /^\d{4}$/);
    seen.add(y);
  }
  assert.equal(seen.size, 10_000);
});

Deno.test("DigitPermutation is a bijection of long digit strings that differ in their last digits", () => {
  const p = new DigitPermutation(new Prf(KEY_A), 3);
  for (const length of [16, 22, 30, 31, 40]) {
    const base = "1234567890".repeat(4).slice(0, length);
    const seen = new Set<string>();
    for (let x = 0; x < 2_000; x++) {
      const input = base.slice(0, -4) + String(x).padStart(4, "0");
      const y = p.permute(input);
      assert.match(y, new RegExp(`^\\d{${length}}$`));
      seen.add(y);
    }
    assert.equal(seen.size, 2_000, `length ${length}`);
  }
});

Deno.test("Permutation64 and Permutation128 map distinct inputs to distinct outputs", () => {
  const p64 = new Permutation64(new Prf(KEY_A), 4);
  const p128 = new Permutation128(new Prf(KEY_A), 5);
  const s64 = new Set<string>(), s128 = new Set<string>();
  for (let x = 0; x < 20_000; x++) {
    p64.permute(x % 3, x);
    s64.add(`${p64.hi}:${p64.lo}`);
    s128.add(p128.permute([0, x % 7, 0, x]).join(":"));
  }
  assert.equal(s64.size, 20_000);
  assert.equal(s128.size, 20_000);
});

/** IntegerPermutation's network one `Prf.words` call a round, as written before it ran in WebAssembly. */
function referenceWalk(prf: Prf, size: number, tweak: number, x: number): number {
  const bits = Math.ceil(Math.log2(size)), lowBits = bits >> 1;
  const ls = 2 ** lowBits, hs = 2 ** (bits - lowBits);
  const nHi = Math.floor(size / 4294967296), nLo = size >>> 0;
  const round = (r: number, half: number, mod: number) =>
    prf.words(tweak | (nHi << 12) | (r << 8), half, nLo, 0x66656973) & (mod - 1);
  do {
    let high = Math.floor(x / ls), low = x - high * ls;
    for (let r = 0; r < 8; r += 2) {
      high = (high + round(r, low, hs)) & (hs - 1);
      low = (low + round(r + 1, high, ls)) & (ls - 1);
    }
    x = high * ls + low;
  } while (x >= size);
  return x;
}

/** DigitPermutation's 16–30 digit network in plain arithmetic (exact `%` on safe integers). */
function referenceBlock(prf: Prf, tweak: number, digits: string): string {
  const n = digits.length, a = n >> 1, b = n - a;
  const ma = 10 ** a, mb = 10 ** b;
  let x = Number(digits.slice(0, a)), y = Number(digits.slice(a));
  const f = (r: number, v: number, m: number) => {
    const lo = prf.words(tweak | (r << 8) | (n << 16), v >>> 0, Math.floor(v / 4294967296), 0x64696769);
    return Number((BigInt(prf.hi >>> 11) * 4294967296n + BigInt(lo)) % BigInt(m));
  };
  for (let r = 0; r < 8; r += 2) {
    x = (x + f(r, y, ma)) % ma;
    y = (y + f(r + 1, x, mb)) % mb;
  }
  return String(x).padStart(a, "0") + String(y).padStart(b, "0");
}

Deno.test("IntegerPermutation's WebAssembly walk gives the images of the network round by round", () => {
  const prf = new Prf(KEY_A);
  for (
    const size of [
      4097,
      65_536,
      10 ** 7,
      10 ** 8,
      10 ** 9,
      2 ** 32,
      2 ** 32 + 1,
      10 ** 10,
      10 ** 12,
      99_999_999_999_999,
      10 ** 14,
      2 ** 47,
      10 ** 15,
      2 ** 52,
    ]
  ) {
    const p = new IntegerPermutation(prf, { size, tweak: 0x48 });
    for (let i = 0; i < 2_000; i++) {
      const x = Math.floor(((i * 2654435761) % 1_000_003) / 1_000_003 * size);
      assert.equal(p.permute(x), referenceWalk(prf, size, 0x48, x), `image of ${x} for size ${size}`);
    }
    assert.equal(p.permute(size - 1), referenceWalk(prf, size, 0x48, size - 1), `last point of ${size}`);
  }
});

Deno.test("DigitPermutation's WebAssembly rounds give the 16-30 digit images of the network", () => {
  const prf = new Prf(KEY_B);
  const p = new DigitPermutation(prf, 0x4c);
  for (let length = 16; length <= 30; length++) {
    for (let i = 0; i < 300; i++) {
      let digits = "";
      for (let k = 0; k < length; k++) digits += String((i * 7 + k * k * 13 + (i >> k % 5)) % 10);
      if (i === 0) digits = "9".repeat(length);
      if (i === 1) digits = "0".repeat(length);
      assert.equal(p.permute(digits), referenceBlock(prf, 0x4c, digits), `${length} digits`);
    }
  }
});
