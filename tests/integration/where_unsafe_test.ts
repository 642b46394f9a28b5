/**
 * A policy `where:` that could end the statement it is placed in (`true; commit; delete …`) or rewrite it
 * (`true) TO PROGRAM …`) is refused before anything reaches the source: `run`, `verify`, `preview` and
 * `check` name the code and the policy line, for a table's `where:` and a subset root's. A policy built
 * in code, which skips loading, is stopped where the SQL is sent, and the source is untouched either way.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { run } from "../../execute/run.ts";
import { verify } from "../../verify/verify.ts";
import { preview } from "../../preview/preview.ts";
import { connect, exec, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { policyFor } from "../fixtures/core/policy.ts";

const SEED = `create table notes (id int primary key, body text);
insert into notes select g, 'note ' || g from generate_series(1, 20) g;`;

/** The hostile filters, each with what the diagnostic says about it. */
const HOSTILE: [string, RegExp][] = [
  ["true; commit; delete from public.notes", /statement separator ';' at character 5/],
  ["id > 0) to program 'true' --", /closes a parenthesis it did not open at character 7/],
];

async function notes(url: string): Promise<number> {
  const sql = connect(url);
  try {
    return Number((await sql.unsafe(`select count(*)::int as n from notes`))[0].n);
  } finally {
    await sql.end();
  }
}

Deno.test("run, verify, preview and check refuse a where: that could leave its statement, naming WHERE_UNSAFE and the line", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, SEED);
    const dir = await Deno.makeTempDir({ prefix: "privaci_where_" });
    try {
      for (const [where, reason] of HOSTILE) {
        for (const place of ["table", "root"] as const) {
          // Line 6 holds the filter in both layouts.
          const body = place === "table"
            ? ["tables:", "  public.notes:", `    where: ${JSON.stringify(where)}`]
            : ["subset:", "  roots:", `    public.notes: { where: ${JSON.stringify(where)} }`];
          const policy = join(dir, "privaci.yaml");
          await Deno.writeTextFile(
            policy,
            ["version: 1", `source: ${sourceUrl}`, `target: ${targetUrl}`, ...body, ""].join("\n"),
          );
          const path = place === "table" ? "tables.public.notes.where" : "subset.roots.public.notes.where";
          for (const command of ["run", "verify", "preview", "check"]) {
            const r = await privaci([command, "-c", policy]);
            const what = `${command} with a ${place} where: ${where}`;
            assert.equal(r.code, 2, `${what}: ${r.stderr}`);
            assert.match(r.stderr, /^error WHERE_UNSAFE: /, what);
            assert.match(
              r.stderr,
              new RegExp(`privaci\\.yaml:6:\\d+: ${path.replaceAll(".", "\\.")}: `),
              what,
            );
            assert.match(r.stderr, reason, what);
          }
        }
      }
      assert.equal(await notes(sourceUrl), 20);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("a where: set in code past loading is stopped where run, verify and preview send it", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, SEED);
    await exec(targetUrl, SEED.split(";")[0]);
    const hostile = () => {
      const src = policyFor(sourceUrl, targetUrl, `tables:\n  public.notes:\n    where: "id > 0"`);
      // Valid SQL whatever follows it (` limit 5`): sent with the simple protocol, the delete would run
      // after the commit, outside the read-only transaction.
      src.policy.tables["public.notes"].where =
        "true; commit; delete from public.notes; select 1 from public.notes";
      return src;
    };
    // run: the read refuses the filter before its COPY is sent.
    await assert.rejects(run(hostile(), { jobs: 1 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "PG_QUERY", e.message);
      assert.match(e.message, /statement separator ';'/);
      return true;
    });
    // verify and preview send it with the extended protocol, which takes one statement.
    await assert.rejects(verify(hostile(), { workers: 0 }), /multiple commands|prepared statement/);
    await assert.rejects(preview(hostile()), /multiple commands|prepared statement/);
    assert.equal(await notes(sourceUrl), 20);
  });
});
