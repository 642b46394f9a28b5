/**
 * Property of the masking stage: however the source's bytes are cut into chunks (inside rows, escapes and
 * multibyte characters), the target gets the same rows, each kept column byte for byte and each masked
 * column masked once per row, in order.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { column as textColumn } from "../strategies/_test_utils.ts";
import { encodeField, encodeRows } from "../pg/copy_text.ts";
import type { Cell, ColumnMasker } from "../strategies/types.ts";
import { CopyRowStream } from "../pg/copy_rows.ts";
import { MaskStream } from "./mask_stream.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { collectBytes } from "../tests/_bytes.ts";
import { propertyParams } from "../tests/_random.ts";

const TABLE = { schema: "public", table: "t" };

/** Masks a value by reversing its code points and tagging it with its row: order and row count show. */
function reverser(): ColumnMasker {
  return {
    mask: (values, batch) =>
      values.map((v, i) => v === null ? null : `${batch.firstRow + i}:${[...v].reverse().join("")}`),
  };
}

const value: fc.Arbitrary<Cell> = fc.option(
  fc.string({
    unit: fc.oneof(
      fc.constantFrom("\\", "\\N", "\t", "\n", "\r", "é", "😀", "日"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => c !== "\0"),
    ),
    maxLength: 10,
  }),
  { freq: 6 },
);

const input = fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }).chain((masked) =>
  fc.array(fc.array(value, { minLength: masked.length, maxLength: masked.length }), { maxLength: 12 }).chain((
    rows,
  ) => {
    const length = encodeRows(rows).length;
    return fc.record({
      masked: fc.constant(masked),
      rows: fc.constant(rows),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 30 }),
    });
  })
);

Deno.test("MaskStream() gives the same rows however the source's bytes are cut", async () => {
  await fc.assert(
    fc.asyncProperty(input, async ({ masked, rows, cuts }) => {
      const bytes = encodeRows(rows);
      const bounds = [0, ...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length];
      const chunks = bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
      const columns: MaskedColumn[] = masked.map((m, i) => ({
        column: textColumn({ column: `c${i}`, ordinal: i + 1 }),
        strategy: m ? "reverse" : "keep",
        masker: m ? reverser() : null,
      }));
      const stream = new MaskStream(TABLE, columns);
      const out = await collectBytes(
        ReadableStream.from(chunks).pipeThrough(new CopyRowStream()).pipeThrough(stream),
      );
      const want = rows.map((r, ri) =>
        r.map((v, ci) =>
          masked[ci] && v !== null ? encodeField(`${ri + 1}:${[...v].reverse().join("")}`) : encodeField(v)
        ).join("\t") + "\n"
      ).join("");
      assert.equal(new TextDecoder().decode(out), want);
      assert.equal(stream.stats.rows, rows.length);
      assert.equal(stream.stats.bytesIn, bytes.length);
    }),
    propertyParams(200),
  );
});
