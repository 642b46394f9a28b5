import assert from "node:assert/strict";
import { CopyOutSplitter, copyOutStream } from "./copy_out.ts";
import { type TapSocket, tapSocketFactory } from "./_tap_socket.ts";
import { openClient } from "./connect.ts";
import { ADMIN_URL, copyOut, createDb, dbUrl, dropDb, exec } from "../tests/_pg.ts";
import { concatBytes } from "../tests/_bytes.ts";

const enc = new TextEncoder();

/** One backend message: type byte, 32-bit length (itself included), body. */
function message(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setUint32(1, body.length + 4);
  out.set(body, 5);
  return out;
}

/** A COPY OUT exchange with a notice in the middle and what follows CopyDone. */
function exchange(rows: readonly string[]) {
  const before = [message("H", new Uint8Array([0, 0, 2, 0, 0, 0, 0]))];
  const notice = message("N", enc.encode("SNOTICE\0Mhello\0\0"));
  const data = rows.map((r) => message("d", enc.encode(r)));
  const after = [
    message("c", new Uint8Array()),
    message("C", enc.encode("COPY 3\0")),
    message("Z", enc.encode("I")),
  ];
  const half = Math.floor(data.length / 2);
  const wire = concatBytes([...before, ...data.slice(0, half), notice, ...data.slice(half), ...after]);
  return {
    wire,
    rows: enc.encode(rows.join("")),
    others: concatBytes([...before, notice, ...after]),
    copyDoneEnd: wire.length - after[1].length - after[2].length,
  };
}

/** Feeds `wire` cut at `cuts` and returns what came out on each side. */
function split(wire: Uint8Array, cuts: readonly number[], capacity = 16) {
  const passed: Uint8Array[] = [];
  const rows: Uint8Array[] = [];
  const s = new CopyOutSplitter((b) => passed.push(b.slice()), capacity);
  let from = 0;
  let doneAt = -1;
  for (const cut of [...cuts, wire.length]) {
    if (cut <= from) continue;
    const piece = wire.slice(from, cut);
    if (doneAt === -1) {
      const at = s.feed(piece);
      if (s.done) doneAt = from + at;
      // Only whole rows are ever offered.
      if (s.rowBytes > 0) rows.push(s.take().bytes.slice());
    } else {
      passed.push(piece);
    }
    from = cut;
  }
  return { passed: concatBytes(passed), rows: concatBytes(rows), doneAt, done: s.done };
}

