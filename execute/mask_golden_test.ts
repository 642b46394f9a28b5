/**
 * Golden bytes of a masked table: a Level 1 policy over customer-like COPY text (escapes, NULLs,
 * multibyte characters, a unique e-mail) must give the same target bytes whatever the chunking and
 * whether chunks are masked on this thread or on a worker, and the same bytes as masking the decoded rows
 * the plain way. Speed work on the reader, the masking stage and the encoder must keep these digests; a
 * change to a strategy's output (which fails strategies/golden_test.ts first) moves them too: record the
 * new digests here once the plain-way comparison passes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { builtinStrategies } from "../strategies/builtins.ts";
import { Keyring } from "../strategies/keyed/keyring.ts";
import { column as textColumn, mix, TEST_MASTER } from "../strategies/_test_utils.ts";
import type { BatchContext, ColumnInfo, StrategySpec } from "../strategies/types.ts";
import { decodeRows, encodeRows } from "../pg/copy_text.ts";
import { bindRule } from "../plan/bind.ts";
import { MaskerFactory } from "../plan/maskers.ts";
import { MaskPool } from "./mask_pool.ts";
import { MaskStream } from "./mask_stream.ts";
import { CopyRowStream } from "../pg/copy_rows.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { collectBytes } from "../tests/_bytes.ts";

const TABLE = { schema: "public", table: "customers" };
const ROWS = 6_000;

/** SHA-256 of the masked bytes of {@link payload} under {@link RULES}. */
const GOLDEN = "6c949ccb26046716e3092ca01e6c92e6abb43001ba532a6e9f0e857f2dc1d34b";

/** The same with `fake.email` not unique, as the workers mask it. */
const POOLED = "d934ab7025a55d2d355679585b0badcce73360fbd38c0cbf56177b8bfa8fbc17";

const FIRST = ["James", "Zoë", "José", "李", "Ølga", "o'brien", "Anna-Lena", "N"];
const LAST = ["Müller", "de Vries", "Smith", "O\\\\Neil", "Nguyễn", "ß", "Tab\\there"];

