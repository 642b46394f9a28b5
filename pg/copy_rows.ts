/**
 * Cuts COPY text bytes, split anywhere (a Node stream, a test), into chunks of whole rows with their
 * row count, the shape the source reader hands on.
 *
 * @module
 */
import { type CopyChunk, countRows } from "./copy_text.ts";

const NL = 0x0a;

/** Bytes in, {@link CopyChunk}s of whole rows out; the part of a row at a chunk's end waits for the next. */
export class CopyRowStream extends TransformStream<Uint8Array, CopyChunk> {
  constructor() {
    let carry: Uint8Array | null = null;
    super({
      transform(chunk, controller) {
        let data = chunk;
        if (carry !== null) {
          data = new Uint8Array(carry.length + chunk.length);
          data.set(carry);
          data.set(chunk, carry.length);
          carry = null;
        }
        const last = data.lastIndexOf(NL);
        if (last + 1 < data.length) carry = data.slice(last + 1);
        if (last === -1) return;
        const bytes = last + 1 === data.length ? data : data.subarray(0, last + 1);
        controller.enqueue({ bytes, rows: countRows(bytes) });
      },
      flush() {
        if (carry !== null) throw new SyntaxError("Cannot parse COPY data as the stream ended inside a row");
      },
    });
  }
}
