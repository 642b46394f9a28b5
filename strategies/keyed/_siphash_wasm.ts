/**
 * The WebAssembly module behind {@link SipHash24}: SipHash-2-4 on native 64-bit words, assembled here
 * from the listing below (no binary is checked in, and no tool is needed to build it).
 *
 * Memory (one 64 KiB page, grown for long inputs): bytes [0, 32) hold the keyed initial state v0..v3
 * (little-endian 64-bit words), [32, 40) the last result, and the input starts at {@link INPUT}.
 *
 * Exports:
 * - `words(w0, w1, w2, w3)`: SipHash of the 16 bytes that are the four 32-bit words in little-endian
 *   order; returns the low 32 bits and stores the whole result at 32.
 * - `bytes(length)`: SipHash of `length` input bytes; the caller zeroes the 8 bytes after them, so the
 *   last block is one 64-bit load. Returns the low 32 bits and stores the whole result at 32.
 * - `feistel(x, size, lowBits, highMask, tweak, nLo)`: the cycle-walked binary Feistel network of
 *   `IntegerPermutation` (see `_permutation.ts`), each round one `words` call, in one call from
 *   JavaScript instead of eight or more; `x` and `size` (below 2^53) travel as doubles.
 * - `decimal(x, y, mx, my, tweak)`: the decimal Feistel network of `DigitPermutation` over the halves
 *   `x` < `mx` and `y` < `my` (below 2^50); returns the new `x` and stores the new `y` as a double at
 *   {@link DECIMAL_Y}.
 * - `memory`.
 *
 * @module
 */

/** Byte offset of the initial state. */
export const STATE = 0;
/** Byte offset of the last 64-bit result. */
export const RESULT = 32;
/** Byte offset of the second half `decimal` returns (a double). */
export const DECIMAL_Y = 40;
/** Byte offset of the input of `bytes`. */
export const INPUT = 64;

// Types and opcodes of the WebAssembly binary format, as far as this module needs them.
const I32 = 0x7f, I64 = 0x7e, FUNC = 0x60, VOID = 0x40;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, I64_LOAD = 0x29, I64_STORE = 0x37;
const I32_CONST = 0x41, I64_CONST = 0x42;
const I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_AND = 0x71;
const I64_ADD = 0x7c, I64_OR = 0x84, I64_XOR = 0x85, I64_SHL = 0x86, I64_ROTL = 0x89;
const I32_WRAP_I64 = 0xa7, I64_EXTEND_I32_U = 0xad;
const F64 = 0x7c, CALL = 0x10, DROP = 0x1a, SELECT = 0x1b, F64_STORE = 0x39;
const I32_LT_U = 0x49, I32_SUB = 0x6b, I64_GE_U = 0x5a, I32_OR = 0x72, I32_SHL = 0x74;
const I64_SUB = 0x7d, I64_REM_U = 0x82, I64_AND = 0x83, I64_SHR_U = 0x88;
const I64_TRUNC_F64_U = 0xb1, F64_CONVERT_I64_U = 0xba;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
  } while (n !== 0);
  return out;
}

