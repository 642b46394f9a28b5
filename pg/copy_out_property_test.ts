/**
 * Properties of the COPY OUT splitter: however the socket cuts the backend's bytes (inside headers, inside
 * multibyte characters, one byte at a time), whenever rows are taken and whatever its buffer size, it
 * gives back exactly the rows' bytes and passes every other message on unchanged and in order.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { CopyOutSplitter } from "./copy_out.ts";
import { concatBytes } from "../tests/_bytes.ts";
import { propertyParams } from "../tests/_random.ts";

const enc = new TextEncoder();

/** One backend message: type byte, 32-bit length (itself included), body. */
function message(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setUint32(1, body.length + 4);
  out.set(body, 5);
  return out;
}

/** A row as PostgreSQL sends it: one CopyData message of COPY text ending in a newline. */
const row = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "\t", "\\N", "é", "日", "😀", "\\n"), maxLength: 12 }).map((s) =>
    enc.encode(s + "\n")
  ),
  fc.uint8Array({ maxLength: 20 }).map((b) =>
    concatBytes([b.map((x) => x === 0x0a ? 0x20 : x), enc.encode("\n")])
  ),
);

/** A message PostgreSQL may send in the middle of a COPY: a notice or a parameter status. */
const other = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => message("N", enc.encode(`SNOTICE\0M${s}\0\0`))),
  fc.string({ maxLength: 10 }).map((s) => message("S", enc.encode(`application_name\0${s}\0`))),
);

/** A COPY OUT exchange: response, rows with other messages between them, CopyDone, completion. */
const exchange = fc.array(fc.tuple(row, fc.option(other, { freq: 4 })), { maxLength: 30 }).map((items) => {
  const before = message("H", new Uint8Array([0, 0, 2, 0, 0, 0, 0]));
  const after = [
    message("c", new Uint8Array()),
    message("C", enc.encode("COPY 3\0")),
    message("Z", enc.encode("I")),
  ];
  const wire = concatBytes([
    before,
    ...items.flatMap(([r, o]) => [message("d", r), ...(o ? [o] : [])]),
    ...after,
  ]);
  return {
    wire,
    rows: concatBytes(items.map(([r]) => r)),
    rowCount: items.length,
    others: concatBytes([before, ...items.flatMap(([, o]) => o ? [o] : []), ...after]),
    copyDoneEnd: wire.length - after[1].length - after[2].length,
  };
});

Deno.test("CopyOutSplitter gives the same rows and passed-on bytes however the stream is cut and read", () => {
  const input = exchange.chain((ex) =>
    fc.record({
      ex: fc.constant(ex),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, ex.wire.length - 1) }), { maxLength: 40 }),
      takeAfter: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      capacity: fc.integer({ min: 1, max: 64 }),
    })
  );
  fc.assert(
    fc.property(input, ({ ex, cuts, takeAfter, capacity }) => {
      const passed: Uint8Array[] = [];
      const rows: Uint8Array[] = [];
      let rowsCounted = 0;
      const s = new CopyOutSplitter((b) => passed.push(b.slice()), capacity);
      const take = () => {
        const { bytes, rows: counted } = s.take();
        assert.equal(
          bytes.length === 0 || bytes[bytes.length - 1] === 0x0a,
          true,
          "only whole rows are taken",
        );
        rowsCounted += counted;
        rows.push(bytes.slice());
      };
      let from = 0;
      let doneAt = -1;
      [...cuts.sort((a, b) => a - b), ex.wire.length].forEach((cut, i) => {
        if (cut <= from) return;
        const piece = ex.wire.slice(from, cut);
        if (doneAt === -1) {
          const at = s.feed(piece);
          if (s.done) doneAt = from + at;
          if (takeAfter[i % takeAfter.length]) take();
        } else {
          passed.push(piece);
        }
        from = cut;
      });
      take();
      assert.equal(s.done, true);
      assert.equal(doneAt, ex.copyDoneEnd);
      assert.deepEqual(concatBytes(rows), ex.rows);
      assert.deepEqual(concatBytes(passed), ex.others);
      assert.equal(rowsCounted, ex.rowCount);
    }),
    propertyParams(300),
  );
});
