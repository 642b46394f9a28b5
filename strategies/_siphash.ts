/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): the keyed pseudo-random function behind every keyed
 * strategy.
 *
 * Why SipHash and not per-value HMAC-SHA256: masking must cost about 100 ns per value, and one
 * HMAC-SHA256 of a short string costs 4 µs or more in Deno whatever the implementation (two SHA-256
 * compressions of 64 rounds each plus the pads). SipHash is a PRF designed for exactly this case
 * (short inputs under a 128-bit secret key, e.g. hash-flooding defence), has a security proof
 * margin that cryptanalysis since 2012 has not dented, needs only add-rotate-xor on 64-bit words, and
 * processes a 16-byte input in 2 compression and 4 finalisation rounds. Written with 32-bit halves it
 * runs without BigInt or allocation. Its 64-bit output is a PRF output, not a collision-resistant
 * digest: strategies never rely on it being collision-free, and uniqueness comes from keyed
 * permutations built on it (see `_permutation.ts`). The 128-bit key is the first half of the 32-byte
 * subkey the keyring derives with HMAC-SHA256 for the column's domain.
 *
 * @module
 */

// State as 32-bit halves: v0 = (a1:a0), v1 = (b1:b0), v2 = (c1:c0), v3 = (d1:d0). Module-level, as
// hashing is synchronous and never re-entrant.
let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0;

function sipRound(): void {
  let lo: number, t: number;
  // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
  lo = (a0 + b0) >>> 0;
  a1 = (a1 + b1 + (lo < a0 ? 1 : 0)) >>> 0;
  a0 = lo;
  t = ((b1 << 13) | (b0 >>> 19)) >>> 0;
  b0 = ((b0 << 13) | (b1 >>> 19)) >>> 0;
  b1 = t;
  b0 = (b0 ^ a0) >>> 0;
  b1 = (b1 ^ a1) >>> 0;
  t = a0;
  a0 = a1;
  a1 = t;
  // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
  lo = (c0 + d0) >>> 0;
  c1 = (c1 + d1 + (lo < c0 ? 1 : 0)) >>> 0;
  c0 = lo;
  t = ((d1 << 16) | (d0 >>> 16)) >>> 0;
  d0 = ((d0 << 16) | (d1 >>> 16)) >>> 0;
  d1 = t;
  d0 = (d0 ^ c0) >>> 0;
  d1 = (d1 ^ c1) >>> 0;
  // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
  lo = (a0 + d0) >>> 0;
  a1 = (a1 + d1 + (lo < a0 ? 1 : 0)) >>> 0;
  a0 = lo;
  t = ((d1 << 21) | (d0 >>> 11)) >>> 0;
  d0 = ((d0 << 21) | (d1 >>> 11)) >>> 0;
  d1 = t;
  d0 = (d0 ^ a0) >>> 0;
  d1 = (d1 ^ a1) >>> 0;
  // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
  lo = (c0 + b0) >>> 0;
  c1 = (c1 + b1 + (lo < c0 ? 1 : 0)) >>> 0;
  c0 = lo;
  t = ((b1 << 17) | (b0 >>> 15)) >>> 0;
  b0 = ((b0 << 17) | (b1 >>> 15)) >>> 0;
  b1 = t;
  b0 = (b0 ^ c0) >>> 0;
  b1 = (b1 ^ c1) >>> 0;
  t = c0;
  c0 = c1;
  c1 = t;
}

function compress(m0: number, m1: number): void {
  d0 = (d0 ^ m0) >>> 0;
  d1 = (d1 ^ m1) >>> 0;
  sipRound();
  sipRound();
  a0 = (a0 ^ m0) >>> 0;
  a1 = (a1 ^ m1) >>> 0;
}

function le32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** SipHash-2-4 under one 128-bit key. The 64-bit result is returned as two unsigned 32-bit halves. */
export class SipHash24 {
  #init: Uint32Array;
  /** High 32 bits of the last result; the low 32 bits are the return value of each `hash*` call. */
  hi = 0;

  /**
   * @param key at least 16 bytes; the first 16 are the SipHash key.
   * @throws {RangeError} when the key is shorter than 16 bytes.
   */
  constructor(key: Uint8Array) {
    if (key.length < 16) {
      throw new RangeError(
        `Cannot construct SipHash24 as the key is too short: current length is ${key.length}`,
      );
    }
    const k00 = le32(key, 0), k01 = le32(key, 4), k10 = le32(key, 8), k11 = le32(key, 12);
    this.#init = new Uint32Array([
      (k00 ^ 0x70736575) >>> 0,
      (k01 ^ 0x736f6d65) >>> 0,
      (k10 ^ 0x6e646f6d) >>> 0,
      (k11 ^ 0x646f7261) >>> 0,
      (k00 ^ 0x6e657261) >>> 0,
      (k01 ^ 0x6c796765) >>> 0,
      (k10 ^ 0x79746573) >>> 0,
      (k11 ^ 0x74656462) >>> 0,
    ]);
  }

  #start(): void {
    const s = this.#init;
    a0 = s[0];
    a1 = s[1];
    b0 = s[2];
    b1 = s[3];
    c0 = s[4];
    c1 = s[5];
    d0 = s[6];
    d1 = s[7];
  }

  #finish(): number {
    c0 = (c0 ^ 0xff) >>> 0;
    sipRound();
    sipRound();
    sipRound();
    sipRound();
    this.hi = (a1 ^ b1 ^ c1 ^ d1) >>> 0;
    return (a0 ^ b0 ^ c0 ^ d0) >>> 0;
  }

  /** Hashes `bytes[0, length)`; returns the low 32 bits and sets {@link SipHash24.hi}. */
  hash(bytes: Uint8Array, length: number = bytes.length): number {
    this.#start();
    const full = length & ~7;
    for (let i = 0; i < full; i += 8) compress(le32(bytes, i), le32(bytes, i + 4));
    let m0 = 0, m1 = (length & 0xff) << 24;
    const rest = length - full;
    for (let j = 0; j < rest; j++) {
      const byte = bytes[full + j];
      if (j < 4) m0 |= byte << (8 * j);
      else m1 |= byte << (8 * (j - 4));
    }
    compress(m0 >>> 0, m1 >>> 0);
    return this.#finish();
  }

  /**
   * Hashes the 16 bytes that are the four words in little-endian order, without a buffer: the same
   * result as {@link SipHash24.hash} of those bytes.
   */
  hashWords(w0: number, w1: number, w2: number, w3: number): number {
    this.#start();
    compress(w0 >>> 0, w1 >>> 0);
    compress(w2 >>> 0, w3 >>> 0);
    compress(0, 16 << 24);
    return this.#finish();
  }
}
