/**
 * PostgreSQL's COPY text format, on bytes: rows end with `\n`, fields are separated by `\t`, NULL is
 * `\N`, and a backslash escapes `\b \f \n \r \t \v \\`, octal `\ooo` and hex `\xhh`. Because tabs and
 * newlines inside values are always escaped, rows and fields can be found by scanning raw bytes, and a
 * kept column is copied as its raw bytes without ever being decoded.
 *
 * @module
 */
import type { Cell } from "../core/column.ts";

const TAB = 0x09;
const NL = 0x0a;
const BS = 0x5c;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Whole rows of COPY text and how many there are: what the source reader hands on and the masking stage
 * passes along. `bytes` ends with a line end (or is empty), and `rows` is its number of line ends.
 */
export interface CopyChunk {
  bytes: Uint8Array;
  rows: number;
}

/**
 * Finds the fields of every complete row in `buf[0, end)` and writes their `[start, end)` byte offsets
 * into `offsets` (row-major: `offsets[(row * columns + col) * 2]`). Grows nothing: the caller sizes
 * `offsets` with {@link countRows}.
 *
 * @returns the number of rows indexed.
 * @throws {SyntaxError} when a row does not have exactly `columns` fields.
 */
export function indexFields(buf: Uint8Array, end: number, columns: number, offsets: Int32Array): number {
  let row = 0;
  let pos = 0;
  while (pos < end) {
    const base = row * columns * 2;
    let col = 0;
    let start = pos;
    while (true) {
      const b = buf[pos];
      if (b === TAB) {
        if (col + 1 >= columns) throw fieldCountError(row, columns, col + 2);
        offsets[base + col * 2] = start;
        offsets[base + col * 2 + 1] = pos;
        col++;
        start = ++pos;
      } else if (b === NL) {
        if (col + 1 !== columns) throw fieldCountError(row, columns, col + 1);
        offsets[base + col * 2] = start;
        offsets[base + col * 2 + 1] = pos;
        pos++;
        break;
      } else if (pos >= end) {
        throw new SyntaxError(`Cannot parse COPY data as row ${row + 1} has no line end`);
      } else {
        pos++;
      }
    }
    row++;
  }
  return row;
}

function fieldCountError(row: number, want: number, got: number): SyntaxError {
  return new SyntaxError(
    `Cannot parse COPY data as row ${row + 1} has the wrong number of fields: expected ${want}, found ${got}`,
  );
}

/** Counts complete rows (line ends) in `buf[0, end)`. */
export function countRows(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  let i = buf.indexOf(NL);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(NL, i + 1);
  }
  return n;
}

/** Decodes one field (`buf[start, end)`) to its value; `\N` is `null`. */
export function decodeField(buf: Uint8Array, start: number, end: number): Cell {
  if (end - start === 2 && buf[start] === BS && buf[start + 1] === 0x4e) return null;
  const field = buf.subarray(start, end);
  if (field.indexOf(BS) === -1) return decoder.decode(field);
  return decoder.decode(unescapeBytes(buf, start, end));
}

function unescapeBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let o = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== BS || i + 1 >= end) {
      out[o++] = b;
      continue;
    }
    const c = buf[++i];
    switch (c) {
      case 0x62: // b
        out[o++] = 0x08;
        break;
      case 0x66: // f
        out[o++] = 0x0c;
        break;
      case 0x6e: // n
        out[o++] = NL;
        break;
      case 0x72: // r
        out[o++] = 0x0d;
        break;
      case 0x74: // t
        out[o++] = TAB;
        break;
      case 0x76: // v
        out[o++] = 0x0b;
        break;
      case 0x78: { // x: one or two hex digits
        let v = 0;
        let k = 0;
        while (k < 2 && i + 1 < end && isHex(buf[i + 1])) v = v * 16 + hexValue(buf[++i]), k++;
        out[o++] = k === 0 ? 0x78 : v;
        break;
      }
      default:
        if (c >= 0x30 && c <= 0x37) { // octal: one to three digits
          let v = c - 0x30;
          let k = 1;
          while (k < 3 && i + 1 < end && buf[i + 1] >= 0x30 && buf[i + 1] <= 0x37) {
            v = v * 8 + buf[++i] - 0x30, k++;
          }
          out[o++] = v & 0xff;
        } else {
          out[o++] = c; // `\\` and any other escaped byte stand for themselves
        }
    }
  }
  return out.subarray(0, o);
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function hexValue(b: number): number {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x57;
}

