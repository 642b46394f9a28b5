import assert from "node:assert/strict";
import { encodeFrame, FrameReader, MAX_FRAME_BYTES } from "./protocol.ts";
import { concatBytes } from "../tests/_bytes.ts";

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

Deno.test("FrameReader reads frames split across and packed into chunks in any way", async () => {
  const messages = [
    { t: "values", values: ["ü€𝄞", null, "tab\there"] },
    { t: "ok" },
    { t: "values", values: Array.from({ length: 5000 }, (_, i) => `row ${i}`) },
  ];
  const bytes = concatBytes(messages.map(encodeFrame));
  for (const size of [1, 3, 7, 4096, bytes.length]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    const reader = new FrameReader(streamOf(chunks));
    const got = [];
    for (let i = 0; i < messages.length + 1; i++) got.push(await reader.read());
    assert.deepEqual(got, [...messages, null], `chunk size ${size}`);
  }
});

Deno.test("FrameReader refuses a frame cut short and a length over the limit", async () => {
  const frame = encodeFrame({ t: "ok" });
  await assert.rejects(new FrameReader(streamOf([frame.slice(0, frame.length - 1)])).read(), {
    name: "RangeError",
    message: "Cannot read a frame as the stream ended inside it",
  });
  await assert.rejects(new FrameReader(streamOf([frame.slice(0, 2)])).read(), {
    name: "RangeError",
    message: "Cannot read a frame as the stream ended inside its header",
  });
  const huge = new Uint8Array(8);
  new DataView(huge.buffer).setUint32(0, MAX_FRAME_BYTES + 1);
  await assert.rejects(new FrameReader(streamOf([huge])).read(), {
    name: "FrameTooLargeError",
    message: `Cannot read a frame as it is larger than ${MAX_FRAME_BYTES} bytes: ${MAX_FRAME_BYTES + 1}`,
  });
});

Deno.test("encodeFrame() prefixes the UTF-8 length in big-endian order", () => {
  const frame = encodeFrame("é");
  assert.deepEqual([...frame], [0, 0, 0, 4, 0x22, 0xc3, 0xa9, 0x22]);
});
