import assert from "node:assert/strict";
import { copyOut, exec, withDbs } from "../_pg.ts";

const MEASURE = new URL("../fixtures/core/measure_run.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;
const ROWS = 200_000;

/**
 * The bound on memory growth: half the table. A pipeline that buffers ahead of the target instead of
 * waiting for it (Node's `Writable.toWeb` ignores backpressure) holds most of the table at once, so its
 * growth reaches the table's size; the streaming pipeline holds a few 256 KiB chunks per stage, and what
 * remains is garbage the collector has not yet returned (about 60 MB measured for this 200 MB table).
 */
const MAX_GROWTH_SHARE = 0.5;

Deno.test("run() copies a 200k-row, 200 MB table with memory bounded well below the table size", async () => {
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
      // Its own process, so tests running in parallel do not share the measured resident set.
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MEASURE, file],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const m = JSON.parse(new TextDecoder().decode(out.stdout)) as {
        before: number;
        peak: number;
        samples: number;
        rows: number;
        bytes: number;
      };
      assert.equal(m.rows, ROWS);
      assert.ok(m.bytes > 195_000_000, `table read was ${m.bytes} bytes`);
      assert.ok(m.samples >= 5, `only ${m.samples} samples`);
      const growth = m.peak - m.before;
      console.log(
        `memory: ${(m.bytes / 1e6).toFixed(0)} MB copied, rss ${(m.before / 1e6).toFixed(0)} → peak ${
          (m.peak / 1e6).toFixed(0)
        } MB (growth ${(growth / 1e6).toFixed(0)} MB, ${m.samples} samples)`,
      );
      assert.ok(
        growth < m.bytes * MAX_GROWTH_SHARE,
        `rss grew by ${growth} bytes while copying ${m.bytes} bytes`,
      );
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
