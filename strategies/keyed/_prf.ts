/**
 * The keyed pseudo-random function strategies draw from: SipHash-2-4 (see `_siphash.ts`) over a
 * purpose byte (the "tweak", so one key serves independent purposes) and the input, plus a small
 * deterministic generator seeded from one PRF output for strategies that make several choices per
 * value.
 *
 * @module
 */
import { SipHash24 } from "./_siphash.ts";

const encoder = new TextEncoder();

/** A keyed PRF over strings and words. Synchronous and allocation-free (non-ASCII strings aside). */
export class Prf {
  #sip: SipHash24;
  /** High 32 bits of the last result. */
  hi = 0;

  /** @param key the column's 32-byte subkey (its first 16 bytes key SipHash). */
  constructor(key: Uint8Array) {
    this.#sip = new SipHash24(key);
  }

  /** The SipHash under this PRF's key: the keyed permutations run their rounds through it. */
  get sip(): SipHash24 {
    return this.#sip;
  }

  /** PRF of `tweak` (0–255) followed by the UTF-8 bytes of `s`; returns the low 32 bits, sets `hi`. */
  string(tweak: number, s: string): number {
    const n = s.length;
    // Written straight into SipHash's input: ASCII by hand, anything else through encodeInto.
    const buf = this.#sip.input(n * 3 + 1);
    buf[0] = tweak;
    let len = n + 1;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        len = encoder.encodeInto(s, buf.subarray(1, n * 3 + 1)).written + 1;
        break;
      }
      buf[i + 1] = c;
    }
    const lo = this.#sip.hashInput(len);
    this.hi = this.#sip.hi;
    return lo;
  }

  /** PRF of `tweak` and `bytes[start, end)`; returns the low 32 bits, sets `hi`. */
  bytes(tweak: number, bytes: Uint8Array, end: number = bytes.length, start = 0): number {
    const length = end - start;
    const buf = this.#sip.input(length + 1);
    buf[0] = tweak;
    for (let i = 0; i < length; i++) buf[i + 1] = bytes[start + i];
    const lo = this.#sip.hashInput(length + 1);
    this.hi = this.#sip.hi;
    return lo;
  }

  /** PRF of three 32-bit words under `tweak`, with no buffer; returns the low 32 bits, sets `hi`. */
  words(tweak: number, a: number, b: number, c: number): number {
    const lo = this.#sip.hashWords(tweak, a, b, c);
    this.hi = this.#sip.hi;
    return lo;
  }

  /** A generator seeded from the PRF of `tweak` and `s`. */
  rng(tweak: number, s: string): Rng {
    const lo = this.string(tweak, s);
    return new Rng(lo, this.hi);
  }
}

/** An exact 53-bit integer from the two halves of a PRF output. */
export function uint53(lo: number, hi: number): number {
  return (hi >>> 11) * 4294967296 + lo;
}

/**
 * A small fast generator (sfc32) seeded from one 64-bit PRF output, for the several choices one
 * fake value needs. Deterministic, never the global random state.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d = 1;

  constructor(lo: number, hi: number) {
    this.#a = lo | 0;
    this.#b = hi | 0;
    this.#c = (lo ^ 0x9e3779b9) | 0;
    for (let i = 0; i < 8; i++) this.next();
  }

  /** The next unsigned 32-bit value. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** An integer in `[0, n)`, for `n` up to 2^32. */
  below(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }

  /** An integer in `[min, max]`. */
  int(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)];
  }

  /** A string of `n` decimal digits. */
  digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(48 + this.below(10));
    return s;
  }
}
