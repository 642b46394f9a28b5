/**
 * `hash`: a keyed pseudonym in the format the column needs — hex or base32 text, an integer in the
 * column's range, or a UUID. Integers in integer columns are always permuted within their sign class
 * (positive ids stay positive, 0 stays 0) and UUIDs over all 128 bits, so a primary key and the
 * foreign keys referencing it agree whether or not their rules say `unique: true`. With `unique: true`
 * text gets the encoding of its enciphered bytes (as long as the input needs, never cut) instead of a
 * fixed-length pseudonym, so give both ends of a text foreign key the same `unique` setting.
 *
 * `format: shape` keeps a code's shape (`ALFKI` → five upper-case letters, `AB-1234-x` → two letters,
 * a dash, four digits, a dash, a letter) through a keyed permutation of each shape's values (see
 * `keyed/_shape.ts`): distinct inputs stay distinct and the length never changes, so it fits any
 * `varchar(n)` key and maps every foreign-key end alike whether or not its rule says `unique: true`.
 *
 * The keyed function is SipHash-2-4 under the column's subkey (see `_siphash.ts` for why not HMAC).
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../errors.ts";
import { columnLabel, fit, requireFamily, requireKey } from "./_column.ts";
import { base32, InjectiveToken } from "./keyed/_injective.ts";
import { memoMasker } from "./_memo.ts";
import { IntegerPermutation, Permutation128, Permutation64 } from "./keyed/_permutation.ts";
import { Prf } from "./keyed/_prf.ts";
import { ShapePermutation } from "./keyed/_shape.ts";
import { StrategyParamsError } from "./errors.ts";
import type { ColumnInfo, StrategyDefinition } from "./types.ts";

const FORMATS = ["hex", "base32", "int", "uuid", "shape"] as const;

const params = z.strictObject({
  format: z.enum(FORMATS).optional().describe(
    "hex, base32, int, uuid, or shape (same length, each letter and digit replaced within its class, " +
      "other characters kept); default from the column type",
  ),
  length: z.int().min(1).max(64).optional().describe(
    "Characters of hex/base32 output, or digits of int output",
  ),
});
type Params = z.infer<typeof params>;

const TWEAK = 0x10;
const HEX = "0123456789abcdef";

const HEX_CODES: readonly number[] = Array.from(HEX, (c) => c.charCodeAt(0));

/** Lowercase hex of `bytes[0, length)`. */
function hexOf(bytes: Uint8Array, length: number = bytes.length): string {
  // Eight characters per fromCharCode call: appending a pair at a time made a cons-string node per
  // pair past 13 characters, and fromCharCode.apply over all the codes is slower than this.
  const H = HEX_CODES;
  let s = "", i = 0;
  for (; i + 4 <= length; i += 4) {
    const b0 = bytes[i], b1 = bytes[i + 1], b2 = bytes[i + 2], b3 = bytes[i + 3];
    s += String.fromCharCode(
      H[b0 >> 4],
      H[b0 & 15],
      H[b1 >> 4],
      H[b1 & 15],
      H[b2 >> 4],
      H[b2 & 15],
      H[b3 >> 4],
      H[b3 & 15],
    );
  }
  for (; i < length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/** The bytes {@link prfBytes} writes: at most 40 (64 base32 characters), never kept by a caller. */
const scratch = new Uint8Array(64);

/**
 * `n` (≤ 64) pseudo-random bytes for `value`: SipHash in counter mode, written to the start of a
 * buffer the next call reuses (no allocation per value).
 */
function prfBytes(prf: Prf, value: string, n: number): Uint8Array {
  const seed = prf.string(TWEAK, value), seedHi = prf.hi;
  const out = scratch;
  for (let i = 0, counter = 0; i < n; counter++) {
    const lo = prf.words(TWEAK + 1, seed, seedHi, counter), hi = prf.hi;
    for (let k = 0; k < 8 && i < n; k++, i++) out[i] = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
  }
  return out;
}

const INT_MAX: Record<string, number> = { int2: 32767, int4: 2147483647 };

function defaultFormat(column: ColumnInfo): (typeof FORMATS)[number] {
  if (column.family === "integer") return "int";
  if (column.family === "uuid") return "uuid";
  return "hex";
}

function formatUuid(w: readonly number[]): string {
  const h = w.map((x) => (x >>> 0).toString(16).padStart(8, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function parseUuid(v: string): number[] | null {
  const h = v.replace(/[{}-]/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(h)) return null;
  return [0, 8, 16, 24].map((i) => parseInt(h.slice(i, i + 8), 16));
}

function invalidInput(column: ColumnInfo, what: string): PrivaciError {
  return new PrivaciError(
    "STRATEGY_FAILED",
    `Cannot hash a value of ${columnLabel(column)} uniquely: it is not ${what}`,
    { hint: "unique hashing keeps the input's format; use format hex or base32 for other values" },
  );
}

/** A bijection of the integers of one PostgreSQL integer type that keeps the sign class. */
function integerBijection(prf: Prf, column: ColumnInfo): (v: string) => string {
  const max = INT_MAX[column.baseType];
  if (max !== undefined) {
    const pos = new IntegerPermutation(prf, { size: max, tweak: TWEAK + 2 });
    const neg = new IntegerPermutation(prf, { size: max + 1, tweak: TWEAK + 3 });
    return (v) => {
      if (!/^[+-]?\d+$/.test(v)) throw invalidInput(column, "an integer");
      const x = Number(v);
      if (x === 0) return "0";
      return String(x > 0 ? pos.permute(x - 1) + 1 : -neg.permute(-x - 1) - 1);
    };
  }
  // int8 (and numeric-typed integer columns): 63-bit classes, cycle-walked through a 64-bit Feistel.
  const p64 = new Permutation64(prf, TWEAK + 4);
  const TOP = 2n ** 63n - 1n;
  return (v) => {
    if (!/^[+-]?\d+$/.test(v)) throw invalidInput(column, "an integer");
    const x = BigInt(v);
    if (x === 0n) return "0";
    if (x > TOP || x < -TOP - 1n) throw invalidInput(column, "a 64-bit integer");
    const neg = x < 0n;
    // positive class: x-1 in [0, 2^63-1); negative class: -x-1 in [0, 2^63).
    const u = neg ? -x - 1n : x - 1n;
    const limit = neg ? 2n ** 63n : TOP;
    let hi = Number(u >> 32n), lo = Number(u & 0xffffffffn);
    let y: bigint;
    do {
      p64.permute(hi, lo);
      hi = p64.hi;
      lo = p64.lo;
      y = (BigInt(hi) << 32n) | BigInt(lo);
    } while (y >= limit);
    return String(neg ? -y - 1n : y + 1n);
  };
}

/** The `hash` strategy. */
export const hash = {
  meta: {
    name: "hash",
    description: "Writes a keyed pseudonym: hex or base32 text, an integer in the column's range, or a UUID",
    details: "`format: shape` is for text keys of a fixed layout (customer codes such as `ALFKI`, account " +
      "numbers, licence plates, SKUs): each upper-case letter, lower-case letter and digit is replaced within " +
      "its class and every other character is kept, by a keyed permutation of all the values of that shape. " +
      "Outputs have the input's length, so they fit any `varchar(n)` the input fit; distinct inputs always give " +
      "distinct outputs, with or without `unique: true`, so every end of a foreign key maps alike. A value " +
      "with no letter or digit is written unchanged, and a shape with few values (one letter: 26) may map a " +
      "value to itself now and then: use it for codes, not for short flags. `length` cannot be combined with " +
      "it, nor with `unique: true` in other formats: a unique code of a fixed length is `format: shape`.",
    columnTypes: ["string", "integer", "numeric", "uuid"],
    deterministic: true,
    reproduces: "nothing",
    unique: true,
    keyed: true,
    examples: [
      { input: "alice@example.com", note: "16 hex characters by default on text" },
      { params: { format: "base32", length: 10 }, input: "alice@example.com" },
      { params: { format: "int", length: 6 }, input: "alice@example.com", note: "six digits" },
      {
        params: { format: "shape" },
        input: "AB-1234-x",
        note: "two upper-case letters, a dash, four digits, a dash, a lower-case letter; unique when asked",
      },
    ],
  },
  params,
  create({ params, column, key, unique }) {
    requireFamily("hash", column, ["string", "integer", "numeric", "uuid"]);
    const prf = new Prf(requireKey("hash", key));
    const format = params.format ?? defaultFormat(column);
    const max = column.maxLength;
    if (column.family === "integer" && format !== "int") {
      throw new StrategyParamsError(
        `Cannot write hash format ${format} into ${columnLabel(column)}: it is an integer column`,
        {
          hint: "use format: int (the default for integer columns)",
        },
      );
    }
    if (column.family === "uuid" && format !== "uuid") {
      throw new StrategyParamsError(
        `Cannot write hash format ${format} into ${columnLabel(column)}: it is a uuid column`,
        {
          hint: "use format: uuid (the default for uuid columns)",
        },
      );
    }
    if (column.family === "numeric" && format !== "int") {
      throw new StrategyParamsError(
        `Cannot write hash format ${format} into ${columnLabel(column)}: it is a numeric column`,
        {
          hint: "use format: int",
        },
      );
    }
    if (format === "shape" && params.length !== undefined) {
      throw new StrategyParamsError(`Cannot give hash format shape of ${columnLabel(column)} a length`, {
        hint: "drop 'length': format shape keeps each value's own length",
      });
    }
    if (unique && params.length !== undefined) {
      throw new StrategyParamsError(`Cannot cut unique hashes of ${columnLabel(column)} to a length`, {
        hint: "use format: shape for unique codes of a fixed length (same length and character classes " +
          "as the input), or drop 'length' (unique outputs keep the length the input needs)",
      });
    }
    if (format === "uuid" && max !== null && max < 36) {
      throw new StrategyParamsError(
        `Cannot write a uuid into ${columnLabel(column)}: ${column.type} is shorter than 36`,
      );
    }

    if (format === "int") {
      if (unique && column.family !== "integer") {
        throw new StrategyParamsError(
          `Cannot hash ${columnLabel(column)} uniquely as integers: it is not an integer column`,
          {
            hint: "use format hex or base32 for unique text pseudonyms",
          },
        );
      }
      const top = INT_MAX[column.baseType] ?? 2 ** 53 - 1;
      // numeric(p, s) holds p - s integer digits; text columns hold their length.
      const precision = /numeric\((\d+)(?:,\s*(\d+))?\)/.exec(column.type);
      const room = precision ? Number(precision[1]) - Number(precision[2] ?? 0) : max;
      if (room !== null && room < 1) {
        throw new StrategyParamsError(
          `Cannot write integers into ${columnLabel(column)}: ${column.type} has no integer digits`,
        );
      }
      const digits = Math.min(params.length ?? 15, room ?? 15, 15);
      const bound = params.length === undefined && room === null ? top : Math.min(10 ** digits, top);
      const pseudo = (v: string) => {
        const lo = prf.string(TWEAK, v);
        const n = (prf.hi >>> 11) * 4294967296 + lo;
        return String(bound === top ? 1 + (n % top) : n % bound);
      };
      // Integer columns always use the bijection (unless a length asks for fewer digits), so a key and
      // the foreign keys pointing at it map alike whether or not their rules say unique.
      if (column.family === "integer" && params.length === undefined) {
        const bijection = integerBijection(prf, column);
        return memoMasker(unique ? bijection : (v) => (/^[+-]?\d+$/.test(v) ? bijection(v) : pseudo(v)));
      }
      return memoMasker(pseudo);
    }

    if (format === "uuid") {
      // Values that are UUIDs are always permuted (unique or not, so references agree); other text
      // gets a pseudo-random version-4 UUID.
      const p = new Permutation128(prf, TWEAK + 5);
      return memoMasker((v) => {
        const w = parseUuid(v);
        if (w !== null) return formatUuid(p.permute(w));
        if (unique) throw invalidInput(column, "a uuid");
        const b = prfBytes(prf, v, 16);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        const h = hexOf(b, 16);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      });
    }

    if (format === "shape") {
      // Always the permutation (unique or not), so every end of a foreign key maps alike.
      const shape = new ShapePermutation(prf, TWEAK + 0x0a);
      return memoMasker((v) => shape.permute(v));
    }

    // hex / base32 text
    if (unique) {
      const token = new InjectiveToken(prf, TWEAK + 6);
      const encode = format === "hex" ? hexOf : base32;
      return memoMasker((v) => {
        const out = encode(token.encipher(v));
        if (max !== null && out.length > max) {
          throw new PrivaciError(
            "STRATEGY_INVALID_OUTPUT",
            `Cannot write a unique hash into ${
              columnLabel(column)
            }: a source value is too long for ${column.type} to hold its unique form`,
            { hint: "widen the column in the target, or drop 'unique: true' for this column" },
          );
        }
        return out;
      });
    }
    const length = Math.min(params.length ?? 16, max ?? 64);
    const bytes = format === "hex" ? Math.ceil(length / 2) : Math.ceil((length * 5) / 8);
    const encode = format === "hex" ? hexOf : base32;
    return memoMasker((v) => fit(encode(prfBytes(prf, v, bytes), bytes).slice(0, length), max));
  },
} satisfies StrategyDefinition<Params>;