/** The COPY text of `ROWS` customer rows (16 columns, as the bench's table), escapes spelled as COPY does. */
function payload(): Uint8Array {
  const lines: string[] = [];
  for (let i = 1; i <= ROWS; i++) {
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    lines.push([
      String(i),
      FIRST[mix(i, 1) % FIRST.length] + (i % 11 === 0 ? "\\nSecond" : ""),
      LAST[mix(i, 2) % LAST.length],
      i % 13 === 0 ? `Ünï.${i}@Exämple.com` : `user.${i}@corp.example`,
      i % 17 === 0 ? "\\N" : `+${1 + (mix(i, 3) % 89)} ${pad(mix(i, 4) % 1e9, 9)}`,
      `${1 + (i % 250)} High Street\\tFlat ${i % 9}`,
      ["Berlin", "São Paulo", "東京"][i % 3],
      pad(mix(i, 5) % 100000, 5),
      ["DE", "BR", "JP"][i % 3],
      `19${pad(50 + (i % 50), 2)}-0${1 + (i % 9)}-1${i % 10}`,
      `DE${pad(mix(i, 6) % 100, 2)}${pad(mix(i, 7) % 1e9, 9)}${pad(mix(i, 8) % 1e9, 9)}`,
      i % 4 === 0 ? "not a card" : `4${pad(mix(i, 9) % 1e7, 7)}${pad(mix(i, 10) % 1e8, 8)}`,
      `${pad(mix(i, 11) % 1000, 3)}-${pad(mix(i, 12) % 100, 2)}-${pad(mix(i, 13) % 10000, 4)}`,
      i % 5 === 0 ? "\\N" : `10.${i % 256}.${mix(i, 14) % 256}.1`,
      `2024-01-0${1 + (i % 9)} 10:00:00+00`,
      `note ${i} ${"x".repeat(mix(i, 15) % 60)} \\\\ end`,
    ].join("\t"));
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

const NAMES = [
  "id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "street",
  "city",
  "postcode",
  "country",
  "birth_date",
  "iban",
  "card_number",
  "ssn",
  "last_ip",
  "created_at",
  "notes",
];

/** Level 1 of bench/policies/level1.yaml; columns not named here are kept. */
const RULES: Record<string, StrategySpec> = {
  first_name: { strategy: "fake.first_name" },
  last_name: { strategy: "fake.last_name" },
  email: { strategy: "fake.email", unique: true },
  phone: { strategy: "fake.phone" },
  street: { strategy: "fake.street" },
  iban: { strategy: "fake.iban" },
  card_number: { strategy: "fake.card" },
  ssn: { strategy: "fake.ssn" },
};

async function columns(rules: Record<string, StrategySpec> = RULES): Promise<MaskedColumn[]> {
  const registry = builtinStrategies();
  const factory = new MaskerFactory(registry, await Keyring.create(TEST_MASTER));
  const out: MaskedColumn[] = [];
  for (const [i, name] of NAMES.entries()) {
    const column: ColumnInfo = textColumn({ table: TABLE.table, column: name, ordinal: i + 1 });
    const rule = rules[name];
    if (!rule) {
      out.push({ column, strategy: "keep", masker: null });
      continue;
    }
    const bound = bindRule(rule, { registry });
    assert.ok(bound.ok, `rule of ${name} binds`);
    const { masker, recipe } = await factory.build(bound.rule, column);
    out.push({ column, strategy: rule.strategy, masker, recipe });
  }
  return out;
}

/** `data` cut every `size` bytes, wherever that falls (mid-row, mid-character). */
function cut(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += size) out.push(data.slice(off, off + size));
  return out;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function masked(
  chunks: Uint8Array[],
  pool: MaskPool | null = null,
  rules: Record<string, StrategySpec> = RULES,
): Promise<Uint8Array> {
  return await collectBytes(
    ReadableStream.from(chunks).pipeThrough(new CopyRowStream()).pipeThrough(
      new MaskStream(TABLE, await columns(rules), { pool }),
    ),
  );
}

/**
 * The same rows masked the plain way: every row decoded, each masked column's values through its
 * masker in one batch, every row encoded again. The stage's byte-level work must agree with it.
 */
async function reference(
  input: Uint8Array,
  rules: Record<string, StrategySpec> = RULES,
): Promise<Uint8Array> {
  const rows = decodeRows(input, NAMES.length);
  const cols = await columns(rules);
  const valuesOf = (i: number) => rows.map((r) => r[i]);
  const batch: BatchContext = {
    table: TABLE,
    firstRow: 1,
    column: (name) => valuesOf(NAMES.indexOf(name)),
  };
  const outputs = await Promise.all(cols.map((c, i) => c.masker ? c.masker.mask(valuesOf(i), batch) : null));
  return encodeRows(rows.map((r, k) => r.map((v, i) => outputs[i] ? outputs[i]![k] : v)));
}

Deno.test("MaskStream() gives the golden bytes for a Level 1 table however it is cut", async () => {
  const input = payload();
  const whole = await masked([input]);
  const lines = (b: Uint8Array) => b.filter((x) => x === 0x0a).length;
  assert.equal(lines(whole), ROWS);
  assert.notDeepEqual(whole, input, "the rows are masked");
  assert.deepEqual(whole, await reference(input), "the plain way gives the same bytes");
  assert.equal(await sha256(whole), GOLDEN);
  for (const size of [256 * 1024, 65_537, 4_099]) {
    assert.deepEqual(await masked(cut(input, size)), whole, `cut every ${size} bytes`);
  }
});

Deno.test("MaskStream() gives the same bytes for a Level 1 table masked on a worker", async () => {
  // A unique column is checked for collisions on this thread, so it keeps a table off the workers.
  const rules = { ...RULES, email: { strategy: "fake.email" } };
  const input = payload();
  const inline = await masked(cut(input, 64 * 1024), null, rules);
  const pool = new MaskPool({ size: 1, inlineFasterThan: Infinity });
  try {
    const out = await masked(cut(input, 64 * 1024), pool, rules);
    assert.ok(pool.running > 0, "a worker masked chunks");
    assert.deepEqual(out, inline);
    assert.deepEqual(out, await reference(input, rules), "the plain way gives the same bytes");
    assert.equal(await sha256(out), POOLED);
  } finally {
    pool.close();
  }
});