Deno.test("CopyOutSplitter keeps row bytes and passes every other message on, however the bytes are cut", () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${i}\tname ${"é".repeat(i % 7)}\t\\N\n`);
  const ex = exchange(rows);
  // Every single cut position, including inside each 5-byte header.
  for (let cut = 0; cut <= ex.wire.length; cut++) {
    const got = split(ex.wire, [cut]);
    assert.deepEqual(got.rows, ex.rows, `rows with a cut at ${cut}`);
    assert.deepEqual(got.passed, ex.others, `passed-on bytes with a cut at ${cut}`);
    assert.equal(got.done, true);
    assert.equal(got.doneAt, ex.copyDoneEnd, `CopyDone end with a cut at ${cut}`);
  }
  // One byte at a time (any other cuts: copy_out_property_test.ts).
  const bytewise = split(ex.wire, Array.from({ length: ex.wire.length }, (_, i) => i));
  assert.deepEqual(bytewise.rows, ex.rows);
  assert.deepEqual(bytewise.passed, ex.others);
});

Deno.test("CopyOutSplitter offers only complete rows and grows for a row larger than its buffer", () => {
  const big = "x".repeat(5000) + "\n";
  const ex = exchange(["a\n", big, "b\n"]);
  const start = ex.wire.indexOf("d".charCodeAt(0), 8); // somewhere inside the big row's message
  const s = new CopyOutSplitter(() => {}, 16);
  s.feed(ex.wire.subarray(0, start + 2000));
  const first = s.take();
  assert.equal(new TextDecoder().decode(first.bytes), "a\n");
  assert.equal(first.rows, 1);
  assert.equal(s.rowBytes, 0);
  s.feed(ex.wire.subarray(start + 2000));
  const rest = s.take();
  assert.equal(new TextDecoder().decode(rest.bytes), big + "b\n");
  assert.equal(rest.rows, 2);
  assert.equal(s.done, true);
});

Deno.test("copyOutStream() reads a real COPY byte for byte, in chunks of whole rows", async () => {
  const db = await createDb("cpo");
  const url = dbUrl(db);
  try {
    await exec(
      url,
      `create table t (id int, s text, j jsonb, b bytea);
       insert into t select i, case when i % 50 = 0 then null else E'tab\\there \\\\ back ' || repeat('ü', i % 9) || i end,
         jsonb_build_object('k', i, 'q', E'line\\nbreak'), decode(md5(i::text), 'hex')
       from generate_series(1, 60000) i;`,
    );
    let socket: TapSocket | null = null;
    const client = openClient(url, { fetchTypes: false, socket: tapSocketFactory((s) => socket = s) });
    try {
      await client.unsafe("select 1");
      assert.ok(socket !== null && (socket as TapSocket).tappable, "a plain TCP connection is tapped");
      let done: unknown[] = [];
      const out = copyOutStream(socket!, { chunkBytes: 64 * 1024, onDone: (e) => void done.push(e) });
      out.attach(await client.unsafe("copy (select * from t order by id) to stdout").readable());
      const chunks: Uint8Array[] = [];
      for await (const c of out.stream) {
        assert.equal(c.bytes[c.bytes.length - 1], 0x0a, "each chunk ends at a row end");
        assert.equal(c.rows, c.bytes.filter((b) => b === 0x0a).length, "the chunk's row count is right");
        chunks.push(c.bytes);
      }
      assert.ok(chunks.length > 10, `several chunks (${chunks.length})`);
      assert.deepEqual(concatBytes(chunks), await copyOut(url, "select * from t order by id"));
      assert.deepEqual(done, [undefined]);
      // The connection is usable afterwards: postgres.js saw CopyDone, CommandComplete and ReadyForQuery.
      const [{ n }] = await client.unsafe<{ n: number }[]>("select count(*)::int as n from t");
      assert.equal(n, 60000);
      done = [];
    } finally {
      await client.end({ timeout: 0 });
    }
  } finally {
    await dropDb(db);
  }
});

Deno.test("copyOutStream() fails with the server's error when the COPY fails midway", async () => {
  const client = (() => {
    let socket: TapSocket | null = null;
    const sql = openClient(ADMIN_URL, { fetchTypes: false, socket: tapSocketFactory((s) => socket = s) });
    return { sql, socket: () => socket! };
  })();
  try {
    await client.sql.unsafe("select 1");
    const done: unknown[] = [];
    const out = copyOutStream(client.socket(), { chunkBytes: 4096, onDone: (e) => void done.push(e) });
    out.attach(
      await client.sql.unsafe("copy (select i, 1 / (i - 40000) from generate_series(1, 80000) i) to stdout")
        .readable(),
    );
    let rows = 0;
    await assert.rejects(
      (async () => {
        for await (const c of out.stream) rows += c.rows;
      })(),
      (e: { code?: string }) => e.code === "22012",
    );
    assert.ok(rows < 40000, `no row past the failure (${rows})`);
    assert.equal(done.length, 1);
    assert.equal((done[0] as { code?: string }).code, "22012");
  } finally {
    await client.sql.end({ timeout: 0 });
  }
});

Deno.test("copyOutStream() fails when the backend is terminated, and cancel ends the read", async () => {
  const admin = openClient(ADMIN_URL);
  try {
    for (const how of ["terminate", "cancel"] as const) {
      let socket: TapSocket | null = null;
      const sql = openClient(ADMIN_URL, { fetchTypes: false, socket: tapSocketFactory((s) => socket = s) });
      try {
        const [{ pid }] = await sql.unsafe<{ pid: number }[]>("select pg_backend_pid() as pid");
        const done: unknown[] = [];
        const out = copyOutStream(socket!, { chunkBytes: 4096, onDone: (e) => void done.push(e) });
        out.attach(
          await sql.unsafe("copy (select i, repeat('x', 200) from generate_series(1, 5000000) i) to stdout")
            .readable(),
        );
        const reader = out.stream.getReader();
        assert.equal((await reader.read()).done, false);
        if (how === "terminate") {
          await admin.unsafe("select pg_terminate_backend($1)", [pid]);
          const started = performance.now();
          await assert.rejects(async () => {
            for (let i = 0; i < 100_000; i++) if ((await reader.read()).done) return;
          });
          assert.ok(performance.now() - started < 10_000, "the failure arrives promptly");
        } else {
          await reader.cancel(new Error("stop"));
          assert.equal((done[0] as Error).message, "stop");
        }
        assert.equal(done.length, 1);
      } finally {
        await sql.end({ timeout: 0 });
      }
    }
  } finally {
    await admin.end();
  }
});

Deno.test("tapSocketFactory() never taps a connection that may use TLS, and fails like postgres.js on a closed port", async () => {
  const seen: TapSocket[] = [];
  const make = tapSocketFactory((s) => seen.push(s));
  const s = await make({ host: ["127.0.0.1"], port: [5432], ssl: "require", connect_timeout: 5 });
  assert.equal(s.tappable, false);
  s.destroy();
  const plain = await make({ host: ["127.0.0.1"], port: [5432], ssl: false, connect_timeout: 5 });
  assert.equal(plain.tappable, true);
  plain.destroy();
  assert.equal(seen.length, 2);
  // A port nothing listens on (bound then closed, so it is free).
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await assert.rejects(
    make({ host: ["127.0.0.1"], port: [port], ssl: false, connect_timeout: 5 }),
    (e: { code?: string }) => e.code === "ECONNREFUSED",
  );
});
