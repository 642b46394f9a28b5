import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { Buffer } from "node:buffer";
import { readableToWeb } from "./_node_readable.ts";

function bytes(n: number, fill: number): Buffer {
  return Buffer.alloc(n, fill);
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

function tick(ms = 0): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

Deno.test("readableToWeb() hands on every byte in order and reports the end once", async () => {
  const parts = Array.from({ length: 20 }, (_, i) => bytes(100 + i, i));
  const node = Readable.from(parts, { objectMode: false });
  const done: unknown[] = [];
  const chunks = await collect(readableToWeb(node, { chunkBytes: 250, onDone: (e) => void done.push(e) }));
  assert.deepEqual(Buffer.concat(chunks), Buffer.concat(parts));
  assert.ok(chunks.length >= 1);
  assert.deepEqual(done, [undefined]);
});

Deno.test("readableToWeb() reads from the Node stream only when its consumer pulls", async () => {
  let produced = 0;
  const node = new Readable({
    highWaterMark: 1024,
    read() {
      produced += 100;
      this.push(bytes(100, 1)); // an endless source
    },
  });
  const reader = readableToWeb(node, { chunkBytes: 512 }).getReader();
  await tick(30);
  // Only the first pull (a chunk of at least 512 bytes) and Node's own 1 KiB buffer were produced.
  const before = produced;
  assert.ok(before <= 512 + 1024 + 200, `produced ${before} bytes with nobody reading`);
  await tick(30);
  assert.ok(produced <= 512 + 1024 + 200, `the source kept producing while nobody read: ${produced} bytes`);
  let got = 0;
  for (let i = 0; i < 10; i++) got += (await reader.read()).value!.length;
  assert.ok(got >= 10 * 100);
  assert.ok(produced > before);
  await reader.cancel();
  assert.equal(node.destroyed, true);
});

Deno.test("readableToWeb() fails with the Node stream's error and reports it", async () => {
  const boom = new Error("socket reset");
  const node = new Readable({ read() {} });
  const done: unknown[] = [];
  const stream = readableToWeb(node, { onDone: (e) => void done.push(e) });
  node.push(bytes(10, 1));
  const reader = stream.getReader();
  assert.equal((await reader.read()).value!.length, 10);
  node.destroy(boom);
  await assert.rejects(reader.read(), (e) => e === boom);
  assert.deepEqual(done, [boom]);
});

Deno.test("readableToWeb() fails when the Node stream closes before its end", async () => {
  const node = new Readable({ read() {} });
  const done: unknown[] = [];
  const reader = readableToWeb(node, { onDone: (e) => void done.push(e) }).getReader();
  node.destroy();
  await assert.rejects(reader.read(), { message: "COPY stream closed before its end" });
  assert.equal(done.length, 1);
  assert.equal((done[0] as Error).message, "COPY stream closed before its end");
});

Deno.test("readableToWeb() destroys the Node stream on cancel and reports the reason once", async () => {
  const node = new Readable({ read() {} });
  const done: unknown[] = [];
  const reader = readableToWeb(node, { onDone: (e) => void done.push(e) }).getReader();
  const why = new Error("target failed");
  await reader.cancel(why);
  await tick();
  assert.equal(node.destroyed, true);
  assert.deepEqual(done, [why]);
});