const NEEDS_ESCAPE = /[\\\n\r\t\b\f\v]/;
const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
};

/** Spells a value as a COPY text field (escaped; `null` is `\N`). */
export function encodeField(value: Cell): string {
  if (value === null) return "\\N";
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\n\r\t\b\f\v]/g, (c) => ESCAPES[c]) : value;
}

/** Decodes a whole COPY text payload into rows of values (for tests and small tables). */
export function decodeRows(buf: Uint8Array, columns: number): Cell[][] {
  const rows = countRows(buf);
  const offsets = new Int32Array(rows * columns * 2);
  indexFields(buf, buf.length, columns, offsets);
  const out: Cell[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: Cell[] = [];
    for (let c = 0; c < columns; c++) {
      const k = (r * columns + c) * 2;
      row.push(decodeField(buf, offsets[k], offsets[k + 1]));
    }
    out.push(row);
  }
  return out;
}

/** Encodes rows of values as a COPY text payload. */
export function encodeRows(rows: readonly (readonly Cell[])[]): Uint8Array {
  return new TextEncoder().encode(rows.map((r) => r.map(encodeField).join("\t") + "\n").join(""));
}

/**
 * The values of field `index` of the first `rows` rows indexed in `offsets` (see {@link indexFields}).
 * The fields' bytes are gathered one per line, then decoded and split in one go each, which costs far
 * less than a decode and a string per field; only a column with a backslash is unescaped value by value.
 *
 * @throws {TypeError} when the bytes are not UTF-8.
 */
export function decodeColumn(
  buf: Uint8Array,
  offsets: Int32Array,
  shape: { rows: number; columns: number; index: number },
): Cell[] {
  const { rows, columns, index } = shape;
  if (rows === 0) return [];
  const stride = columns * 2;
  let size = rows;
  for (let k = index * 2, r = 0; r < rows; r++, k += stride) size += offsets[k + 1] - offsets[k];
  const lines = new Uint8Array(size);
  let o = 0;
  for (let k = index * 2, r = 0; r < rows; r++, k += stride) {
    const end = offsets[k + 1];
    for (let i = offsets[k]; i < end; i++) lines[o++] = buf[i];
    lines[o++] = NL;
  }
  const values: Cell[] = decoder.decode(lines.subarray(0, size - 1)).split("\n");
  if (lines.indexOf(BS) !== -1) {
    for (let r = 0; r < rows; r++) values[r] = decodeText(values[r] as string);
  }
  return values;
}

const encoder = new TextEncoder();

/** What needs an escape besides the line end, which the joined lines have between every two values. */
const NEEDS_ESCAPE_IN_LINES = /[\\\r\t\b\f\v]/;

/**
 * Each value as a COPY text field ({@link encodeField}) followed by a line end, UTF-8 encoded in one go.
 * One test per batch rather than per value: masked values rarely need an escape. The lines are joined
 * once and kept when they hold no escape and exactly one line end per value.
 */
export function encodeColumn(values: readonly Cell[]): Uint8Array {
  if (values.length === 0) return new Uint8Array(0);
  let plain = true;
  for (let i = 0; plain && i < values.length; i++) if (values[i] === null) plain = false;
  if (plain) {
    const lines = values.join("\n") + "\n";
    if (!NEEDS_ESCAPE_IN_LINES.test(lines) && lineEnds(lines) === values.length) return encoder.encode(lines);
  }
  return encoder.encode(values.map(encodeField).join("\n") + "\n");
}

/** The number of `\n` in `s`. */
function lineEnds(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

const SIMPLE_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** Decodes one field given as text (`\N` is `null`); octal and hex escapes go through the byte decoder. */
export function decodeText(field: string): Cell {
  if (field.indexOf("\\") === -1) return field;
  if (field === "\\N") return null;
  if (/\\(?:[0-7]|x[0-9A-Fa-f])/.test(field)) {
    const bytes = new TextEncoder().encode(field);
    return decodeField(bytes, 0, bytes.length);
  }
  return field.replace(/\\(.)/gs, (_, c: string) => SIMPLE_ESCAPES[c] ?? c);
}
