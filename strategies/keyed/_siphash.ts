/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): the keyed pseudo-random function behind every keyed
 * strategy.
 *
 * Why SipHash and not per-value HMAC-SHA256: masking must cost about 100 ns per value, and one
 * HMAC-SHA256 of a short string costs 4 µs or more in Deno whatever the implementation (two SHA-256
 * compressions of 64 rounds each plus the pads). SipHash is a PRF designed for exactly this case
 * (short inputs under a 128-bit secret key, e.g. hash-flooding defence), has a security margin that
 * cryptanalysis since 2012 has not dented, needs only add-rotate-xor on 64-bit words, and spends 2
 * rounds per 8-byte block and 4 to finish. Measured in one Deno process over 30-byte strings,
 * `Prf.string` (tweak byte, UTF-8, SipHash) was 25–30× faster than @noble/hashes HMAC-SHA256 with a
 * pre-keyed clone already when written in JavaScript with 32-bit halves.
 *
 * Why WebAssembly (`_siphash_wasm.ts`): SipHash is 64-bit add-rotate-xor, which JavaScript can only
 * emulate on 32-bit halves (an add with carry and a two-word rotate per step): about 60 ns per 16-byte
 * hash at best, and the largest single cost of the digit strategies (a card number takes 11 hashes).
 * The same function on native i64 costs about 16 ns including the call from JavaScript. One instance
 * serves every key in the thread: each SipHash24 writes its keyed state into the instance's memory
 * when it is not the last one used, so every call site calls the same exported function.
 *
 * Its 64-bit output is a PRF output, not a collision-resistant digest: strategies never rely on it
 * being collision-free, and uniqueness comes from keyed permutations built on it (see
 * `_permutation.ts`). The 128-bit key is the first half of the 32-byte subkey the keyring derives with
 * HMAC-SHA256 for the column's domain.
 *
 * @module
 */

import { DECIMAL_Y, INPUT, RESULT, SIPHASH_MODULE, STATE } from "./_siphash_wasm.ts";

interface SipExports {
  words(w0: number, w1: number, w2: number, w3: number): number;
  bytes(length: number): number;
  feistel(x: number, size: number, lowBits: number, highMask: number, tweak: number, nLo: number): number;
  decimal(x: number, y: number, mx: number, my: number, tweak: number): number;
  memory: WebAssembly.Memory;
}

const sip = new WebAssembly.Instance(SIPHASH_MODULE, {}).exports as unknown as SipExports;
const wasmWords = sip.words, wasmBytes = sip.bytes, wasmFeistel = sip.feistel, wasmDecimal = sip.decimal;
let heap32 = new Int32Array(sip.memory.buffer);
let heap64 = new Float64Array(sip.memory.buffer);
let input = new Uint8Array(sip.memory.buffer, INPUT);
/** Input bytes that fit (the `buffer` getter of a Memory is too slow to ask on every call). */
let room = input.length - 8;
/** The state whose key is in the instance's memory. */
let loaded: Int32Array | null = null;

function le32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** Makes room for `length` input bytes and the 8 zero bytes after them. */
function reserve(length: number): void {
  if (length <= room) return;
  sip.memory.grow(Math.ceil((length - room) / 65536));
  // Growing detaches the old buffer: the views are made anew.
  heap32 = new Int32Array(sip.memory.buffer);
  heap64 = new Float64Array(sip.memory.buffer);
  input = new Uint8Array(sip.memory.buffer, INPUT);
  room = input.length - 8;
  loaded = null;
}

/** SipHash-2-4 under one 128-bit key. The 64-bit result is returned as two unsigned 32-bit halves. */
export class SipHash24 {
  #init: Int32Array;

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
    this.#init = new Int32Array([
      k00 ^ 0x70736575,
      k01 ^ 0x736f6d65,
      k10 ^ 0x6e646f6d,
      k11 ^ 0x646f7261,
      k00 ^ 0x6e657261,
      k01 ^ 0x6c796765,
      k10 ^ 0x79746573,
      k11 ^ 0x74656462,
    ]);
  }

  /**
   * High 32 bits (unsigned) of the last result; the low 32 bits are what each `hash*` call returns.
   * Read it right after the call: it is the last result of any SipHash24 of this thread.
   */
  get hi(): number {
    return heap32[(RESULT >> 2) + 1] >>> 0;
  }

  /**
   * The buffer to write input bytes into for {@link SipHash24.hashInput}, with room for `length` of
   * them: valid until the next call that reserves more.
   */
  input(length: number): Uint8Array {
    reserve(length);
    return input;
  }

  /** Hashes the first `length` bytes of {@link SipHash24.input}; returns the low 32 bits. */
  hashInput(length: number): number {
    // The last block is read as one 64-bit word: the bytes after the input must be zero.
    for (let i = length, end = (length & ~7) + 8; i < end; i++) input[i] = 0;
    this.#load();
    return wasmBytes(length) >>> 0;
  }

  /** Hashes `bytes[0, length)`; returns the low 32 bits (unsigned) and sets {@link SipHash24.hi}. */
  hash(bytes: Uint8Array, length: number = bytes.length): number {
    const buf = this.input(length);
    for (let i = 0; i < length; i++) buf[i] = bytes[i];
    return this.hashInput(length);
  }

  /**
   * Hashes the 16 bytes that are the four words in little-endian order, without a buffer: the same
   * result as {@link SipHash24.hash} of those bytes.
   */
  hashWords(w0: number, w1: number, w2: number, w3: number): number {
    this.#load();
    return wasmWords(w0, w1, w2, w3) >>> 0;
  }

  /**
   * The binary Feistel network of `IntegerPermutation` (`_permutation.ts`) under this key, cycle-walked
   * into `[0, size)`: each of its 8 rounds adds `hashWords(tweak | round << 8, half, nLo, "feis")` to
   * the other half, masked to it. One call instead of a call per round.
   *
   * @param x the point, below `size` (< 2^53).
   * @param lowBits bits of the low half; `highMask` is 2^(high half's bits) − 1.
   */
  feistel(x: number, size: number, lowBits: number, highMask: number, tweak: number, nLo: number): number {
    this.#load();
    return wasmFeistel(x, size, lowBits, highMask, tweak, nLo);
  }

  /**
   * The decimal Feistel network of `DigitPermutation` (`_permutation.ts`) under this key over the halves
   * `x` < `mx` and `y` < `my` (below 2^50): each of its 8 rounds adds the 53-bit number of
   * `hashWords(tweak | round << 8, other half's low and high words, "digi")` to a half, modulo its size.
   * Returns the new `x`; read the new `y` from {@link SipHash24.decimalY} right after.
   */
  decimal(x: number, y: number, mx: number, my: number, tweak: number): number {
    this.#load();
    return wasmDecimal(x, y, mx, my, tweak);
  }

  /** The second half of the last {@link SipHash24.decimal} of this thread. */
  get decimalY(): number {
    return heap64[DECIMAL_Y >> 3];
  }

  #load(): void {
    const init = this.#init;
    if (loaded === init) return;
    const at = STATE >> 2;
    for (let i = 0; i < 8; i++) heap32[at + i] = init[i];
    loaded = init;
  }
}
