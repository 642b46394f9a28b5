/**
 * A keyed permutation of a value's shape: every upper-case letter `A–Z`, lower-case letter `a–z` and
 * digit `0–9` is replaced within its class, every other character stays where it is. The class
 * characters of one shape (`AB-1234-x`: two upper, four digits, one lower, with the dashes) spell a
 * mixed-radix number in `[0, M)`, M the product of their radixes; that number is enciphered by a keyed
 * bijection of `[0, M)`, so distinct inputs of one shape give distinct outputs of the same shape.
 *
 * - M ≤ {@link TABLE_MAX}: a shuffled table of `[0, M)` seeded from the key and the shape.
 * - Larger domains: a Feistel network over the two halves of the class positions, each round adding
 *   (modulo the half's own size) a keyed function of the other half. Addition modulo any size is a
 *   bijection, so the network covers `[0, A) × [0, B)` exactly and never needs cycle walking: halves of
 *   up to 2^52 values are numbers, wider ones (codes of more than ~20 letters) BigInts.
 *
 * The round functions are keyed by the shape too, so `AB-12` and `AB/12` are enciphered independently.
 *
 * @module
 */
import type { Prf } from "./_prf.ts";

/** Domains up to this size are permuted by a shuffled table. */
const TABLE_MAX = 4096;
/** Shapes whose table is kept; a column with more small shapes builds the rest each time. */
const TABLES_KEPT = 256;
const ROUNDS = 8;
const TWO32 = 4294967296;
const TWO52 = 2 ** 52;

/** Radix and first character code of each class: none, upper, lower, digit. */
const RADIX = [1, 26, 26, 10];
const BASE = [0, 65, 97, 48];
const LOG2 = RADIX.map(Math.log2);
/** How a shape names each class, e.g. `AA-9999-a`. */
const CLASS_MARK = ["", "A", "a", "9"];

function classOf(c: number): number {
  if (c >= 65 && c <= 90) return 1;
  if (c >= 97 && c <= 122) return 2;
  if (c >= 48 && c <= 57) return 3;
  return 0;
}

/** A keyed permutation of the values of each shape. */
export class ShapePermutation {
  #prf: Prf;
  #tweak: number;
  #tables = new Map<string, Uint16Array>();
  // Scratch, grown as needed: the class, digit and position of each class character.
  #cls = new Uint8Array(64);
  #digit = new Uint8Array(64);
  #pos = new Uint32Array(64);

  /** @param tweak the first of three consecutive purpose bytes it uses. */
  constructor(prf: Prf, tweak: number) {
    this.#prf = prf;
    this.#tweak = tweak & 0xff;
  }

