/**
 * `privaci preview` on the shop fixture: the masked values it shows are the values `run` writes for the
 * same rows with the same key, and it never opens the target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { privaci } from "../fixtures/core/cli.ts";
import { connect, exec, psqlFile, withDbs } from "../_pg.ts";
import type { PreviewTable } from "../../preview/preview.ts";

const SHOP = new URL("../fixtures/scan/shop.sql", import.meta.url).pathname;
const KEY = "preview-test-key-0123456789abcdef0123456";

Deno.test("privaci preview shows exactly what run writes, and never opens the target", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, SHOP);
    const text = await Deno.readTextFile(SHOP);
    await exec(targetUrl, text.slice(0, text.indexOf("create function pick")));
    const dir = await Deno.makeTempDir();
    try {
      const policy = `${dir}/privaci.yaml`;
      assert.equal((await privaci(["scan", "--source", sourceUrl, "--out", policy, "-q"])).code, 0);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_KEY: KEY };
      // An unreachable target: preview must not need it.
      const shown = await privaci(["preview", "-c", policy, "-t", "public.customers", "-n", "4", "--json"], {
        ...env,
        PRIVACI_TARGET_URL: "postgres://nobody@127.0.0.1:1/none",
      });
      assert.equal(shown.code, 0, shown.stderr);
      const [table] = JSON.parse(shown.stdout) as PreviewTable[];
      assert.equal(table.table, "public.customers");
      assert.equal(table.rows, 4);
      const masked = table.columns.map((c) => c.column).sort();
      assert.ok(masked.includes("notes") && masked.includes("preferences") && masked.includes("phones"));

      const ran = await privaci(["run", "-c", policy, "-q"], { ...env, PRIVACI_TARGET_URL: targetUrl });
      assert.equal(ran.code, 0, ran.stderr);
      const src = connect(sourceUrl), dst = connect(targetUrl);
      try {
        const emails = table.columns.find((c) => c.column === "email")!.cells.map((c) => c.before!);
        for (const [r, email] of emails.entries()) {
          const [{ id }] = await src`select id from customers where email = ${email}`;
          const [written] = await dst.unsafe(
            `select ${masked.map((c) => `${c}::text`).join(", ")} from customers where id = $1`,
            [id],
          );
          for (const c of table.columns) {
            // The target stores what run wrote in its type's canonical form (jsonb re-spaces documents).
            const [{ type }] = await dst`select format_type(atttypid, atttypmod) as type from pg_attribute
                                          where attrelid = 'customers'::regclass and attname = ${c.column}`;
            const [{ v }] = await dst.unsafe(`select $1::text::${type}::text as v`, [c.cells[r].after]);
            assert.equal(v, written[c.column], `customers.${c.column} of row ${id}`);
          }
        }
      } finally {
        await src.end();
        await dst.end();
      }

      const human = await privaci(["preview", "-c", policy, "-t", "customers", "-n", "2"], {
        ...env,
        PRIVACI_TARGET_URL: targetUrl,
      });
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^ {2}notes \(text\.scrub\)\n {4}\S.*\[.+\].* │ .*\[\[PERSON\]\]/m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