function sleb(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function text(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

const get = (local: number) => [LOCAL_GET, ...uleb(local)];
const put = (local: number) => [LOCAL_SET, ...uleb(local)];
const i32 = (n: number) => [I32_CONST, ...sleb(BigInt(n))];
const i64 = (n: bigint) => [I64_CONST, ...sleb(n)];
/** `memory[address on the stack + offset]` as a 64-bit word (alignment hint 8). */
const load64 = (offset: number) => [I64_LOAD, 3, ...uleb(offset)];
const store64 = (offset: number) => [I64_STORE, 3, ...uleb(offset)];

/** Locals v0..v3 and the message word m, wherever a function keeps them. */
interface Regs {
  v0: number;
  v1: number;
  v2: number;
  v3: number;
  m: number;
}

function add(r: number, s: number): number[] {
  return [...get(r), ...get(s), I64_ADD, ...put(r)];
}
function xor(r: number, s: number): number[] {
  return [...get(r), ...get(s), I64_XOR, ...put(r)];
}
function rotl(r: number, bits: number): number[] {
  return [...get(r), ...i64(BigInt(bits)), I64_ROTL, ...put(r)];
}

/** One SipRound. */
function sipRound({ v0, v1, v2, v3 }: Regs): number[] {
  return [
    ...add(v0, v1),
    ...rotl(v1, 13),
    ...xor(v1, v0),
    ...rotl(v0, 32),
    ...add(v2, v3),
    ...rotl(v3, 16),
    ...xor(v3, v2),
    ...add(v0, v3),
    ...rotl(v3, 21),
    ...xor(v3, v0),
    ...add(v2, v1),
    ...rotl(v1, 17),
    ...xor(v1, v2),
    ...rotl(v2, 32),
  ];
}

/** Absorbs the 64-bit block that `block` pushes: v3 ^= m, two SipRounds, v0 ^= m. */
function absorb(r: Regs, block: number[]): number[] {
  return [...block, ...put(r.m), ...xor(r.v3, r.m), ...sipRound(r), ...sipRound(r), ...xor(r.v0, r.m)];
}

/** Loads the initial state; at the end, four SipRounds, stores the result and returns its low half. */
function withState(r: Regs, body: number[]): number[] {
  const init = [r.v0, r.v1, r.v2, r.v3].flatMap((v, i) => [...i32(STATE), ...load64(8 * i), ...put(v)]);
  const finish = [
    ...get(r.v2),
    ...i64(0xffn),
    I64_XOR,
    ...put(r.v2),
    ...sipRound(r),
    ...sipRound(r),
    ...sipRound(r),
    ...sipRound(r),
    ...get(r.v0),
    ...get(r.v1),
    I64_XOR,
    ...get(r.v2),
    I64_XOR,
    ...get(r.v3),
    I64_XOR,
    ...put(r.m), // the result, kept in m

    ...i32(RESULT),
    ...get(r.m),
    ...store64(0),
    ...get(r.m),
    I32_WRAP_I64,
  ];
  return [...init, ...body, ...finish];
}

/** `words(w0, w1, w2, w3)`: params 0–3, then v0..v3 and m. */
function wordsFunction(): number[] {
  const r: Regs = { v0: 4, v1: 5, v2: 6, v3: 7, m: 8 };
  const pair = (lo: number, hi: number) => [
    ...get(lo),
    I64_EXTEND_I32_U,
    ...get(hi),
    I64_EXTEND_I32_U,
    ...i64(32n),
    I64_SHL,
    I64_OR,
  ];
  return code(
    [[5, I64]],
    withState(r, [...absorb(r, pair(0, 1)), ...absorb(r, pair(2, 3)), ...absorb(r, i64(16n << 56n))]),
  );
}

/** `bytes(length)`: param 0, then v0..v3 and m, then the block pointer p and the end of full blocks. */
function bytesFunction(): number[] {
  const r: Regs = { v0: 1, v1: 2, v2: 3, v3: 4, m: 5 };
  const p = 6, end = 7;
  const body = [
    // end = INPUT + (length & ~7); p = INPUT
    ...get(0),
    ...i32(-8),
    I32_AND,
    ...i32(INPUT),
    I32_ADD,
    ...put(end),
    ...i32(INPUT),
    ...put(p),
    BLOCK,
    VOID,
    LOOP,
    VOID,
    ...get(p),
    ...get(end),
    I32_GE_U,
    BR_IF,
    1,
    ...absorb(r, [...get(p), ...load64(0)]),
    ...get(p),
    ...i32(8),
    I32_ADD,
    ...put(p),
    BR,
    0,
    END,
    END,
    // The last block: the remaining bytes (zero-padded by the caller) and the length in the top byte.
    ...absorb(r, [...get(end), ...load64(0), ...get(0), I64_EXTEND_I32_U, ...i64(56n), I64_SHL, I64_OR]),
  ];
  return code([[5, I64], [2, I32]], withState(r, body));
}

/** Index of `words` among the module's functions, for `call`. */
const WORDS = 0;

/** Round tweak words of both networks: `tweak | round << 8`, the round in local `round`. */
function roundTweak(tweak: number, round: number, plus: number): number[] {
  return [...get(tweak), ...get(round), ...(plus ? [...i32(plus), I32_ADD] : []), ...i32(8), I32_SHL, I32_OR];
}

/** Both networks' eight rounds, two a pass: `first` then `second`, with the round (0, 2, 4, 6) in local `round`. */
function eightRounds(round: number, first: number[], second: number[]): number[] {
  return [
    ...i32(0),
    ...put(round),
    LOOP,
    VOID,
    ...first,
    ...second,
    ...get(round),
    ...i32(2),
    I32_ADD,
    ...put(round),
    ...get(round),
    ...i32(8),
    I32_LT_U,
    BR_IF,
    0,
    END,
  ];
}

/**
 * `feistel(x, size, lowBits, highMask, tweak, nLo)`: params 0–5, then x and size as i64, the halves,
 * the low half's mask and the round. Per round the high half gets `words(tweak | round << 8, low, nLo,
 * "feis") & highMask` added, then the low half the same of the high one; the whole network again while
 * the image is not below `size`.
 */
function feistelFunction(): number[] {
  const [x, size, lowBits, highMask, tweak, nLo] = [0, 1, 2, 3, 4, 5];
  const [xi, sizeI, high, low, lowMask, round] = [6, 7, 8, 9, 10, 11];
  const half = (into: number, other: number, mask: number, plus: number) => [
    ...get(into),
    ...roundTweak(tweak, round, plus),
    ...get(other),
    ...get(nLo),
    ...i32(0x66656973),
    CALL,
    WORDS,
    I32_ADD,
    ...get(mask),
    I32_AND,
    ...put(into),
  ];
  const body = [
    ...get(x),
    I64_TRUNC_F64_U,
    ...put(xi),
    ...get(size),
    I64_TRUNC_F64_U,
    ...put(sizeI),
    ...i32(1),
    ...get(lowBits),
    I32_SHL,
    ...i32(1),
    I32_SUB,
    ...put(lowMask),
    LOOP,
    VOID,
    // high = x >> lowBits, low = x & lowMask
    ...get(xi),
    ...get(lowBits),
    I64_EXTEND_I32_U,
    I64_SHR_U,
    I32_WRAP_I64,
    ...put(high),
    ...get(xi),
    I32_WRAP_I64,
    ...get(lowMask),
    I32_AND,
    ...put(low),
    ...eightRounds(round, half(high, low, highMask, 0), half(low, high, lowMask, 1)),
    // x = high << lowBits | low; again while x >= size
    ...get(high),
    I64_EXTEND_I32_U,
    ...get(lowBits),
    I64_EXTEND_I32_U,
    I64_SHL,
    ...get(low),
    I64_EXTEND_I32_U,
    I64_OR,
    ...put(xi),
    ...get(xi),
    ...get(sizeI),
    I64_GE_U,
    BR_IF,
    0,
    END,
    ...get(xi),
    F64_CONVERT_I64_U,
  ];
  return code([[2, I64], [4, I32]], body);
}

/**
 * `decimal(x, y, mx, my, tweak)`: params 0–4, then x, y, mx and my as i64, the round and the hash. Per
 * round `x += words(tweak | round << 8, y, y >> 32, "digi")` taken as a 53-bit number (the result's top
 * 21 bits over its low 32) modulo mx, modulo mx; then the same for y from x.
 */
function decimalFunction(): number[] {
  const [x, y, mx, my, tweak] = [0, 1, 2, 3, 4];
  const [xi, yi, mxi, myi, hash, round] = [5, 6, 7, 8, 9, 10];
  const half = (into: number, other: number, mod: number, plus: number) => [
    ...roundTweak(tweak, round, plus),
    ...get(other),
    I32_WRAP_I64,
    ...get(other),
    ...i64(32n),
    I64_SHR_U,
    I32_WRAP_I64,
    ...i32(0x64696769),
    CALL,
    WORDS,
    DROP,
    ...i32(RESULT),
    ...load64(0),
    ...put(hash),
    // into += ((hash >> 43) << 32 | hash & 0xffffffff) % mod, then less mod if it reached mod
    ...get(into),
    ...get(hash),
    ...i64(43n),
    I64_SHR_U,
    ...i64(32n),
    I64_SHL,
    ...get(hash),
    ...i64(0xffffffffn),
    I64_AND,
    I64_OR,
    ...get(mod),
    I64_REM_U,
    I64_ADD,
    ...put(into),
    ...get(into),
    ...get(mod),
    I64_SUB,
    ...get(into),
    ...get(into),
    ...get(mod),
    I64_GE_U,
    SELECT,
    ...put(into),
  ];
  const body = [
    ...[[x, xi], [y, yi], [mx, mxi], [my, myi]].flatMap(([from, to]) => [
      ...get(from),
      I64_TRUNC_F64_U,
      ...put(to),
    ]),
    ...eightRounds(round, half(xi, yi, mxi, 0), half(yi, xi, myi, 1)),
    ...i32(DECIMAL_Y),
    ...get(yi),
    F64_CONVERT_I64_U,
    F64_STORE,
    3,
    0,
    ...get(xi),
    F64_CONVERT_I64_U,
  ];
  return code([[5, I64], [1, I32]], body);
}

function code(locals: [number, number][], body: number[]): number[] {
  const fn = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...body, END];
  return [...uleb(fn.length), ...fn];
}

function assemble(): Uint8Array<ArrayBuffer> {
  const types = vec([
    [FUNC, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])],
    [FUNC, ...vec([[I32]]), ...vec([[I32]])],
    [FUNC, ...vec([[F64], [F64], [I32], [I32], [I32], [I32]]), ...vec([[F64]])],
    [FUNC, ...vec([[F64], [F64], [F64], [F64], [I32]]), ...vec([[F64]])],
  ]);
  const exports = vec([
    [...text("words"), 0, WORDS],
    [...text("bytes"), 0, 1],
    [...text("feistel"), 0, 2],
    [...text("decimal"), 0, 3],
    [...text("memory"), 2, 0],
  ]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, vec([[0], [1], [2], [3]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, exports),
    ...section(10, vec([wordsFunction(), bytesFunction(), feistelFunction(), decimalFunction()])),
  ]);
}

/** The compiled module (compiled once per isolate, instantiated once too: see `_siphash.ts`). */
export const SIPHASH_MODULE: WebAssembly.Module = new WebAssembly.Module(assemble());
