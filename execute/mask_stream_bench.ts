/**
 * `deno bench execute/mask_stream_bench.ts`: the masking stage alone, on 100k synthetic customer rows
 * (16 columns) in 256 KiB chunks — keep-all pass-through, and 8 columns through a trivial masker, which
 * isolates the cost of decoding, checking and re-encoding from any strategy's own work; then the same with
 * one more column that reads its row (a `when:` switch, masked values of other columns).
 */
import { MaskStream } from "./mask_stream.ts";
import { column as textColumn } from "../strategies/_test_utils.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import type { BatchContext, Cell, ColumnInfo } from "../strategies/types.ts";
import { compileCondition, switchMasker } from "../plan/when.ts";
import { type CopyChunk, countRows } from "../pg/copy_text.ts";

const ROWS = 100_000;
const COLS = 16;
const enc = new TextEncoder();
const lines: string[] = [];
for (let i = 0; i < ROWS; i++) {
  const row = [
    String(i),
    `First${i % 977}`,
    `Last${i % 1409}`,
    `user${i}@example.com`,
    `+1 415 555 ${i % 10000}`,
  ];
  while (row.length < COLS) {
    row.push(row.length === 15 ? "a note with a \\t tab and ünïcödé" : `value ${row.length} ${i}`);
  }
  lines.push(row.join("\t"));
}
const payload = enc.encode(lines.join("\n") + "\n");
const chunks: CopyChunk[] = [];
for (let off = 0; off < payload.length;) {
  let end = Math.min(off + 256 * 1024, payload.length);
  end = payload.lastIndexOf(0x0a, end - 1) + 1;
  chunks.push({ bytes: payload.subarray(off, end), rows: countRows(payload, end) - countRows(payload, off) });
  off = end;
}

function column(i: number): ColumnInfo {
  return textColumn({ table: "customers", column: `c${i}`, ordinal: i + 1 });
}

const upper = { mask: (v: readonly Cell[]) => v.map((x) => (x === null ? null : x.toUpperCase())) };

async function drive(columns: MaskedColumn[]): Promise<number> {
  const stream = new MaskStream({ schema: "public", table: "customers" }, columns);
  const source = ReadableStream.from(chunks);
  let bytes = 0;
  await source.pipeThrough(stream).pipeTo(new WritableStream({ write: (c) => void (bytes += c.length) }));
  return bytes;
}

Deno.bench("MaskStream keep-all, 100k rows x 16 columns", async () => {
  await drive(
    Array.from({ length: COLS }, (_, i) => ({ column: column(i), strategy: "keep", masker: null })),
  );
});

Deno.bench("MaskStream 8 of 16 columns masked, 100k rows", async () => {
  await drive(
    Array.from({ length: COLS }, (_, i) => ({
      column: column(i),
      strategy: i % 2 === 1 ? "upper" : "keep",
      masker: i % 2 === 1 ? upper : null,
    })),
  );
});

// Row-aware rules: the same 8 plain columns, plus one column that reads its row. Compared with the case
// above, the difference is that column's own work; the plain columns must not get slower.
const lower = { mask: (v: readonly Cell[]) => v.map((x) => (x === null ? null : x.toLowerCase())) };

Deno.bench(
  "MaskStream 8 of 16 masked + 1 when: column (first name starts with First1), 100k rows",
  async () => {
    const when = switchMasker([{
      when: compileCondition({ column: "c1", matches: "^First1" }),
      masker: upper,
    }], lower);
    await drive(
      Array.from({ length: COLS }, (_, i) => ({
        column: column(i),
        strategy: i === 14 ? "when" : i % 2 === 1 ? "upper" : "keep",
        masker: i === 14 ? when : i % 2 === 1 ? upper : null,
      })),
    );
  },
);

Deno.bench("MaskStream 8 of 16 masked + 1 column from 2 masked columns of its row, 100k rows", async () => {
  const joined = {
    readsMasked: ["c1", "c3"],
    mask(v: readonly Cell[], batch: BatchContext) {
      const [a, b] = [batch.masked!("c1"), batch.masked!("c3")];
      return v.map((_, r) => `${a[r]}.${b[r]}`);
    },
  };
  await drive(
    Array.from({ length: COLS }, (_, i) => ({
      column: column(i),
      strategy: i === 14 ? "row" : i % 2 === 1 ? "upper" : "keep",
      masker: i === 14 ? joined : i % 2 === 1 ? upper : null,
    })),
  );
});
