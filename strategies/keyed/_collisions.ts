/**
 * The collision check behind short unique values (`fake.email` and `fake.username` with
 * `unique_suffix: digits`): such values are unique with high probability, not by construction, so
 * every value a masker writes is remembered by a keyed 63-bit fingerprint of the output and a 32-bit
 * fingerprint of the input. The same output from another input is a collision, which the masker turns
 * into an error naming the column: a duplicate is never written silently.
 *
 * The fingerprints live in an open-addressing table of three `Uint32Array` columns (12 bytes a slot,
 * at most half full, doubled as it fills), so memory is bounded: {@link MAX_CHECKED} distinct values
 * take 24 MiB and no object per value; more are refused. A false
 * alarm needs two outputs with equal 63-bit fingerprints (about 1 in 10^7 over a million values), and
 * a missed collision two colliding inputs with equal 32-bit fingerprints as well.
 *
 * @module
 */
import type { Prf } from "./_prf.ts";

/** The most distinct values one check remembers (a table of at most 2^21 slots, 24 MiB). */
export const MAX_CHECKED = 2 ** 20;

const FIRST_SLOTS = 4096;

/** What {@link CollisionCheck.add} found. */
export type CheckResult = "new" | "seen" | "collision" | "full";

/** Remembers outputs and the inputs that gave them, by keyed fingerprints. */
export class CollisionCheck {
  #prf: Prf;
  #tweak: number;
  #lo = new Uint32Array(FIRST_SLOTS);
  #hi = new Uint32Array(FIRST_SLOTS);
  #input = new Uint32Array(FIRST_SLOTS);
  #count = 0;

  /** @param tweak the first of two consecutive purpose bytes it uses. */
  constructor(prf: Prf, tweak: number) {
    this.#prf = prf;
    this.#tweak = tweak & 0xff;
  }

  /** Distinct outputs remembered. */
  get size(): number {
    return this.#count;
  }

  /**
   * Records that `input` gave `output`: `new` the first time, `seen` when the same input gave it
   * before, `collision` when another input did, `full` when {@link MAX_CHECKED} values are already
   * remembered (nothing recorded).
   */
  add(output: string, input: string): CheckResult {
    const lo = this.#prf.string(this.#tweak, output);
    // The high word is never 0, so a slot whose high word is 0 is empty.
    const hi = (this.#prf.hi | 1) >>> 0;
    const fp = this.#prf.string(this.#tweak + 1, input) >>> 0;
    const mask = this.#lo.length - 1;
    for (let at = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;; at = (at + 1) & mask) {
      if (this.#hi[at] === 0) {
        if (this.#count >= MAX_CHECKED) return "full";
        this.#lo[at] = lo >>> 0;
        this.#hi[at] = hi;
        this.#input[at] = fp;
        if (++this.#count * 2 > this.#lo.length) this.#grow();
        return "new";
      }
      if (this.#lo[at] === lo >>> 0 && this.#hi[at] === hi) {
        return this.#input[at] === fp ? "seen" : "collision";
      }
    }
  }

  /** Forgets every value. */
  clear(): void {
    this.#lo = new Uint32Array(FIRST_SLOTS);
    this.#hi = new Uint32Array(FIRST_SLOTS);
    this.#input = new Uint32Array(FIRST_SLOTS);
    this.#count = 0;
  }

  #grow(): void {
    const [lo, hi, input] = [this.#lo, this.#hi, this.#input];
    const size = lo.length * 2, mask = size - 1;
    this.#lo = new Uint32Array(size);
    this.#hi = new Uint32Array(size);
    this.#input = new Uint32Array(size);
    for (let i = 0; i < lo.length; i++) {
      if (hi[i] === 0) continue;
      let at = (lo[i] ^ Math.imul(hi[i], 0x9e3779b1)) & mask;
      while (this.#hi[at] !== 0) at = (at + 1) & mask;
      this.#lo[at] = lo[i];
      this.#hi[at] = hi[i];
      this.#input[at] = input[i];
    }
  }
}
