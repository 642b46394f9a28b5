import assert from "node:assert/strict";
import { copyOut, exec, withDbs } from "../_pg.ts";

const MEASURE = new URL("../fixtures/core/measure_run.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;
const ROWS = 200_000;

/**
 * What "bounded" means here, checked from samples taken every 50 ms while the table loads, each just
 * after a full collection (so they do not depend on when a loaded machine lets the collector run):
 *
 * - what the run retains (JS heap in use plus ArrayBuffers) grows by far less than the table: a pipeline
 *   that reads ahead of the target (Node's `Writable.toWeb` ignores backpressure) holds the table in
 *   memory, so its growth reaches a large part of the table's bytes;
 * - what it retains in the second half of the load is at most the first half's plus a small slack:
 *   streaming keeps a bounded set of chunks in flight, while anything that keeps rows grows with the
 *   rows copied (here by some 100 MB between the halves);
 * - the resident set, collector's garbage included, stays below the table's size.
 */
const RETAINED_LIMIT = 80 * 1024 * 1024;
const PLATEAU_SLACK = 24 * 1024 * 1024;

Deno.test("run() copies a 200k-row, 200 MB table with memory that plateaus below the table size", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = "create table big (id integer primary key, a text, b text, n integer)";
    await exec(targetUrl, ddl);
    // 32 × 16 + 32 × 15 = 992 characters of text per row.
    await exec(
      sourceUrl,
      `${ddl}; insert into big select g, repeat(md5(g::text), 16), repeat(md5((-g)::text), 15), g
                 from generate_series(1, ${ROWS}) g`,
    );
    const dir = await Deno.makeTempDir({ prefix: "privaci_memory_" });
    try {
      const file = `${dir}/privaci.yaml`;
      // Column b goes through the decode/mask/encode path; the others pass through as raw bytes.
      await Deno.writeTextFile(
        file,
        [
          "version: 1",
          `source: ${sourceUrl}`,
          `target: ${targetUrl}`,
          "tables:",
          "  public.big:",
          "    columns: { id: keep, a: keep, b: 'null', n: keep }",
        ].join("\n"),
      );
      // Its own process, so tests running in parallel do not share the measured memory.
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--v8-flags=--expose-gc", MEASURE, file],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const m = JSON.parse(new TextDecoder().decode(out.stdout)) as {
        before: { retained: number; rss: number };
        copyStart: number;
        copyEnd: number;
        samples: [number, number, number][];
        rows: number;
        bytes: number;
      };
      assert.equal(m.rows, ROWS);
      assert.ok(m.bytes > 195_000_000, `table read was ${m.bytes} bytes`);
      const middle = (m.copyStart + m.copyEnd) / 2;
      const first = m.samples.filter(([t]) => t >= m.copyStart && t < middle);
      const second = m.samples.filter(([t]) => t >= middle);
      assert.ok(
        first.length >= 3 && second.length >= 3,
        `too few samples: ${first.length} + ${second.length}`,
      );
      const peak = (s: [number, number, number][], i: 1 | 2) => Math.max(...s.map((x) => x[i]));
      const growth1 = peak(first, 1) - m.before.retained;
      const growth2 = peak(second, 1) - m.before.retained;
      const rssGrowth = Math.max(peak(first, 2), peak(second, 2)) - m.before.rss;
      const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
      console.log(
        `memory: ${mb(m.bytes)} copied in ${((m.copyEnd - m.copyStart) / 1000).toFixed(1)} s; retained ${
          mb(m.before.retained)
        } before, peak growth ${mb(growth1)} in the first half, ${mb(growth2)} in the second; rss ${
          mb(m.before.rss)
        } before, peak growth ${mb(rssGrowth)}`,
      );
      assert.ok(
        Math.max(growth1, growth2) < RETAINED_LIMIT,
        `retained grew by ${mb(Math.max(growth1, growth2))}`,
      );
      assert.ok(
        growth2 <= growth1 + PLATEAU_SLACK,
        `retained memory kept growing: ${mb(growth1)} in the first half, ${mb(growth2)} in the second`,
      );
      assert.ok(rssGrowth < m.bytes, `rss grew by ${mb(rssGrowth)}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    // Spot-check the content: every row arrived, b was masked, the rest kept.
    const q = "select count(*), count(b), sum(n), md5(string_agg(a, '' order by id)) from big";
    const [src, dst] = await Promise.all([copyOut(sourceUrl, q), copyOut(targetUrl, q)]);
    const [count, countB, ...rest] = new TextDecoder().decode(dst).trim().split("\t");
    assert.deepEqual([count, countB], [String(ROWS), "0"]);
    assert.deepEqual(rest, new TextDecoder().decode(src).trim().split("\t").slice(2));
  });
});
