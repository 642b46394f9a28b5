import assert from "node:assert/strict";
import { column as textColumn } from "../strategies/_test_utils.ts";
import { PipelineError, PrivaciError } from "../errors.ts";
import { type CopyChunk, decodeRows, encodeRows } from "../pg/copy_text.ts";
import { keep } from "../strategies/keep.ts";
import { nullStrategy } from "../strategies/null.ts";
import { StrategyParamsError } from "../strategies/errors.ts";
import type { BatchContext, Cell, ColumnInfo, ColumnMasker, StrategyInit } from "../strategies/types.ts";
import { MaskStream } from "./mask_stream.ts";
import { CopyRowStream } from "../pg/copy_rows.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { collectBytes } from "../tests/_bytes.ts";

const TABLE = { schema: "public", table: "customer" };
const enc = new TextEncoder();

function col(column: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return textColumn({ table: "customer", column, ...extra });
}

/** A masker that upper-cases each value (keeps NULL) and records the batches it saw. */
function upper(): ColumnMasker & { batches: { values: Cell[]; firstRow: number }[] } {
  const batches: { values: Cell[]; firstRow: number }[] = [];
  return {
    batches,
    mask(values: readonly Cell[], batch: BatchContext) {
      batches.push({ values: [...values], firstRow: batch.firstRow });
      return values.map((v) => v === null ? null : v.toUpperCase());
    },
  };
}

/** A masker that returns whatever `f` makes of the batch. */
function custom(f: (values: readonly Cell[], batch: BatchContext) => unknown): ColumnMasker {
  return { mask: (values, batch) => f(values, batch) as Cell[] };
}

function pump(stream: MaskStream, chunks: readonly Uint8Array[]): Promise<Uint8Array> {
  return collectBytes(ReadableStream.from(chunks).pipeThrough(new CopyRowStream()).pipeThrough(stream));
}

function initFor(column: ColumnInfo): StrategyInit<Record<string, never>> {
  return {
    params: {},
    column,
    key: null,
    domain: "test",
    unique: false,
    resolve: () => Promise.reject(new Error("not used")),
  };
}

// Rows with escapes, NULLs, the string \N, empty strings and multibyte characters in both columns.
const ROWS: Cell[][] = [
  ["1", "ann@example.com", "héllo"],
  ["2", "tab\there\nnewline\\back", "日本語"],
  ["3", null, "\\N"],
  ["4", "", "😀👩‍👩‍👧"],
  ["5", "ümlaut ß", "\b\f\r\v"],
];

Deno.test("MaskStream() masks rows split across two chunks at every byte offset", async () => {
  const input = encodeRows(ROWS);
  const expected = encodeRows(ROWS.map(([id, a, b]) => [id, a, b === null ? null : b.toUpperCase()]));
  for (let cut = 0; cut <= input.length; cut++) {
    const stream = new MaskStream(TABLE, [
      { column: col("id"), strategy: "keep", masker: null },
      { column: col("email"), strategy: "keep", masker: null },
      { column: col("note"), strategy: "upper", masker: upper() },
    ]);
    const out = await pump(stream, [input.slice(0, cut), input.slice(cut)]);
    assert.deepEqual(out, expected, `cut at byte ${cut}`);
    assert.deepEqual(stream.stats, { rows: ROWS.length, bytesIn: input.length, bytesOut: expected.length });
  }
});

Deno.test("MaskStream() masks rows fed one byte at a time", async () => {
  const input = encodeRows(ROWS);
  const masker = upper();
  const stream = new MaskStream(TABLE, [
    { column: col("id"), strategy: "keep", masker: null },
    { column: col("email"), strategy: "upper", masker },
    { column: col("note"), strategy: "keep", masker: null },
  ]);
  const chunks = Array.from(input, (b) => new Uint8Array([b]));
  const out = await pump(stream, chunks);
  assert.deepEqual(
    decodeRows(out, 3),
    ROWS.map(([id, a, b]) => [id, a === null ? null : a.toUpperCase(), b]),
  );
  // Each complete row was handed over on its own, with its ordinal.
  assert.deepEqual(masker.batches.map((b) => b.firstRow), [1, 2, 3, 4, 5]);
});

Deno.test("MaskStream() cuts inside a multibyte character and inside an escape", async () => {
  const input = encodeRows([["é😀", "a\\b"]]);
  const text = new TextDecoder().decode(input);
  const insideEmoji = enc.encode("é").length + 2; // in the middle of the emoji's four bytes
  const insideEscape = enc.encode(text.slice(0, text.indexOf("\\\\"))).length + 1; // between the two backslashes
  for (const cut of [1, insideEmoji, insideEscape]) {
    const stream = new MaskStream(TABLE, [
      { column: col("a"), strategy: "upper", masker: upper() },
      { column: col("b"), strategy: "upper", masker: upper() },
    ]);
    const out = await pump(stream, [input.slice(0, cut), input.slice(cut)]);
    assert.deepEqual(decodeRows(out, 2), [["É😀", "A\\B"]], `cut at byte ${cut}`);
  }
});

