import assert from "node:assert/strict";
import { PipelineError } from "../errors.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import { Keyring } from "../strategies/keyed/keyring.ts";
import { StrategyRegistry } from "../strategies/registry.ts";
import { column as textColumn, TEST_MASTER } from "../strategies/_test_utils.ts";
import type { ColumnInfo, StrategySpec } from "../strategies/types.ts";
import { MaskerFactory } from "../plan/maskers.ts";
import { bindRule } from "../plan/bind.ts";
import { defaultMaskWorkers, MaskPool } from "./mask_pool.ts";
import { MaskStream } from "./mask_stream.ts";
import { CopyRowStream } from "../pg/copy_rows.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { collectBytes } from "../tests/_bytes.ts";

const TABLE = { schema: "public", table: "people" };
const enc = new TextEncoder();

function col(column: string, ordinal: number): ColumnInfo {
  return textColumn({ table: TABLE.table, column, ordinal });
}

/** Rows of id, first name, email, JSON profile and a kept note; `bad` rows hold a profile that is not JSON. */
function payload(rows: number, bad: ReadonlySet<number> = new Set()): Uint8Array {
  const lines: string[] = [];
  for (let i = 1; i <= rows; i++) {
    const profile = bad.has(i) ? "not json" : JSON.stringify({ name: `Name${i % 311}`, n: i });
    lines.push([String(i), `First${i % 97}`, `user${i}@example.com`, profile, `note\\t${i} ünï`].join("\t"));
  }
  return enc.encode(lines.join("\n") + "\n");
}

/** `data` cut every `size` bytes, wherever that falls (mid-row, mid-character). */
function cut(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += size) out.push(data.slice(off, off + size));
  return out;
}

/** The policy's columns, built through the production factory with the real keyring. */
async function columns(registry = builtinStrategies()): Promise<MaskedColumn[]> {
  const factory = new MaskerFactory(registry, await Keyring.create(TEST_MASTER));
  const rules: (StrategySpec | null)[] = [
    null,
    { strategy: "fake.first_name" },
    { strategy: "fake.email", domain: "person_email" },
    { strategy: "json", paths: { "$.name": "fake.last_name" }, others: "keep" },
    null,
  ];
  const names = ["id", "first_name", "email", "profile", "note"];
  const out: MaskedColumn[] = [];
  for (let i = 0; i < names.length; i++) {
    const rule = rules[i];
    if (rule === null) {
      out.push({ column: col(names[i], i + 1), strategy: "keep", masker: null });
    } else {
      const bound = bindRule(rule, { registry });
      assert.ok(bound.ok);
      const { masker, recipe } = await factory.build(bound.rule, col(names[i], i + 1));
      out.push({ column: col(names[i], i + 1), strategy: rule.strategy, masker, recipe });
    }
  }
  return out;
}

