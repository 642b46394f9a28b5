/**
 * An injective keyed encoding of any string: the suffix that makes a realistic fake value unique.
 *
 * The input's UTF-8 bytes plus one `0x80` pad byte are enciphered by a length-preserving keyed
 * permutation (a 4-round Feistel network over the two byte halves — a strong pseudo-random permutation
 * by Luby–Rackoff — with SipHash of one half, extended in counter mode, as the round function; a shuffled table for one byte), then written in unpadded lowercase base32. Distinct
 * inputs give distinct ciphertexts, and base32 is injective across lengths too (⌈8n/5⌉ grows with n),
 * so distinct inputs always give distinct tokens. The token holds no readable trace of the input but
 * its length, and uses only `a–z2–7`, so it can be split off after any separator outside that set.
 *
 * @module
 */
import { IntegerPermutation } from "./_permutation.ts";
import type { Prf } from "./_prf.ts";

const encoder = new TextEncoder();
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const ROUNDS = 4;

/** Keyed injective tokens for one column. */
export class InjectiveToken {
  #prf: Prf;
  #tweak: number;
  #one: IntegerPermutation;
  #buf = new Uint8Array(256);

  /** @param tweak the first of four consecutive purpose bytes the rounds use. */
  constructor(prf: Prf, tweak: number) {
    this.#prf = prf;
    this.#tweak = tweak & 0xff;
    this.#one = new IntegerPermutation(prf, { size: 256, tweak: this.#tweak });
  }

  /** The token of `input`: distinct inputs always give distinct tokens. */
  encode(input: string): string {
    return base32(this.#buf, this.#encipherInto(input));
  }

  /**
   * The enciphered, padded bytes of `input` (one byte longer than its UTF-8 form), as a view of a
   * buffer the next call reuses.
   */
  encipher(input: string): Uint8Array {
    return this.#buf.subarray(0, this.#encipherInto(input));
  }

  /** Writes the enciphered, padded bytes of `input` to the start of `#buf`; returns their count. */
  #encipherInto(input: string): number {
    const len = input.length;
    if (this.#buf.length < len * 3 + 1) this.#buf = new Uint8Array(len * 3 + 64);
    const buf = this.#buf;
    // ASCII is copied by hand: encodeInto allocates its result object on every call.
    let n = len;
    for (let i = 0; i < len; i++) {
      const c = input.charCodeAt(i);
      if (c >= 0x80) {
        n = encoder.encodeInto(input, buf).written;
        break;
      }
      buf[i] = c;
    }
    buf[n] = 0x80;
    this.#encipher(buf, n + 1);
    return n + 1;
  }

  /** The length of the token of a string whose UTF-8 form has `bytes` bytes. */
  static lengthFor(bytes: number): number {
    return Math.ceil(((bytes + 1) * 8) / 5);
  }

  /** Enciphers `b[0, n)` in place. */
  #encipher(b: Uint8Array, n: number): void {
    if (n === 1) {
      b[0] = this.#one.permute(b[0]);
      return;
    }
    const h = n >> 1;
    const prf = this.#prf;
    for (let round = 0; round < ROUNDS; round++) {
      // Even rounds mix the right half into the left, odd rounds the left into the right.
      const even = round % 2 === 0;
      const from = even ? h : 0, fromEnd = even ? n : h;
      const to = even ? 0 : h, toEnd = even ? h : n;
      const seed = prf.bytes((this.#tweak + round) & 0xff, b, fromEnd, from);
      const seedHi = prf.hi;
      for (let i = to, counter = 0; i < toEnd; counter++) {
        // The first 8 keystream bytes are the round's PRF output itself; more come in counter mode.
        const lo = counter === 0
          ? seed
          : prf.words(0x200 | this.#tweak | (round << 12), seed, seedHi, counter);
        const hi = counter === 0 ? seedHi : prf.hi;
        for (let k = 0; k < 8 && i < toEnd; k++, i++) {
          b[i] ^= (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
        }
      }
    }
  }
}

const CODES: readonly number[] = Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** Unpadded lowercase base32 (RFC 4648 alphabet) of `bytes[0, length)`. */
export function base32(bytes: Uint8Array, length: number = bytes.length): string {
  // Each 5 bytes make 8 characters in one fromCharCode call: appending one character at a time
  // built a chain of some 30 cons-string nodes per token (a third of fake.email's unique time went
  // to the collector), and one fromCharCode.apply over all the codes was slower than this.
  const C = CODES;
  let out = "", i = 0;
  for (; i + 5 <= length; i += 5) {
    const b0 = bytes[i], b1 = bytes[i + 1], b2 = bytes[i + 2], b3 = bytes[i + 3], b4 = bytes[i + 4];
    out += String.fromCharCode(
      C[b0 >> 3],
      C[((b0 & 7) << 2) | (b1 >> 6)],
      C[(b1 >> 1) & 31],
      C[((b1 & 1) << 4) | (b2 >> 4)],
      C[((b2 & 15) << 1) | (b3 >> 7)],
      C[(b3 >> 2) & 31],
      C[((b3 & 3) << 3) | (b4 >> 5)],
      C[b4 & 31],
    );
  }
  let acc = 0, bits = 0;
  for (; i < length; i++) {
    acc = ((acc << 8) | bytes[i]) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}
