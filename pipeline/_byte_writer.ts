/**
 * A growable byte buffer that takes raw byte ranges and strings, for assembling COPY output without a
 * string per row.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Appends bytes and UTF-8 strings into one buffer. */
export class ByteWriter {
  #buf: Uint8Array;
  #len = 0;

  constructor(capacity = 64 * 1024) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  #ensure(extra: number): void {
    const need = this.#len + extra;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  /** Appends `src[start, end)`. */
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.#ensure(n);
    this.#buf.set(src.subarray(start, end), this.#len);
    this.#len += n;
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = b;
  }

  /** Appends a string as UTF-8. */
  string(s: string): void {
    this.#ensure(s.length * 3);
    this.#len += encoder.encodeInto(s, this.#buf.subarray(this.#len)).written;
  }

  /** The bytes written, as a new array; the writer is reset. */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#len);
    this.#len = 0;
    return out;
  }
}
