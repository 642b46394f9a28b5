import assert from "node:assert/strict";
import { PgError } from "../../errors.ts";
import { type CopyChunk, decodeRows, encodeRows } from "../../pg/copy_text.ts";
import { openSink } from "../../pg/sink.ts";
import { SourceSnapshot } from "../../pg/source.ts";
import { connect, copyOut, exec, withDbs } from "../_pg.ts";
import { text } from "../fixtures/core/policy.ts";

async function readAll(stream: ReadableStream<CopyChunk>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of stream) parts.push(c.bytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), o += p.length;
  return out;
}

/** Polls `query` (bounded: 50 × 100 ms) until `done` holds for its rows; returns the last rows. */
async function pollUntil<T>(url: string, query: string, done: (rows: T[]) => boolean): Promise<T[]> {
  const sql = connect(url);
  try {
    let rows: T[] = [];
    for (let i = 0; i < 50; i++) {
      rows = [...await sql.unsafe(query)] as T[];
      if (done(rows)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return rows;
  } finally {
    await sql.end();
  }
}

function sessions(db: string, like: string): string {
  return `select application_name, state, wait_event from pg_stat_activity
           where datname = '${db}' and application_name like '${like}'`;
}

Deno.test("SourceSnapshot reads every table as of one point in time while the source keeps writing", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await exec(
      sourceUrl,
      `create table account (id int primary key, balance int);
       create table movement (id int, account int, amount int);
       insert into account select g, 100 from generate_series(1, 10) g`,
    );
    const snapshot = await SourceSnapshot.open(sourceUrl);
    try {
      assert.match(snapshot.id, /^[0-9A-F]+-[0-9A-F]+-\d+$/);
      // Production moves money after the snapshot: both tables change in one transaction.
      await exec(
        sourceUrl,
        `begin; update account set balance = balance - 30 where id = 1;
         insert into movement values (1, 1, -30); delete from account where id = 10; commit`,
      );
      const spec = { schema: "public", kind: "r" as const };
      const [accounts, movements] = await Promise.all([
        snapshot.read({ ...spec, table: "account", columns: ["id", "balance"] }).then(readAll),
        snapshot.read({ ...spec, table: "movement", columns: ["id", "account", "amount"] }).then(readAll),
      ]);
      const rows = decodeRows(accounts, 2).sort((a, b) => Number(a[0]) - Number(b[0]));
      assert.deepEqual(rows, Array.from({ length: 10 }, (_, i) => [String(i + 1), "100"]));
      assert.equal(movements.length, 0);
      // The same query in the snapshot's own transaction agrees; outside it, the new state is seen.
      const [{ n }] = await snapshot.sql`select count(*)::int as n from account`;
      assert.equal(n, 10);
      assert.equal(text(await copyOut(sourceUrl, "select count(*) from account")), "9\n");
    } finally {
      await snapshot.close();
    }
  });
});

Deno.test("SourceSnapshot.read() names the table when the source refuses the query", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await exec(sourceUrl, "create table t (id int)");
    const snapshot = await SourceSnapshot.open(sourceUrl);
    try {
      await assert.rejects(
        snapshot.read({ schema: "public", table: "t", kind: "r", columns: ["id"], where: "nope = 1" }),
        {
          name: "PgError",
          code: "PG_QUERY",
          table: "public.t",
          sqlstate: "42703",
          message: 'Cannot read public.t from the source: column "nope" does not exist (SQLSTATE 42703)',
        },
      );
    } finally {
      await snapshot.close();
    }
  });
});

Deno.test("SourceSnapshot.read() stops the server when not read, and cancelling ends its session", async () => {
  await withDbs(async ({ source, sourceUrl }) => {
    await exec(
      sourceUrl,
      "create table big (id int, pad text); insert into big select g, repeat('x', 1000) from generate_series(1, 30000) g",
    );
    const snapshot = await SourceSnapshot.open(sourceUrl);
    try {
      const stream = await snapshot.read({
        schema: "public",
        table: "big",
        kind: "r",
        columns: ["id", "pad"],
      });
      const reader = stream.getReader();
      const first = await reader.read();
      assert.equal(first.done, false);
      // Backpressure reaches the server: with nobody reading, it waits to write to the socket.
      const blocked = await pollUntil<{ wait_event: string | null }>(
        sourceUrl,
        sessions(source, "privaci read public.big"),
        (rows) => rows.length === 1 && rows[0].wait_event === "ClientWrite",
      );
      assert.deepEqual(blocked.map((r) => r.wait_event), ["ClientWrite"]);
      await reader.cancel();
      // A cancelled read must not leave the server in COPY, holding the snapshot.
      const left = await pollUntil<unknown>(
        sourceUrl,
        sessions(source, "privaci read %"),
        (r) => r.length === 0,
      );
      assert.deepEqual(left, []);
    } finally {
      await snapshot.close();
    }
  });
});

