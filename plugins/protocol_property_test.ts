/**
 * Properties of the plugin protocol's reading side: whatever bytes the sandbox sends, in whatever pieces,
 * the frame reader returns exactly the whole frames in them and then ends (at a frame boundary), or
 * fails with a RangeError (truncated, too large) and never waits for bytes that will not come; and a real
 * sandbox whose plugin writes arbitrary bytes into the reply channel ends the request with a PLUGIN_*
 * error, never a hang or a crash of the host.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ERROR_CODES, PluginError } from "../errors.ts";
import { decodeJson, FrameReader, FrameTooLargeError } from "./protocol.ts";
import { Sandbox } from "./sandbox.ts";
import { toBase64 } from "./signing.ts";
import { concatBytes } from "../tests/_bytes.ts";
import { propertyParams } from "../tests/_random.ts";

function header(length: number): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, length);
  return h;
}

/** A stream as a sandbox may send it: whole frames, then maybe a truncated one or stray bytes. */
const stream = fc.record({
  frames: fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => new TextEncoder().encode(JSON.stringify(v))),
    ),
    { maxLength: 6 },
  ),
  tail: fc.oneof(
    fc.constant(new Uint8Array(0)),
    fc.uint8Array({ minLength: 1, maxLength: 3 }), // a cut header
    fc.tuple(fc.integer({ min: 1, max: 100 }), fc.nat()).map(([n, cut]) =>
      concatBytes([header(n), new Uint8Array(cut % n)]) // a frame cut short
    ),
    fc.integer({ min: 65, max: 2 ** 32 - 1 }).map(header), // larger than the reader's limit
  ),
  cuts: fc.array(fc.nat(), { maxLength: 20 }),
  limit: fc.constant(64),
});

Deno.test("FrameReader returns exactly the whole frames of any byte stream, however cut, then ends or fails with a RangeError", async () => {
  await fc.assert(
    fc.asyncProperty(stream, async ({ frames, tail, cuts, limit }) => {
      const sent = frames.filter((f) => f.length <= limit);
      const bytes = concatBytes([...sent.flatMap((f) => [header(f.length), f]), tail]);
      const bounds = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort((
        a,
        b,
      ) => a - b);
      const chunks = bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
      const reader = new FrameReader(ReadableStream.from(chunks));
      const got: Uint8Array[] = [];
      let end: unknown = "open";
      // Bounded: each read consumes at least a 4-byte header, or ends.
      for (let i = 0; i <= bytes.length / 4 + 1 && end === "open"; i++) {
        try {
          const frame = await reader.next(limit);
          if (frame === null) end = null;
          else got.push(frame);
        } catch (e) {
          end = e;
        }
      }
      assert.deepEqual(got, sent);
      if (tail.length === 0) assert.equal(end, null);
      else if (tail.length >= 4 && new DataView(tail.buffer).getUint32(0) > limit) {
        assert.ok(end instanceof FrameTooLargeError);
      } else assert.ok(end instanceof RangeError && !(end instanceof FrameTooLargeError), String(end));
      for (const f of got) {
        try {
          decodeJson(f);
        } catch (e) {
          assert.ok(e instanceof SyntaxError || e instanceof TypeError, `decodeJson threw ${e}`);
        }
      }
    }),
    propertyParams(300),
  );
});

/**
 * A plugin that writes the bytes it is given (base64 in the first value) to the reply channel behind the
 * shim's back (Deno.stdout is denied to plugins; node:process still reaches file descriptor 1), then
 * returns, throws or exits.
 */
const MODULE = `import process from "node:process";
export default {
  kind: "privaci.plugin", name: "@t/noise", version: "1.0.0", apiVersion: 1, privaci: "*",
  strategies: {
    noise: { description: "Writes bytes to fd 1", deterministic: true, async mask(values) {
      const bytes = Uint8Array.from(atob(values[0]), (c) => c.charCodeAt(0));
      await new Promise((resolve) => process.stdout.write(bytes, resolve));
      if (values[1] === "throw") throw new Error("after the bytes");
      if (values[1] === "exit") Deno.exit(0);
      return values;
    } },
  },
};`;

const column = {
  schema: "s",
  table: "t",
  column: "c",
  type: "text",
  family: "string",
  maxLength: null,
  notNull: false,
  unique: false,
};

/** Bytes a plugin may write: any, a header announcing any length, or one like the protocol's own. */
const noise = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }),
  fc.tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.uint8Array({ maxLength: 64 })).map(([n, b]) =>
    concatBytes([header(n), b])
  ),
  // A whole, well-formed reply with the values the host expects, under a tag made up without the key.
  fc.tuple(
    fc.array(fc.option(fc.string({ maxLength: 8 })), { minLength: 2, maxLength: 2 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
  ).map(([values, tag]) => {
    const body = new TextEncoder().encode(JSON.stringify({ t: "values", values }));
    return concatBytes([header(tag.length + body.length), tag, body]);
  }),
);

Deno.test({
  name: "Sandbox ends a batch with a PLUGIN_* error whatever bytes its plugin writes into the reply channel",
  // Each run starts a real sandbox process: few runs.
  async fn() {
    await fc.assert(
      fc.asyncProperty(noise, fc.constantFrom("return", "throw", "exit"), async (bytes, then) => {
        // Loading gets a long budget (a busy machine); batches together get a short one, which is what
        // ends a read waiting for bytes a forged header announced.
        const sandbox = new Sandbox({
          plugin: "@t/noise",
          version: "1.0.0",
          timeoutMs: 120_000,
          totalMs: 15_000,
          memoryMb: 128,
        });
        try {
          await sandbox.request({ t: "load", module: toBase64(new TextEncoder().encode(MODULE)) }, "loading");
          // Initialising and the batch share the short budget: both in the one request that must fail.
          const request = (async () => {
            await sandbox.request({
              t: "init",
              col: 1,
              strategy: "noise",
              params: {},
              column,
              key: null,
              domain: "d",
              unique: false,
            }, "initialising");
            return await sandbox.request(
              {
                t: "mask",
                col: 1,
                values: [toBase64(bytes), then],
                table: { schema: "s", table: "t" },
                firstRow: 1,
              },
              "masking",
              "noise",
            );
          })();
          await assert.rejects(request, (e: unknown) => {
            assert.ok(e instanceof PluginError, `not a PluginError: ${e}`);
            assert.ok(
              e.code.startsWith("PLUGIN_") && (ERROR_CODES as readonly string[]).includes(e.code),
              e.code,
            );
            return true;
          });
        } finally {
          await sandbox.close();
        }
        assert.equal(sandbox.running, false, "the sandbox process is gone");
      }),
      propertyParams(6),
    );
  },
});
