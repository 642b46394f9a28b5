/**
 * Adapts the Node Readable that postgres.js gives for `COPY … TO STDOUT` into a Web ReadableStream of
 * large chunks. Data is read only in `pull`, so backpressure reaches the socket (postgres.js pauses the
 * socket when its buffer is full and resumes it on read).
 *
 * @module
 */
import type { Readable } from "node:stream";
import { Buffer } from "node:buffer";

/** Options of {@link readableToWeb}. */
export interface ReadableToWebOptions {
  /** Bytes gathered into one chunk before it is handed on (default 256 KiB). */
  chunkBytes?: number;
  /** Runs once the stream ended, failed or was cancelled. */
  onDone?: (error?: unknown) => void | Promise<void>;
}

/** Wraps a Node Readable of bytes into a `ReadableStream<Uint8Array>`. */
export function readableToWeb(
  node: Readable,
  options: ReadableToWebOptions = {},
): ReadableStream<Uint8Array> {
  const target = options.chunkBytes ?? 256 * 1024;
  let ended = false;
  let failure: unknown = undefined;
  let wake: (() => void) | null = null;
  let finished = false;
  const finish = async (error?: unknown) => {
    if (finished) return;
    finished = true;
    await options.onDone?.(error);
  };
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  node.on("readable", poke);
  node.on("end", () => {
    ended = true;
    poke();
  });
  node.on("error", (e) => {
    failure = e ?? new Error("COPY stream failed");
    poke();
  });
  node.on("close", () => {
    if (!ended && failure === undefined) failure = new Error("COPY stream closed before its end");
    poke();
  });

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: Uint8Array[] = [];
      let size = 0;
      while (true) {
        if (failure !== undefined) {
          await finish(failure);
          throw failure;
        }
        let chunk: Buffer | null;
        while (size < target && (chunk = node.read() as Buffer | null) !== null) {
          parts.push(chunk);
          size += chunk.length;
        }
        if (size >= target || (size > 0 && node.readableLength === 0 && !ended)) break;
        if (ended) {
          if (size > 0) break;
          controller.close();
          await finish();
          return;
        }
        await new Promise<void>((resolve) => wake = resolve);
      }
      // A plain Uint8Array view: Buffer's own indexOf is a JavaScript polyfill in Deno, the typed array's is native.
      const out = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
      controller.enqueue(new Uint8Array(out.buffer, out.byteOffset, out.length));
    },
    async cancel(reason) {
      node.destroy();
      await finish(reason ?? new Error("cancelled"));
    },
  }, { highWaterMark: 1 });
}
