import assert from "node:assert/strict";
import { CopyRowStream } from "./copy_rows.ts";
import type { CopyChunk } from "./copy_text.ts";

const enc = new TextEncoder();

async function chunks(parts: readonly Uint8Array[]): Promise<CopyChunk[]> {
  return await Array.fromAsync(ReadableStream.from(parts).pipeThrough(new CopyRowStream()));
}

Deno.test("CopyRowStream() hands on whole rows with their count at every cut", async () => {
  const input = enc.encode("1\tané\n2\t\\N\n\n3\tx\\ty\n");
  for (let cut = 0; cut <= input.length; cut++) {
    const out = await chunks([input.slice(0, cut), input.slice(cut)]);
    for (const c of out) {
      assert.equal(c.bytes.at(-1), 0x0a, `cut at ${cut}: a chunk ends with a line end`);
      assert.equal(c.rows, c.bytes.filter((b) => b === 0x0a).length, `cut at ${cut}: its count is right`);
    }
    const joined = new Uint8Array(out.flatMap((c) => [...c.bytes]));
    assert.deepEqual(joined, input, `cut at ${cut}`);
    assert.equal(out.reduce((n, c) => n + c.rows, 0), 4);
  }
});

Deno.test("CopyRowStream() fails when the stream ends inside a row", async () => {
  await assert.rejects(
    chunks([enc.encode("1\ta\n2\tb")]),
    new SyntaxError("Cannot parse COPY data as the stream ended inside a row"),
  );
});
