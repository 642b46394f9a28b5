/**
 * The report of a subset run says what was copied and why: per copied table the filter applied (root,
 * child, parent, connected, whole), which rows it keeps, the rows expected before the load and the rows
 * copied — in the JSON report and on the HTML page an auditor reads.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunReport } from "../../report/report.ts";
import { formatHtml } from "../../report/format_html.ts";
import { connect, createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { REFERENCE_SQL, SEED_SQL, SUBSET_YAML } from "../fixtures/subset/graph_db.ts";

Deno.test("privaci run --report of a subset run records each table's filter, expected and copied rows", async () => {
  const names = [await createDb("subset_report_src"), await createDb("subset_report_dst")];
  const dir = await Deno.makeTempDir({ prefix: "privaci_subset_report_" });
  try {
    const [sourceUrl, targetUrl] = names.map(dbUrl);
    await exec(sourceUrl, SEED_SQL + "create table notes (id int primary key, body text);");
    const policy = join(dir, "privaci.yaml");
    // notes is skipped: a table that is not copied has no part in the subset.
    await Deno.writeTextFile(
      policy,
      [
        "version: 1",
        `source: ${sourceUrl}`,
        `target: ${targetUrl}`,
        "unlisted: keep",
        "schema: copy",
        "tables:",
        "  public.notes: { rows: skip }",
        SUBSET_YAML,
      ].join("\n"),
    );
    const reportFile = join(dir, "report.json");
    const r = await privaci(["run", "-c", policy, "--report", reportFile, "--jobs", "1"]);
    assert.equal(r.code, 0, r.stderr);
    // The closure is computed once, and each table's kept rows are shown before the load.
    assert.match(r.stderr, /computing the subset's kept rows of 10 tables in the snapshot/);
    assert.match(r.stderr, /subset public\.orders: \d+ rows kept/);

    const report: RunReport = JSON.parse(await Deno.readTextFile(reportFile));
    const sql = connect(sourceUrl);
    const reference = Object.fromEntries(
      (await sql.unsafe<{ t: string; n: string }[]>(REFERENCE_SQL).finally(() => sql.end()))
        .map((x) => [x.t, Number(x.n)]),
    );
    const byTable = Object.fromEntries(report.subset!.map((x) => [x.table, x]));
    assert.deepEqual(Object.keys(byTable).sort(), Object.keys(reference).sort());
    assert.deepEqual(byTable["public.customers"], {
      table: "public.customers",
      role: "root",
      rule: "where id % 10 = 0",
      estimatedRows: reference["public.customers"],
      copiedRows: reference["public.customers"],
    });
    assert.equal(byTable["public.orders"].role, "child");
    assert.equal(byTable["public.products"].role, "parent");
    assert.equal(byTable["public.product_tags"].role, "connected");
    assert.equal(byTable["public.settings"].role, "whole");
    assert.match(byTable["public.orders"].rule, /referencing kept rows of public\.customers/);
    for (const [table, n] of Object.entries(reference)) {
      assert.equal(byTable[table].copiedRows, n, table);
      // A filtered table's expected rows are its kept rows, counted in the snapshot: exact.
      if (byTable[table].role !== "whole") assert.equal(byTable[table].estimatedRows, n, table);
    }
    assert.equal(byTable["public.settings"].estimatedRows, 5);

    const html = formatHtml({ run: report });
    const section = html.slice(html.indexOf(`<table id="run-subset">`));
    const row = section.slice(section.indexOf(`<tr data-table="public.customers">`)).split("</tr>")[0];
    assert.equal(
      row,
      `<tr data-table="public.customers"><td>public.customers</td><td>root</td><td>where id % 10 = 0</td>` +
        `<td class="n">${reference["public.customers"]}</td><td class="n">${
          reference["public.customers"]
        }</td>`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
    for (const n of names) await dropDb(n);
  }
});