function pump(stream: MaskStream, chunks: readonly Uint8Array[]): Promise<Uint8Array> {
  return collectBytes(ReadableStream.from(chunks).pipeThrough(new CopyRowStream()).pipeThrough(stream));
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

Deno.test("MaskStream() with a MaskPool writes the same bytes as inline, with every row once", async () => {
  const input = payload(20_000);
  const chunks = cut(input, 64 * 1024 + 7);
  const inline = await pump(new MaskStream(TABLE, await columns()), chunks);
  const pool = new MaskPool({ size: 2, inlineFasterThan: Infinity });
  try {
    const stream = new MaskStream(TABLE, await columns(), { pool });
    const pooled = await pump(stream, cut(input, 64 * 1024 + 7));
    assert.equal(pool.running, 2);
    assert.deepEqual(stream.stats, { rows: 20_000, bytesIn: input.length, bytesOut: inline.length });
    assert.deepEqual(pooled, inline);
    assert.notDeepEqual(pooled, input);
  } finally {
    pool.close();
  }
});

Deno.test("MaskStream() with a MaskPool masks a table of one chunk inline, starting no worker", async () => {
  const input = payload(50);
  const pool = new MaskPool({ size: 2, inlineFasterThan: Infinity });
  try {
    const out = await pump(new MaskStream(TABLE, await columns(), { pool }), [input]);
    assert.equal(pool.running, 0);
    assert.deepEqual(out, await pump(new MaskStream(TABLE, await columns()), [input]));
  } finally {
    pool.close();
  }
});

Deno.test("MaskStream() with a MaskPool keeps a table inline when it masks faster than inlineFasterThan", async () => {
  const input = payload(20_000);
  const pool = new MaskPool({ size: 2, inlineFasterThan: 0 });
  try {
    const out = await pump(new MaskStream(TABLE, await columns(), { pool }), cut(input, 64 * 1024));
    assert.equal(pool.running, 0);
    assert.deepEqual(out, await pump(new MaskStream(TABLE, await columns()), cut(input, 64 * 1024)));
  } finally {
    pool.close();
  }
});

Deno.test("MaskPool.accepts() takes built-in strategies only, never text.scrub nor a table with nothing masked", async () => {
  const pool = new MaskPool({ size: 1 });
  try {
    const built = await columns();
    assert.equal(pool.accepts(built), true);
    assert.equal(pool.accepts(built.map((c) => ({ ...c, masker: null }))), false, "nothing masked");
    assert.equal(
      pool.accepts(built.map((c) => ({ column: c.column, strategy: c.strategy, masker: c.masker }))),
      false,
    );
    // A strategy of the same name from another registry (a plugin's, say) is not the built-in one.
    const swapped = new StrategyRegistry();
    for (const def of builtinStrategies().list()) {
      swapped.add(def.meta.name === "fake.email" ? { ...def, meta: { ...def.meta } } : def);
    }
    assert.equal(pool.accepts(await columns(swapped)), false, "a strategy that is not the built-in");
    // text.scrub runs detector workers of its own, alone or nested.
    const json = built[3];
    assert.deepEqual(json.recipe!.strategies.map((d) => d.meta.name), ["json", "fake.last_name"]);
    const scrub = builtinStrategies().get("text.scrub")!;
    const nested = { ...json.recipe!, strategies: [...json.recipe!.strategies, scrub] };
    assert.equal(
      pool.accepts([...built.slice(0, 3), { ...json, recipe: nested }]),
      false,
      "nested text.scrub",
    );
    const first = built.findIndex((c) => c.masker !== null);
    const whole = built.map((c, i) =>
      i === first ? { ...c, masker: { ...c.masker!, wholeColumn: true } } : c
    );
    assert.equal(pool.accepts(whole), false, "a masker that must see its whole column");
    assert.equal(new MaskPool({ size: 0 }).accepts(built), false, "size 0");
  } finally {
    pool.close();
  }
});

Deno.test("MaskStream() with a MaskPool fails with the inline error when a strategy fails in a worker", async () => {
  const input = payload(20_000, new Set([12_345]));
  const chunks = cut(input, 64 * 1024);
  const inline = await caught(pump(new MaskStream(TABLE, await columns()), chunks));
  const pool = new MaskPool({ size: 2, inlineFasterThan: Infinity });
  try {
    const pooled = await caught(
      pump(new MaskStream(TABLE, await columns(), { pool }), cut(input, 64 * 1024)),
    );
    assert.ok(inline instanceof PipelineError && pooled instanceof PipelineError);
    assert.match(
      pooled.message,
      /^Cannot mask public\.people\.profile with json in the batch from row \d+: the value in batch row \d+ is not JSON$/,
    );
    assert.deepEqual(
      [pooled.code, pooled.message, pooled.table, pooled.column, pooled.strategy, pooled.row],
      [inline.code, inline.message, inline.table, inline.column, inline.strategy, inline.row],
    );
    assert.ok(pooled.row! <= 12_345 && pooled.row! > 12_345 - 2000, `row ${pooled.row}`);
    assert.match(String(pooled.stack), /_mask_worker\.ts/, "raised in a worker");
    assert.doesNotMatch(String(inline.stack), /_mask_worker\.ts/);
  } finally {
    pool.close();
  }
});

Deno.test("MaskStream() with a MaskPool fails the table when its worker dies, without hanging", async () => {
  const pool = new MaskPool({
    size: 2,
    workerUrl: new URL("./testdata/dying_mask_worker.ts", import.meta.url),
    inlineFasterThan: Infinity,
  });
  try {
    const e = await caught(
      pump(new MaskStream(TABLE, await columns(), { pool }), cut(payload(20_000), 32 * 1024)),
    );
    assert.ok(e instanceof PipelineError, String(e));
    assert.equal(e.code, "INTERNAL");
    assert.equal(e.table, "public.people");
    assert.match(
      e.message,
      /^Cannot mask public\.people as its masking worker failed in the batch from row \d+: /,
    );
  } finally {
    pool.close();
  }
});

Deno.test("MaskStream() with a MaskPool stops waiting for the workers once aborted", async () => {
  const pool = new MaskPool({ size: 1, inlineFasterThan: Infinity });
  const controller = new AbortController();
  try {
    const input = payload(20_000);
    let sent = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 3) controller.abort(new Error("stop now"));
        const chunks = cut(input, 64 * 1024);
        if (sent < chunks.length) c.enqueue(chunks[sent++]);
        else c.close();
      },
    });
    const stream = new MaskStream(TABLE, await columns(), { pool, signal: controller.signal });
    const e = await caught(
      source.pipeThrough(new CopyRowStream()).pipeThrough(stream).pipeTo(new WritableStream(), {
        signal: controller.signal,
      }),
    );
    assert.equal((e as Error).message, "stop now");
    assert.ok(sent < 10, `read ${sent} chunks`);
  } finally {
    pool.close();
  }
});

Deno.test("MaskPool.close() rejects pending chunks and refuses new ones", async () => {
  const pool = new MaskPool({ size: 1 });
  const built = await columns();
  const data = { bytes: payload(2000), rows: 2000 };
  const jobs = [0, 1, 2].map((i) => pool.mask(TABLE, built, data, { firstRow: 1 + i * 2000 }));
  pool.close();
  for (const job of jobs) {
    assert.equal(((await caught(job)) as Error).message, "Stopped masking: the masking workers were closed");
  }
  assert.match(((await caught(pool.mask(TABLE, built, data, { firstRow: 1 }))) as Error).message, /closed/);
  assert.equal(pool.running, 0);
});

Deno.test("defaultMaskWorkers() leaves small machines to the main thread and keeps one core for it", () => {
  assert.deepEqual([1, 2, 3, 4, 6, 9, 64].map((n) => defaultMaskWorkers(n)), [0, 0, 0, 3, 5, 8, 8]);
});
