/**
 * `deno run -A bench/read_copy.ts [--rows N] [--runs R]`: the COPY reader alone. Makes a table of N rows
 * (default 1,000,000, about 386 MB of COPY text) in a throwaway database, then reads it R times (default
 * 3) through `SourceSnapshot.read` (the socket tap of pg/copy_out.ts) and through postgres.js's own COPY
 * stream (pg/_node_readable.ts), printing wall time, this process's CPU time (user + system, from
 * /proc/self/stat) and the number of chunks handed on. The database is dropped at the end.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { SourceSnapshot } from "../pg/source.ts";
import { openClient } from "../pg/connect.ts";
import { readableToWeb } from "../pg/_node_readable.ts";
import type { CopyChunk } from "../pg/copy_text.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { rows: { type: "string" }, runs: { type: "string" } },
});
const rows = Number(values.rows ?? 1_000_000);
const runs = Number(values.runs ?? 3);
const base = Deno.env.get("BENCH_PG_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const db = `privaci_read_${Date.now()}`;
const url = Object.assign(new URL(base), { pathname: `/${db}` }).toString();

/** CPU time of this process so far, in ms (utime + stime, clock ticks of 10 ms). */
function cpuMs(): number {
  const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function timed(
  label: string,
  read: () => Promise<ReadableStream<Uint8Array | CopyChunk>>,
  close: () => Promise<void>,
) {
  const t0 = performance.now(), c0 = cpuMs();
  let bytes = 0, chunks = 0;
  for await (const c of await read()) {
    bytes += c instanceof Uint8Array ? c.length : c.bytes.length;
    chunks++;
  }
  await close();
  console.log(
    `${label.padEnd(10)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms wall ${
      String(cpuMs() - c0).padStart(6)
    } ms cpu ${(bytes / 1e6).toFixed(1)} MB ${chunks} chunks`,
  );
}

const admin = openClient(base);
await admin.unsafe(`create database ${db}`);
try {
  const setup = openClient(url);
  await setup.unsafe(
    `create table t as select i as id, md5(i::text) as a, repeat(md5((i + 1)::text), 3) as b, 'Person ' || i as c,
       now() as d, i * 3.5 as e, md5((i * 7)::text) || '@example.com' as f, repeat('x', 150) as g
     from generate_series(1, ${rows}) i`,
  );
  await setup.end();
  for (let r = 0; r < runs; r++) {
    let snap: SourceSnapshot;
    await timed("tap", async () => {
      snap = await SourceSnapshot.open(url);
      return snap.read({
        schema: "public",
        table: "t",
        kind: "r",
        columns: ["id", "a", "b", "c", "d", "e", "f", "g"],
      });
    }, () => snap.close());
    const client = openClient(url, { fetchTypes: false });
    await timed(
      "postgres.js",
      async () => readableToWeb(await client.unsafe("copy (select * from t) to stdout").readable()),
      () => client.end(),
    );
  }
} finally {
  await admin.unsafe(`drop database if exists ${db} with (force)`);
  await admin.end();
}
