/**
 * A masking worker that dies on the first chunk it is sent (an uncaught error), for the pool's tests.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />

self.onmessage = (event: MessageEvent<{ type: string }>) => {
  if (event.data.type === "chunk") throw new Error("the test worker dies on its first chunk");
};
