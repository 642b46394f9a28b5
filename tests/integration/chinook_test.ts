import assert from "node:assert/strict";
import { connect, copyOut, psqlFile, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { keepAllYaml, text } from "../fixtures/core/policy.ts";
import { chinookScripts } from "../_chinook.ts";

/** Each table's primary key columns, by table name. */
async function primaryKeys(url: string): Promise<Map<string, string[]>> {
  const sql = connect(url);
  try {
    const rows = await sql<{ t: string; cols: string[] }[]>`
      select c.relname as t,
             array(select a.attname from unnest(i.indkey) with ordinality k(n, o)
                     join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.o) as cols
        from pg_index i join pg_class c on c.oid = i.indrelid
       where i.indisprimary and c.relnamespace = 'public'::regnamespace order by 1`;
    return new Map(rows.map((r) => [r.t, r.cols]));
  } finally {
    await sql.end();
  }
}

function header(sourceUrl: string, targetUrl: string): string {
  return `version: 1\nsource: ${sourceUrl}\ntarget: ${targetUrl}\nschemas: [public]\n`;
}

Deno.test("privaci check and run on chinook: a missing column fails check, keep-all copies byte for byte", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_chinook_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      const scripts = await chinookScripts(dir);
      await psqlFile(sourceUrl, scripts.full);
      await psqlFile(targetUrl, scripts.ddl);
      const keepAll = await keepAllYaml(sourceUrl);
      const complete = `${dir}/complete.yaml`;
      await Deno.writeTextFile(complete, header(sourceUrl, targetUrl) + keepAll + "\n");

      await t.step(
        "check names the column a policy leaves out, with file and line, and exits 2",
        async () => {
          const lines = (header(sourceUrl, targetUrl) + keepAll).split("\n");
          const dropped = lines.findIndex((l) => l.trim() === '"email": keep');
          // The first "email" is customer's (tables are listed in name order: album, artist, customer, ...).
          assert.ok(lines.slice(0, dropped).some((l) => l.includes('"public.customer":')));
          lines.splice(dropped, 1);
          const partial = `${dir}/partial.yaml`;
          await Deno.writeTextFile(partial, lines.join("\n") + "\n");
          const columnsLine = lines.findIndex((l, i) =>
            i > 0 && l.trim() === "columns:" &&
            lines[i - 1].includes('"public.customer":')
          ) + 1;

          const r = await privaci(["check", "-c", partial]);
          assert.equal(r.code, 2, r.stderr);
          assert.ok(
            r.stderr.includes(
              `${partial}:${columnsLine}:5: tables.public.customer.columns: column public.customer.email ` +
                "(character varying(60)) is not classified by the policy",
            ),
            r.stderr,
          );
          assert.match(r.stderr, /1 problem/);
          // The suggested snippet to paste names the column under its table.
          assert.match(r.stdout, /public\.customer:\n\s+columns:\n\s+email: /);
        },
      );

      await t.step("check passes a policy that classifies every column", async () => {
        const r = await privaci(["check", "-c", complete]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.trim(), "ok: 11 tables, 64 columns, every column classified");
      });

      await t.step(
        "run with keep on every column makes each target table equal to the source's",
        async () => {
          const r = await privaci(["run", "-c", complete, "-q", "--json"]);
          assert.equal(r.code, 0, r.stderr);
          const report = JSON.parse(r.stdout);
          assert.equal(report.ok, true);
          assert.equal(report.tables.length, 11);
          assert.equal(report.totals.maskedColumns, 0);
          const keys = await primaryKeys(sourceUrl);
          assert.equal(keys.size, 11);
          let rows = 0;
          for (const [table, cols] of keys) {
            const query = `select * from ${table} order by ${cols.join(", ")}`;
            const [src, dst] = await Promise.all([copyOut(sourceUrl, query), copyOut(targetUrl, query)]);
            assert.ok(src.length > 0, `${table} is empty in the source`);
            assert.equal(text(dst), text(src), table);
            assert.deepEqual(dst, src, table);
            rows += text(src).split("\n").length - 1;
          }
          assert.equal(rows, report.totals.rows);
          assert.equal(rows, 15607);
        },
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