Deno.test("MaskStream() passes a keep-only table through byte for byte, in the same chunks", async () => {
  // Spellings PostgreSQL accepts but would not write itself: decoding and re-encoding would change them.
  const input = enc.encode("\\101\t\\x41\t\\N\n1\t\\z\t😀\n");
  const stream = new MaskStream(TABLE, [
    { column: col("a"), strategy: "keep", masker: null },
    { column: col("b"), strategy: "keep", masker: null },
    { column: col("c"), strategy: "keep", masker: null },
  ]);
  const chunks = [input.slice(0, 5), input.slice(5, 20), input.slice(20)];
  const out = await pump(stream, chunks);
  assert.deepEqual(out, input);
  assert.equal(stream.stats.rows, 2);
});

Deno.test("MaskStream() copies kept columns of a masked table as their raw bytes", async () => {
  const input = enc.encode("\\101\tx\n\\x41\ty\n");
  const out = await pump(
    new MaskStream(TABLE, [
      { column: col("a"), strategy: "keep", masker: null },
      { column: col("b"), strategy: "upper", masker: upper() },
    ]),
    [input],
  );
  assert.equal(new TextDecoder().decode(out), "\\101\tX\n\\x41\tY\n");
});

Deno.test("MaskStream() runs the registry's keep and null maskers", async () => {
  const input = encodeRows(ROWS.map((r) => [r[0], r[1]]));
  const email = col("email");
  const out = await pump(
    new MaskStream(TABLE, [
      { column: col("id"), strategy: "keep", masker: keep.create() },
      { column: email, strategy: "null", masker: nullStrategy.create(initFor(email)) },
    ]),
    [input],
  );
  assert.deepEqual(decodeRows(out, 2), ROWS.map((r) => [r[0], null]));
  const id = col("id", { notNull: true });
  assert.throws(() => nullStrategy.create(initFor(id)), StrategyParamsError);
});

Deno.test("MaskStream() lets a masker read another column of the same batch", async () => {
  const input = encodeRows([["a", "1"], ["b", "2"]]);
  const out = await pump(
    new MaskStream(TABLE, [
      {
        column: col("name"),
        strategy: "x",
        masker: custom((v, b) => v.map((s, i) => `${s}${b.column("n")[i]}`)),
      },
      { column: col("n"), strategy: "keep", masker: null },
    ]),
    [input],
  );
  assert.deepEqual(decodeRows(out, 2), [["a1", "1"], ["b2", "2"]]);
  const bad = new MaskStream(TABLE, [
    { column: col("name"), strategy: "x", masker: custom((_v, b) => b.column("nope")) },
  ]);
  await assert.rejects(pump(bad, [enc.encode("a\n")]), {
    name: "PipelineError",
    code: "STRATEGY_FAILED",
    column: "name",
    strategy: "x",
    row: 1,
  });
});

const SECRET = "s3cret-ann@example.com";

/** Asserts the error is exactly `expected` and holds the secret nowhere. */
async function rejectsWith(
  promise: Promise<unknown>,
  expected: { code: string; message: string; column: string; strategy: string; row: number },
) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof PipelineError, `not a PipelineError: ${e}`);
    assert.deepEqual(
      {
        code: e.code,
        message: e.message,
        column: e.column,
        strategy: e.strategy,
        row: e.row,
        table: e.table,
      },
      { ...expected, table: "public.customer" },
    );
    assert.equal(e.exitCode, 1);
    for (const text of [e.message, e.hint ?? "", JSON.stringify(e), String(e.stack)]) {
      assert.ok(!text.includes(SECRET), `value leaked: ${text}`);
    }
    return true;
  });
}

/** Two chunks: rows 1–3, then rows 4–6; the secret is in row 5. */
function sixRows(): Uint8Array[] {
  const rows: Cell[][] = [["a"], ["b"], ["c"], ["d"], [SECRET], ["f"]];
  return [encodeRows(rows.slice(0, 3)), encodeRows(rows.slice(3))];
}

Deno.test("MaskStream() refuses a masker returning the wrong number of values", async () => {
  const stream = new MaskStream(TABLE, [
    {
      column: col("email"),
      strategy: "short",
      masker: custom((v) => v.includes(SECRET) ? v.slice(1) : v.slice()),
    },
  ]);
  await rejectsWith(pump(stream, sixRows()), {
    code: "STRATEGY_INVALID_OUTPUT",
    message: "Cannot mask public.customer.email with short: it returned 2 values for a batch of 3",
    column: "email",
    strategy: "short",
    row: 4,
  });
});

Deno.test("MaskStream() refuses a masker returning something that is not an array", async () => {
  const stream = new MaskStream(TABLE, [{
    column: col("email"),
    strategy: "obj",
    masker: custom(() => ({})),
  }]);
  await rejectsWith(pump(stream, sixRows()), {
    code: "STRATEGY_INVALID_OUTPUT",
    message: "Cannot mask public.customer.email with obj: it returned object values for a batch of 3",
    column: "email",
    strategy: "obj",
    row: 1,
  });
});