Deno.test("openSink() commits on close, rolls back on abort, and surfaces a server error without hanging", async (t) => {
  await withDbs(async ({ target, targetUrl }) => {
    await exec(targetUrl, "create table t (id int primary key, name text)");
    const spec = { schema: "public", table: "t", columns: ["id", "name"] };

    await t.step("close commits every row", async () => {
      const sink = await openSink(targetUrl, spec);
      const w = sink.writable.getWriter();
      await w.write(encodeRows([["1", "a\tb"], ["2", null]]));
      await w.write(encodeRows([["3", "😀"]]));
      await w.close();
      await sink.committed;
      assert.equal(
        text(await copyOut(targetUrl, "select * from t order by id")),
        "1\ta\\tb\n2\t\\N\n3\t😀\n",
      );
    });

    await t.step("abort leaves no row of the aborted load", async () => {
      await exec(targetUrl, "truncate t");
      const sink = await openSink(targetUrl, spec);
      const w = sink.writable.getWriter();
      await w.write(encodeRows(Array.from({ length: 1000 }, (_, i) => [String(i), "x"])));
      await w.abort(new Error("stop"));
      await assert.rejects(sink.committed);
      assert.equal(text(await copyOut(targetUrl, "select count(*) from t")), "0\n");
    });

    await t.step("a duplicate key rejects the load with a PgError naming the table", async () => {
      const sink = await openSink(targetUrl, spec);
      const w = sink.writable.getWriter();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the sink did not settle within 20 s")), 20_000);
      });
      try {
        const outcome = Promise.resolve()
          .then(() => w.write(encodeRows([["7", "secret-a"], ["7", "secret-b"]])))
          .then(() => w.close())
          .then(() => assert.fail("the load was accepted"), (e: unknown) => e);
        const e = await Promise.race([outcome, deadline]);
        assert.ok(e instanceof PgError, String(e));
        assert.deepEqual([e.code, e.table, e.sqlstate], ["PG_COPY", "public.t", "23505"]);
        assert.ok(!e.message.includes("secret"), e.message);
        await assert.rejects(Promise.race([sink.committed, deadline]), PgError);
      } finally {
        clearTimeout(timer);
      }
      assert.equal(text(await copyOut(targetUrl, "select count(*) from t")), "0\n");
    });

    await t.step(
      "a row the server refuses while data still flows fails the load with a PgError",
      async () => {
        const sink = await openSink(targetUrl, spec);
        const w = sink.writable.getWriter();
        const big = encodeRows(Array.from({ length: 20_000 }, (_, i) => [String(100 + i), "y".repeat(20)]));
        let failure: unknown = undefined;
        // Bounded: the server's error must reach a write (or the close) long before 200 chunks of 500 KB.
        try {
          await w.write(encodeRows([["not a number", "z"]]));
          for (let i = 0; i < 200; i++) await w.write(big);
          await w.close();
        } catch (e) {
          failure = e;
        }
        assert.ok(failure instanceof PgError, String(failure));
        assert.deepEqual([failure.code, failure.table, failure.sqlstate], ["PG_COPY", "public.t", "22P02"]);
        await assert.rejects(sink.committed, PgError);
        assert.equal(text(await copyOut(targetUrl, "select count(*) from t")), "0\n");
      },
    );

    await t.step("no session of the sinks is left open", async () => {
      const left = await pollUntil<unknown>(
        targetUrl,
        sessions(target, "privaci write %"),
        (r) => r.length === 0,
      );
      assert.deepEqual(left, []);
    });
  });
});
