/**
 * Fetching plugin files from hostile or broken sources, all served on 127.0.0.1: a server that never
 * answers, one that stalls mid-body, one that streams without end, redirects to places plugins may not
 * come from or in a loop, and a FIFO where a file should be. Each ends in PLUGIN_RESOLVE, in bounded time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginError } from "../../errors.ts";
import { fetchBytes } from "../../plugins/_fetch.ts";
import { withTempDir } from "../fixtures/plugins/_kit.ts";

const FAST = { connectTimeoutMs: 500, readTimeoutMs: 500 };

async function refused(fn: () => Promise<unknown>, pattern: RegExp): Promise<number> {
  const started = performance.now();
  const error = await fn().then(() => assert.fail("should be refused"), (e: unknown) => e);
  const ms = Math.round(performance.now() - started);
  assert.ok(error instanceof PluginError, String(error));
  assert.equal(error.code, "PLUGIN_RESOLVE");
  assert.equal(error.exitCode, 3);
  assert.match(error.message, pattern);
  return ms;
}

/** A raw TCP server on 127.0.0.1 that handles each connection with `fn` (for misbehaving HTTP). */
function rawServer(fn: (conn: Deno.Conn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const done = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      fn(conn).catch(() => {});
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${listener.addr.port}/`,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // Already closed.
        }
      }
      await done;
    },
  };
}

Deno.test("fetchBytes() gives up on a server that never answers", async () => {
  const server = rawServer(async (conn) => {
    await conn.read(new Uint8Array(4096));
    await new Promise((r) => setTimeout(r, 3000));
  });
  try {
    const ms = await refused(
      () => fetchBytes(new URL("plugin.json", server.url), "@t/slow", FAST),
      /no response in time/,
    );
    console.log(`containment: fetch/no_answer PLUGIN_RESOLVE ${ms} ms`);
  } finally {
    await server.close();
  }
});

Deno.test("fetchBytes() gives up on a body that stops arriving", async () => {
  const server = rawServer(async (conn) => {
    await conn.read(new Uint8Array(4096));
    await conn.write(new TextEncoder().encode('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{"a":'));
    await new Promise((r) => setTimeout(r, 3000));
  });
  try {
    const ms = await refused(
      () => fetchBytes(new URL("plugin.json", server.url), "@t/stall", FAST),
      /the server stopped sending/,
    );
    console.log(`containment: fetch/stalled_body PLUGIN_RESOLVE ${ms} ms`);
  } finally {
    await server.close();
  }
});

Deno.test("fetchBytes() stops reading an endless body at the size cap, while it streams", async () => {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    // Bounded: at most 4096 chunks (256 MiB), far beyond the cap of 1 MiB.
    let i = 0;
    return new Response(
      new ReadableStream({
        pull(c) {
          if (i++ >= 4096) return c.close();
          sent += chunk.length;
          c.enqueue(chunk);
        },
      }),
    );
  });
  try {
    const ms = await refused(
      () =>
        fetchBytes(new URL(`http://127.0.0.1:${server.addr.port}/mod.js`), "@t/endless", {
          ...FAST,
          maxBytes: 1024 * 1024,
        }),
      /larger than 1048576 bytes/,
    );
    console.log(`containment: fetch/endless_body PLUGIN_RESOLVE ${ms} ms`);
    assert.ok(sent < 64 * 1024 * 1024, `${sent} bytes sent before the client stopped`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("fetchBytes() refuses a declared length over the cap before reading the body", async () => {
  const server = rawServer(async (conn) => {
    await conn.read(new Uint8Array(4096));
    await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\nxx"));
    await new Promise((r) => setTimeout(r, 3000));
  });
  try {
    await refused(() => fetchBytes(new URL("mod.js", server.url), "@t/big", FAST), /larger than/);
  } finally {
    await server.close();
  }
});

Deno.test("fetchBytes() checks every redirect against the sources plugins may come from", async () => {
  const hits: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    hits.push(path);
    const to = {
      "/to-http": "http://192.0.2.1/plugin.json",
      "/to-file": "file:///etc/hostname",
      "/to-ftp": "ftp://127.0.0.1/plugin.json",
      "/loop": "/loop",
      "/ok": "/final",
    }[path];
    if (to) return new Response(null, { status: 302, headers: { location: to } });
    return new Response("{}");
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    await refused(
      () => fetchBytes(new URL(`${base}/to-http`), "@t/r", FAST),
      /redirects to a URL plugins may not come from: http:\/\/192\.0\.2\.1/,
    );
    await refused(() => fetchBytes(new URL(`${base}/to-file`), "@t/r", FAST), /redirects to a file: URL/);
    await refused(() => fetchBytes(new URL(`${base}/to-ftp`), "@t/r", FAST), /may not come from: ftp:/);
    await refused(() => fetchBytes(new URL(`${base}/loop`), "@t/r", FAST), /redirects more than 5 times/);
    assert.deepEqual(new TextDecoder().decode(await fetchBytes(new URL(`${base}/ok`), "@t/r", FAST)), "{}");
    assert.equal(hits.filter((h) => h === "/loop").length, 6);
  } finally {
    await server.shutdown();
  }
});

Deno.test({
  name: "fetchBytes() refuses a FIFO (or any file that is not regular) instead of blocking on it",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await withTempDir(async (dir) => {
      const fifo = join(dir, "plugin.json.sig");
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assert.ok(made.success);
      const ms = await refused(
        () => fetchBytes(new URL(`file://${fifo}`), "@t/fifo"),
        /as it is not a regular file/,
      );
      console.log(`containment: fetch/fifo PLUGIN_RESOLVE ${ms} ms`);
      await refused(() => fetchBytes(new URL(`file://${dir}/`), "@t/dir"), /as it is not a regular file/);
    });
  },
});
