/**
 * Properties of the COPY text codec: any rows survive encode then decode, any spelling PostgreSQL accepts
 * for a field's bytes decodes to those bytes (or is refused as not UTF-8), and the field index gives
 * every field's raw bytes back, which is how kept columns are copied.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  countRows,
  decodeColumn,
  decodeField,
  decodeRows,
  decodeText,
  encodeColumn,
  encodeField,
  encodeRows,
  indexFields,
} from "./copy_text.ts";
import { propertyParams } from "../tests/_random.ts";
import type { Cell } from "../core/column.ts";

/** Characters the format treats specially, and ones that look like escapes once a backslash precedes them. */
const TRICKY = [
  "\\",
  "\\N",
  "N",
  "\t",
  "\n",
  "\r",
  "\b",
  "\f",
  "\v",
  "\0",
  "\x01",
  "\x7f",
  "x",
  "0",
  "7",
  "8",
  "a",
  "é",
  "😀",
  "👩‍👩‍👧",
  "\u{10ffff}",
];

/** Any string of Unicode scalar values, biased towards the format's special characters. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...TRICKY),
    fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 24,
});

/** A bytea value as PostgreSQL spells it in text (`\x` and hex digits), NUL bytes included. */
const bytea = fc.uint8Array({ maxLength: 12 }).map((b) =>
  "\\x" + [...b].map((x) => x.toString(16).padStart(2, "0")).join("")
);

const cell: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: bytea },
  { weight: 1, arbitrary: fc.constant(null) },
);

const rows = fc.integer({ min: 1, max: 6 }).chain((columns) =>
  fc.tuple(
    fc.constant(columns),
    fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { maxLength: 8 }),
  )
);

Deno.test("encodeRows() then decodeRows() gives back any rows of any values", () => {
  fc.assert(
    fc.property(rows, ([columns, data]) => {
      const bytes = encodeRows(data);
      assert.equal(countRows(bytes), data.length);
      assert.deepEqual(decodeRows(bytes, columns), data);
    }),
    propertyParams(400),
  );
});

Deno.test("decodeColumn() gives each column of any rows, and encodeColumn() spells it as encodeField() does, a line each", () => {
  const enc = new TextEncoder();
  fc.assert(
    fc.property(rows, ([columns, data]) => {
      const bytes = encodeRows(data);
      const offsets = new Int32Array(data.length * columns * 2);
      indexFields(bytes, bytes.length, columns, offsets);
      for (let index = 0; index < columns; index++) {
        const values = data.map((r) => r[index]);
        assert.deepEqual(decodeColumn(bytes, offsets, { rows: data.length, columns, index }), values);
        const lines = values.flatMap((v) => [...enc.encode(encodeField(v) + "\n")]);
        assert.deepEqual(encodeColumn(values), new Uint8Array(lines));
      }
    }),
    propertyParams(400),
  );
});

Deno.test("encodeField() never writes a raw tab, newline or carriage return, and decodeText() reads it back", () => {
  fc.assert(
    fc.property(cell, (value) => {
      const spelled = encodeField(value);
      assert.ok(!/[\t\n\r]/.test(spelled));
      assert.equal(decodeText(spelled), value);
    }),
    propertyParams(1000),
  );
});

const TAB = 0x09, NL = 0x0a, BS = 0x5c;
/** Letters that have a meaning after a backslash, so cannot spell themselves that way. */
const ESCAPE_LETTERS = new Set([..."bfnrtvxN01234567"].map((c) => c.charCodeAt(0)));
const SIMPLE: Record<number, string> = { 8: "b", 12: "f", 10: "n", 13: "r", 9: "t", 11: "v", 92: "\\" };

/** One way of spelling a byte in a COPY text field, as `COPY FROM` accepts it. */
type Spelling = "raw" | "octal" | "hex" | "simple" | "self";

/** Spells `bytes` as a field, byte by byte with the given spellings (an impossible one falls back to octal). */
function spell(bytes: Uint8Array, how: readonly Spelling[]): Uint8Array {
  const out: number[] = [];
  const ascii = (s: string) => out.push(...[...s].map((c) => c.charCodeAt(0)));
  bytes.forEach((b, i) => {
    const h = how[i % how.length];
    if (h === "raw" && b !== TAB && b !== NL && b !== BS) out.push(b);
    else if (h === "hex") ascii("\\x" + b.toString(16).padStart(2, "0"));
    else if (h === "simple" && SIMPLE[b] !== undefined) ascii("\\" + SIMPLE[b]);
    else if (h === "self" && b !== TAB && b !== NL && !ESCAPE_LETTERS.has(b)) out.push(BS, b);
    else ascii("\\" + b.toString(8).padStart(3, "0"));
  });
  return new Uint8Array(out);
}

/** Field bytes: arbitrary (often not UTF-8), or the UTF-8 of arbitrary text. */
const fieldBytes = fc.oneof(
  fc.uint8Array({ maxLength: 16 }),
  text.map((s) => new TextEncoder().encode(s)),
);
const spellings = fc.array(fc.constantFrom<Spelling>("raw", "octal", "hex", "simple", "self"), {
  minLength: 1,
  maxLength: 8,
});

Deno.test("decodeField() reads every spelling of any bytes as their UTF-8 text, and refuses bytes that are not UTF-8", () => {
  const strict = new TextDecoder("utf-8", { fatal: true });
  fc.assert(
    fc.property(fieldBytes, spellings, (bytes, how) => {
      const field = spell(bytes, how);
      let want: string | TypeError;
      try {
        want = strict.decode(bytes);
      } catch (e) {
        want = e as TypeError;
      }
      if (want instanceof TypeError) assert.throws(() => decodeField(field, 0, field.length), TypeError);
      else assert.equal(decodeField(field, 0, field.length), want);
    }),
    propertyParams(1000),
  );
});

Deno.test("indexFields() finds every field's raw bytes in rows of any spelled bytes, UTF-8 or not", () => {
  const row = (columns: number) =>
    fc.array(fc.tuple(fieldBytes, spellings), { minLength: columns, maxLength: columns });
  const table = fc.integer({ min: 1, max: 5 }).chain((columns) =>
    fc.tuple(fc.constant(columns), fc.array(row(columns), { maxLength: 6 }))
  );
  fc.assert(
    fc.property(table, ([columns, data]) => {
      const fields = data.map((r) => r.map(([b, how]) => spell(b, how)));
      const parts: number[] = [];
      for (const r of fields) {
        r.forEach((f, i) => parts.push(...f, i + 1 < r.length ? TAB : NL));
      }
      const buf = new Uint8Array(parts);
      const offsets = new Int32Array(data.length * columns * 2);
      assert.equal(indexFields(buf, buf.length, columns, offsets), data.length);
      const got = fields.map((r, ri) =>
        r.map((_, ci) => buf.slice(offsets[(ri * columns + ci) * 2], offsets[(ri * columns + ci) * 2 + 1]))
      );
      assert.deepEqual(got, fields);
    }),
    propertyParams(400),
  );
});
