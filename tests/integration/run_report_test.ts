import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunReport } from "../../report/report.ts";
import { exec, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";

Deno.test("privaci run --report writes the report of a failed run: status failed, the error, what completed", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(
      sourceUrl,
      `create table a_done (id int primary key, note text);
       insert into a_done select g, 'n' || g from generate_series(1, 50) g;
       create table b_fails (id int primary key, balance int);
       insert into b_fails values (1, 5), (2, -1);`,
    );
    await exec(
      targetUrl,
      `create table a_done (id int primary key, note text);
       create table b_fails (id int primary key, balance int check (balance >= 0));`,
    );
    const dir = await Deno.makeTempDir({ prefix: "privaci_report_" });
    try {
      const policy = join(dir, "privaci.yaml");
      const reportFile = join(dir, "report.json");
      await Deno.writeTextFile(
        policy,
        `version: 1\nsource: ${sourceUrl}\ntarget: ${targetUrl}\n` +
          `tables:\n  public.a_done:\n    columns: { id: keep, note: redact }\n` +
          `  public.b_fails:\n    columns: { id: keep, balance: keep }\n`,
      );
      const r = await privaci(["run", "-c", policy, "--report", reportFile, "--jobs", "1", "-q"]);
      assert.equal(r.code, 1, r.stderr);
      const report: RunReport = JSON.parse(await Deno.readTextFile(reportFile));
      assert.equal(report.status, "failed");
      assert.equal(report.ok, false);
      assert.equal(report.error?.code, "PG_COPY");
      assert.match(report.error!.message, /^Cannot load public\.b_fails/);
      assert.ok(report.runId !== "" && report.snapshot !== "", JSON.stringify(report));
      const byName = Object.fromEntries(report.tables.map((t) => [t.table, [t.status, t.rows]]));
      assert.deepEqual(byName, { "public.a_done": ["copied", 50], "public.b_fails": ["failed", 0] });
      assert.equal(report.totals.rows, 50);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