Deno.test("MaskStream() refuses a value that is neither a string nor NULL, naming its row", async () => {
  const stream = new MaskStream(TABLE, [
    { column: col("email"), strategy: "num", masker: custom((v) => v.map((s) => s === SECRET ? 42 : s)) },
  ]);
  await rejectsWith(pump(stream, sixRows()), {
    code: "STRATEGY_INVALID_OUTPUT",
    message:
      "Cannot mask public.customer.email with num: it returned a number at row 5, not a string or null",
    column: "email",
    strategy: "num",
    row: 5,
  });
});

Deno.test("MaskStream() refuses NULL for a NOT NULL column, naming its row", async () => {
  const stream = new MaskStream(TABLE, [
    {
      column: col("email", { notNull: true }),
      strategy: "nulls",
      masker: custom((v) => v.map((s) => s === SECRET ? null : s)),
    },
  ]);
  await rejectsWith(pump(stream, sixRows()), {
    code: "STRATEGY_INVALID_OUTPUT",
    message: "Cannot write NULL into NOT NULL column public.customer.email: nulls produced it at row 5",
    column: "email",
    strategy: "nulls",
    row: 5,
  });
});

Deno.test("MaskStream() refuses a value longer than varchar(n), counting characters not bytes", async () => {
  const vc = col("email", { type: "character varying(3)", baseType: "varchar", maxLength: 3 });
  // Three emoji are six UTF-16 units and twelve bytes, but three characters: they fit.
  const fits = new MaskStream(TABLE, [{
    column: vc,
    strategy: "emoji",
    masker: custom((v) => v.map(() => "😀😀😀")),
  }]);
  assert.equal(decodeRows(await pump(fits, sixRows()), 1).length, 6);
  const stream = new MaskStream(TABLE, [
    { column: vc, strategy: "echo", masker: custom((v) => v.map((s) => s === SECRET ? s : "abc")) },
  ]);
  await rejectsWith(pump(stream, sixRows()), {
    code: "STRATEGY_INVALID_OUTPUT",
    message:
      "Cannot write into public.customer.email as echo produced a value longer than character varying(3) at row 5",
    column: "email",
    strategy: "echo",
    row: 5,
  });
});

Deno.test("MaskStream() wraps a masker's own failure without its message", async () => {
  const stream = new MaskStream(TABLE, [
    {
      column: col("email"),
      strategy: "boom",
      masker: custom((v) => {
        if (v.includes(SECRET)) throw new Error(`cannot handle ${SECRET}`);
        return v.slice();
      }),
    },
  ]);
  await rejectsWith(pump(stream, sixRows()), {
    code: "STRATEGY_FAILED",
    message: "Cannot mask public.customer.email with boom: the strategy failed in the batch from row 4",
    column: "email",
    strategy: "boom",
    row: 4,
  });
  const coded = new MaskStream(TABLE, [
    {
      column: col("email"),
      strategy: "keyed",
      masker: custom(() => Promise.reject(new PrivaciError("KEY_MISSING", "no key"))),
    },
  ]);
  await assert.rejects(pump(coded, sixRows()), { name: "PipelineError", code: "KEY_MISSING", row: 1 });
});

Deno.test("MaskStream() refuses rows with the wrong number of fields", async () => {
  const two = [
    { column: col("a"), strategy: "upper", masker: upper() },
    { column: col("b"), strategy: "keep", masker: null },
  ];
  await assert.rejects(pump(new MaskStream(TABLE, two), [enc.encode("x\ty\nz\n")]), {
    name: "PipelineError",
    code: "PG_COPY",
    table: "public.customer",
    row: 1,
    message:
      "Cannot read the source rows of public.customer: Cannot parse COPY data as row 2 has the wrong number of fields: expected 2, found 1",
  });
});

Deno.test("MaskStream() refuses an empty column list", () => {
  assert.throws(() => new MaskStream(TABLE, [] as MaskedColumn[]), {
    name: "RangeError",
    message: "Cannot construct MaskStream as the column list is empty: current value is 0",
  });
});

Deno.test("MaskStream() applies backpressure: it reads no further than the consumer", async () => {
  const chunks = Array.from({ length: 50 }, (_, i) => encodeRows([[String(i)]]));
  let pulled = 0;
  const source = new ReadableStream<CopyChunk>({
    pull(controller) {
      if (pulled === chunks.length) return controller.close();
      controller.enqueue({ bytes: chunks[pulled++], rows: 1 });
    },
  }, { highWaterMark: 0 });
  const masker = upper();
  const reader = source.pipeThrough(new MaskStream(TABLE, [{ column: col("n"), strategy: "u", masker }]))
    .getReader();
  await reader.read();
  await new Promise((r) => setTimeout(r, 20));
  // One chunk delivered, at most a few in the stream's queues; never the whole source.
  assert.ok(pulled <= 4, `pulled ${pulled} of ${chunks.length} chunks`);
  await reader.cancel();
});
