/**
 * Keyed permutations: the format-preserving schemes behind `unique: true`. Each maps a domain onto
 * itself one-to-one under the column's key, with bounded memory, so distinct inputs give distinct
 * outputs over any number of rows.
 *
 * - {@link IntegerPermutation}: `[0, n)` for any `n` up to 2^52 — an alternating Feistel network over
 *   the smallest power of two ≥ n (its bits split into two near-equal halves, each round adding a
 *   SipHash of one half to the other), and cycle walking back into `[0, n)` (under 2 passes on
 *   average); a shuffled table when `n` ≤ 4096.
 * - {@link Permutation64} and {@link Permutation128}: Feistel networks over 64- and 128-bit words.
 * - {@link DigitPermutation}: decimal strings of any length, keeping the length: up to 15 digits as
 *   one integer permutation, 16–30 digits as a Feistel network over their two decimal halves, longer
 *   ones as overlapping passes of that.
 *
 * @module
 */
import { type Prf, Rng } from "./_prf.ts";

const TABLE_MAX = 4096;
const ROUNDS = 8;
/** A keyed bijection of `[0, n)`. */
export class IntegerPermutation {
  readonly size: number;
  #prf: Prf;
  #tweak: number;
  #table: Uint32Array | null = null;
  #lowBits = 0;
  #highSize = 0;
  #nHi: number;
  #nLo: number;

  /**
   * @param prf the keyed PRF.
   * @param options `size` of the domain (1 to 2^52) and a `tweak` (0–255) separating purposes.
   * @throws {RangeError} when the size is not an integer in range.
   */
  constructor(prf: Prf, options: { size: number; tweak: number }) {
    const n = options.size;
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 52) {
      throw new RangeError(
        `Cannot construct IntegerPermutation as the size is out of range: current value is ${n}`,
      );
    }
    this.size = n;
    this.#prf = prf;
    this.#tweak = options.tweak & 0xff;
    this.#nHi = Math.floor(n / 4294967296);
    this.#nLo = n >>> 0;
    if (n <= TABLE_MAX) {
      const table = new Uint32Array(n);
      for (let i = 0; i < n; i++) table[i] = i;
      const lo = prf.words(0x100 | this.#tweak, this.#nLo, this.#nHi, 0x7461626c);
      const rng = new Rng(lo, prf.hi);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        const t = table[i];
        table[i] = table[j];
        table[j] = t;
      }
      this.#table = table;
    } else {
      const bits = Math.ceil(Math.log2(n));
      this.#lowBits = bits >> 1;
      this.#highSize = 2 ** (bits - this.#lowBits);
    }
  }

  /** The image of `x`, which must be an integer in `[0, size)`. */
  permute(x: number): number {
    if (this.#table !== null) return this.#table[x];
    // Each round adds `words(tweak | nHi << 12 | round << 8, other half, nLo, "feis")`, masked to its
    // half, to one half; the rounds and the cycle walk run in WebAssembly in one call. (Tables of the
    // round values for domains up to 2^32 were slower: eight dependent lookups into up to 1 MiB each.)
    return this.#prf.sip.feistel(
      x,
      this.size,
      this.#lowBits,
      this.#highSize - 1,
      this.#tweak | (this.#nHi << 12),
      this.#nLo,
    );
  }
}

/** A keyed bijection of 64-bit values given as two 32-bit halves; the result is in `lo` and `hi`. */
export class Permutation64 {
  #prf: Prf;
  #tweak: number;
  lo = 0;
  hi = 0;

  constructor(prf: Prf, tweak: number) {
    this.#prf = prf;
    this.#tweak = tweak & 0xff;
  }

  /** Permutes `(hi, lo)`; read the image from `this.hi` and `this.lo`. */
  permute(hi: number, lo: number): void {
    let l = hi >>> 0, r = lo >>> 0;
    for (let round = 0; round < ROUNDS; round++) {
      const t = (l ^ this.#prf.words(this.#tweak | (round << 8) | 0x40000, r, 0, 0x36346269)) >>> 0;
      l = r;
      r = t;
    }
    this.hi = l;
    this.lo = r;
  }
}

/** A keyed bijection of 128-bit values given as four 32-bit words, most significant first. */
export class Permutation128 {
  #prf: Prf;
  #tweak: number;

  constructor(prf: Prf, tweak: number) {
    this.#prf = prf;
    this.#tweak = tweak & 0xff;
  }

  /** The image of `words` (four unsigned 32-bit words, most significant first), as a new array. */
  permute(words: readonly number[]): number[] {
    let l0 = words[0] >>> 0, l1 = words[1] >>> 0, r0 = words[2] >>> 0, r1 = words[3] >>> 0;
    const prf = this.#prf;
    for (let round = 0; round < ROUNDS; round++) {
      const lo = prf.words(this.#tweak | (round << 8) | 0x80000, r0, r1, 0x31323862);
      const t0 = (l0 ^ prf.hi) >>> 0, t1 = (l1 ^ lo) >>> 0;
      l0 = r0;
      l1 = r1;
      r0 = t0;
      r1 = t1;
    }
    return [l0, l1, r0, r1];
  }
}

const SMALL = 15;
const BLOCK = 30;

/** A keyed bijection of decimal digit strings that keeps their length. */
export class DigitPermutation {
  #prf: Prf;
  #tweak: number;
  #byLength = new Map<number, IntegerPermutation>();

  constructor(prf: Prf, tweak: number) {
    this.#prf = prf;
    this.#tweak = tweak;
  }

  /** The integer permutation of `[0, 10^length)`, `length` ≤ 15. */
  of(length: number): IntegerPermutation {
    let p = this.#byLength.get(length);
    if (!p) {
      this.#byLength.set(
        length,
        p = new IntegerPermutation(this.#prf, { size: 10 ** length, tweak: this.#tweak }),
      );
    }
    return p;
  }

  /** The image of a string of ASCII digits, as digits of the same length. */
  permute(digits: string): string {
    const n = digits.length;
    if (n === 0) return digits;
    if (n <= BLOCK) return this.#block(digits);
    // Longer strings: three overlapping passes over 30-digit blocks, each a bijection of the whole.
    let s = this.#block(digits.slice(0, BLOCK)) + digits.slice(BLOCK);
    s = s.slice(0, n - BLOCK) + this.#block(s.slice(n - BLOCK));
    return this.#block(s.slice(0, BLOCK)) + s.slice(BLOCK);
  }

  #block(digits: string): string {
    const n = digits.length;
    if (n <= SMALL) {
      const out = String(this.of(n).permute(Number(digits)));
      return out.length === n ? out : out.padStart(n, "0");
    }
    // 16–30 digits: an alternating Feistel network over the two decimal halves (each ≤ 15 digits),
    // adding a keyed function of one half to the other modulo its size.
    // Each round's function of a half is its hash as a 53-bit number (top 21 bits over the low 32)
    // modulo the other half's size; the 8 rounds run in WebAssembly in one call.
    const a = n >> 1, b = n - a;
    const sip = this.#prf.sip;
    const x = sip.decimal(
      Number(digits.slice(0, a)),
      Number(digits.slice(a)),
      10 ** a,
      10 ** b,
      this.#tweak | (n << 16),
    );
    return String(x).padStart(a, "0") + String(sip.decimalY).padStart(b, "0");
  }
}