  /** The image of `value`: same length, each class character replaced within its class. */
  permute(value: string): string {
    const n = value.length;
    if (this.#cls.length < n) {
      this.#cls = new Uint8Array(n);
      this.#digit = new Uint8Array(n);
      this.#pos = new Uint32Array(n);
    }
    const cls = this.#cls, digit = this.#digit, pos = this.#pos;
    // FNV-1a over the shape (class marks and kept characters), mixed into every round's input.
    let sig = 0x811c9dc5, k = 0, size = 1;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      const cl = classOf(c);
      sig = Math.imul(sig ^ (cl === 0 ? c + 4 : cl), 16777619);
      if (cl === 0) continue;
      cls[k] = cl;
      digit[k] = c - BASE[cl];
      pos[k] = i;
      k++;
      size *= RADIX[cl];
    }
    if (k === 0) return value;
    sig >>>= 0;
    if (size <= TABLE_MAX) {
      const table = this.#table(value, size);
      this.#spread(table[this.#number(0, k)], 0, k);
    } else this.#feistel(k, sig);
    return this.#write(value, k);
  }

  /** The mixed-radix number of the class digits `[from, to)`, most significant first. */
  #number(from: number, to: number): number {
    let x = 0;
    for (let i = from; i < to; i++) x = x * RADIX[this.#cls[i]] + this.#digit[i];
    return x;
  }

  /** Writes `x` back as the class digits `[from, to)`. */
  #spread(x: number, from: number, to: number): void {
    for (let i = to - 1; i >= from; i--) {
      const r = RADIX[this.#cls[i]];
      const q = Math.floor(x / r);
      this.#digit[i] = x - q * r;
      x = q;
    }
  }

  #write(value: string, k: number): string {
    let out = "", at = 0;
    for (let j = 0; j < k; j++) {
      const p = this.#pos[j];
      if (p > at) out += value.slice(at, p);
      out += String.fromCharCode(BASE[this.#cls[j]] + this.#digit[j]);
      at = p + 1;
    }
    return at < value.length ? out + value.slice(at) : out;
  }

  /** The shuffled table of a small shape's domain. */
  #table(value: string, size: number): Uint16Array {
    const shape = shapeOf(value);
    let table = this.#tables.get(shape);
    if (table) return table;
    table = new Uint16Array(size);
    for (let i = 0; i < size; i++) table[i] = i;
    const rng = this.#prf.rng(this.#tweak, shape);
    for (let i = size - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const t = table[i];
      table[i] = table[j];
      table[j] = t;
    }
    if (this.#tables.size < TABLES_KEPT) this.#tables.set(shape, table);
    return table;
  }

  /** Enciphers the `k` class digits of a shape too large for a table. */
  #feistel(k: number, sig: number): void {
    // Split where the halves' sizes are closest (both non-empty: size > TABLE_MAX needs ≥ 2 digits),
    // weighing in bits, since the size of a long code is past the doubles' range.
    let bits = 0;
    for (let i = 0; i < k; i++) bits += LOG2[this.#cls[i]];
    let s = 1, low = LOG2[this.#cls[0]];
    while (s < k - 1 && low + LOG2[this.#cls[s]] <= bits / 2) low += LOG2[this.#cls[s++]];
    let a = 1, b = 1;
    for (let i = 0; i < s; i++) a *= RADIX[this.#cls[i]];
    for (let i = s; i < k; i++) b *= RADIX[this.#cls[i]];
    if (a > TWO52 || b > TWO52) {
      this.#feistelBig(s, k, sig);
      return;
    }
    let left = this.#number(0, s), right = this.#number(s, k);
    const prf = this.#prf, tweak = this.#tweak + 1;
    for (let round = 0; round < ROUNDS; round += 2) {
      let lo = prf.words(tweak | (round << 8), right >>> 0, Math.floor(right / TWO32), sig);
      left = (left + ((prf.hi >>> 11) * TWO32 + lo) % a) % a;
      lo = prf.words(tweak | ((round + 1) << 8), left >>> 0, Math.floor(left / TWO32), sig);
      right = (right + ((prf.hi >>> 11) * TWO32 + lo) % b) % b;
    }
    this.#spread(left, 0, s);
    this.#spread(right, s, k);
  }

  /** {@link #feistel} for halves wider than 2^52, in BigInt arithmetic. */
  #feistelBig(s: number, k: number, sig: number): void {
    const big = (from: number, to: number) => {
      let x = 0n, m = 1n;
      for (let i = from; i < to; i++) {
        const r = BigInt(RADIX[this.#cls[i]]);
        x = x * r + BigInt(this.#digit[i]);
        m *= r;
      }
      return [x, m];
    };
    let [left, a] = big(0, s);
    let [right, b] = big(s, k);
    for (let round = 0; round < ROUNDS; round++) {
      const even = round % 2 === 0;
      const f = this.#bigRound(round, even ? right : left, even ? a : b, sig);
      if (even) left = (left + f) % a;
      else right = (right + f) % b;
    }
    const spread = (x: bigint, from: number, to: number) => {
      for (let i = to - 1; i >= from; i--) {
        const r = BigInt(RADIX[this.#cls[i]]);
        this.#digit[i] = Number(x % r);
        x /= r;
      }
    };
    spread(left, 0, s);
    spread(right, s, k);
  }

  /** A keyed value in `[0, m)` from `round` and `x`: 64 bits more than `m` needs, reduced. */
  #bigRound(round: number, x: bigint, m: bigint, sig: number): bigint {
    const prf = this.#prf;
    const seed = prf.string(this.#tweak + 2, `${sig}:${round}:${x}`), seedHi = prf.hi;
    const words = Math.ceil(m.toString(16).length / 8) + 2;
    let f = 0n;
    for (let i = 0; i < words; i += 2) {
      const lo = prf.words((this.#tweak + 2) | (round << 8), seed, seedHi, i);
      f = (f << 64n) | (BigInt(prf.hi >>> 0) << 32n) | BigInt(lo >>> 0);
    }
    return f % m;
  }
}

/** The shape of a value: `A`, `a` or `9` for each class character, other characters as they are. */
export function shapeOf(value: string): string {
  let shape = "";
  for (let i = 0; i < value.length; i++) {
    const cl = classOf(value.charCodeAt(i));
    shape += cl === 0 ? value[i] : CLASS_MARK[cl];
  }
  return shape;
}
