import assert from "node:assert/strict";
import { countRows, decodeField, decodeRows, encodeField, encodeRows, indexFields } from "./copy_text.ts";

const enc = new TextEncoder();

/** Decodes a whole field written as COPY text (given as a JS string of its bytes' UTF-8 spelling). */
function field(copyText: string): string | null {
  const b = enc.encode(copyText);
  return decodeField(b, 0, b.length);
}

/** Decodes a field given as raw bytes. */
function fieldBytes(bytes: number[]): string | null {
  const b = new Uint8Array(bytes);
  return decodeField(b, 0, b.length);
}

Deno.test("decodeField() turns every single-letter escape into its control character", () => {
  assert.equal(field("\\b"), "\b");
  assert.equal(field("\\f"), "\f");
  assert.equal(field("\\n"), "\n");
  assert.equal(field("\\r"), "\r");
  assert.equal(field("\\t"), "\t");
  assert.equal(field("\\v"), "\v");
  assert.equal(field("\\\\"), "\\");
  assert.equal(field("a\\tb\\nc\\\\d"), "a\tb\nc\\d");
});

Deno.test("decodeField() reads octal escapes of one to three digits", () => {
  assert.equal(field("\\101"), "A");
  assert.equal(field("\\7"), "\x07");
  assert.equal(field("\\07"), "\x07");
  assert.equal(field("\\0101"), "\x081"); // at most three digits: \010 then "1"
  assert.equal(field("\\18"), "\x018"); // 8 is not an octal digit
  assert.equal(field("x\\101y"), "xAy");
  // Octal escapes spell bytes: two of them make one UTF-8 character.
  assert.equal(field("\\303\\251"), "é");
});

Deno.test("decodeField() reads hex escapes of one or two digits", () => {
  assert.equal(field("\\x41"), "A");
  assert.equal(field("\\x4"), "\x04");
  assert.equal(field("\\x4g"), "\x04g");
  assert.equal(field("\\x414"), "A4"); // at most two digits
  assert.equal(field("\\x4a"), "J");
  assert.equal(field("\\x4A"), "J");
  assert.equal(field("\\xc3\\xa9"), "é");
  // `\x` with no hex digit after it stands for the letter x, as in PostgreSQL.
  assert.equal(field("\\xg"), "xg");
});

Deno.test("decodeField() keeps any other escaped character as itself", () => {
  assert.equal(field("\\a"), "a");
  assert.equal(field("\\."), ".");
  assert.equal(field('\\"'), '"');
  assert.equal(field("\\é"), "é");
});

Deno.test("decodeField() tells NULL from the string \\N and from the empty string", () => {
  assert.equal(field("\\N"), null);
  assert.equal(field("\\\\N"), "\\N");
  assert.equal(field(""), "");
  assert.equal(field("N"), "N");
  assert.equal(field("\\Nx"), "Nx");
  assert.equal(field("x\\N"), "xN");
});

Deno.test("decodeField() decodes multibyte UTF-8 and only the given range", () => {
  assert.equal(field("日本語 — 😀"), "日本語 — 😀");
  const b = enc.encode("ab\tü😀\tcd");
  assert.equal(decodeField(b, 3, 9), "ü😀");
  assert.equal(decodeField(b, 0, 2), "ab");
  assert.equal(decodeField(b, 10, 12), "cd");
});

Deno.test("decodeField() refuses bytes that are not UTF-8", () => {
  assert.throws(() => fieldBytes([0x61, 0xff]), TypeError);
  assert.throws(() => field("\\377"), TypeError);
  // A multibyte character cut in half is not valid either.
  assert.throws(() => fieldBytes([0xc3]), TypeError);
});

Deno.test("encodeField() escapes exactly backslash and the six control characters", () => {
  assert.equal(encodeField(null), "\\N");
  assert.equal(encodeField("\\N"), "\\\\N");
  assert.equal(encodeField(""), "");
  assert.equal(encodeField("\\"), "\\\\");
  assert.equal(encodeField("\b\f\n\r\t\v"), "\\b\\f\\n\\r\\t\\v");
  assert.equal(encodeField("a\tb\nc"), "a\\tb\\nc");
  // Other control characters and multibyte text need no escape.
  assert.equal(encodeField("\x01\x07\x1b\x7f"), "\x01\x07\x1b\x7f");
  assert.equal(encodeField("héllo 😀"), "héllo 😀");
});

Deno.test("indexFields() finds the byte range of every field of every row", () => {
  const b = enc.encode("1\tab\t\\N\n22\t\t😀\n");
  const offsets = new Int32Array(2 * 3 * 2);
  assert.equal(indexFields(b, b.length, 3, offsets), 2);
  assert.deepEqual([...offsets], [0, 1, 2, 4, 5, 7, 8, 10, 11, 11, 12, 16]);
});

Deno.test("indexFields() stops at end and ignores bytes after it", () => {
  const b = enc.encode("a\tb\nc\td\npartial\t");
  const offsets = new Int32Array(4);
  assert.equal(indexFields(b, 4, 2, offsets), 1);
  assert.deepEqual([...offsets], [0, 1, 2, 3]);
});

Deno.test("indexFields() refuses rows with too few or too many fields", () => {
  const offsets = new Int32Array(64);
  const few = enc.encode("a\tb\nc\n");
  assert.throws(() => indexFields(few, few.length, 2, offsets), {
    name: "SyntaxError",
    message: "Cannot parse COPY data as row 2 has the wrong number of fields: expected 2, found 1",
  });
  const many = enc.encode("a\tb\tc\n");
  assert.throws(() => indexFields(many, many.length, 2, offsets), {
    name: "SyntaxError",
    message: "Cannot parse COPY data as row 1 has the wrong number of fields: expected 2, found 3",
  });
  const open = enc.encode("a\tb\nc\td");
  assert.throws(() => indexFields(open, open.length, 2, offsets), {
    name: "SyntaxError",
    message: "Cannot parse COPY data as row 2 has no line end",
  });
});

Deno.test("countRows() counts line ends before end only", () => {
  const b = enc.encode("a\nb\nc");
  assert.equal(countRows(b), 2);
  assert.equal(countRows(b, 2), 1);
  assert.equal(countRows(b, 1), 0);
  assert.equal(countRows(new Uint8Array(0)), 0);
});

Deno.test("decodeRows() and encodeRows() agree on PostgreSQL's spelling", () => {
  // As `COPY (select 1, E'a\tb', null, '\N', '') TO STDOUT` spells it.
  const pg = enc.encode("1\ta\\tb\t\\N\t\\\\N\t\n");
  assert.deepEqual(decodeRows(pg, 5), [["1", "a\tb", null, "\\N", ""]]);
  assert.deepEqual(encodeRows([["1", "a\tb", null, "\\N", ""]]), pg);
  assert.deepEqual(encodeRows([]), new Uint8Array(0));
});
