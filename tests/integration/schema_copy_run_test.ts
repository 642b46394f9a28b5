import assert from "node:assert/strict";
import { connect, psqlFile, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { chinookScripts } from "../_chinook.ts";

const KEY = "base64:" + btoa("schema copy test key: 32 bytes or more");

async function schemaOnlyDump(url: string): Promise<string> {
  const out = await new Deno.Command("pg_dump", {
    args: ["--schema-only", "--no-owner", "--no-privileges", "--schema=public", url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) =>
    // pg_dump 15.14+ wraps the script in \restrict <random key> … \unrestrict <key>.
    !/^(--|SET |SELECT pg_catalog|\\(un)?restrict )/.test(l)
  )
    .join("\n");
}

async function count(url: string, query: string): Promise<number> {
  const sql = connect(url);
  try {
    const [{ n }] = await sql.unsafe<{ n: number }[]>(`select (${query})::int as n`);
    return n;
  } finally {
    await sql.end();
  }
}

Deno.test("privaci run with schema: copy builds chinook into an empty database, masked, every constraint valid", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_schema_run_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, (await chinookScripts(dir)).full);
      const policy = (await Deno.readTextFile("examples/chinook.yaml")).replace(
        "key: ${PRIVACI_KEY}\n",
        "key: ${PRIVACI_KEY}\nschema: copy\n",
      );
      const file = `${dir}/policy.yaml`;
      await Deno.writeTextFile(file, policy);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };

      await t.step("--dry-run prints the DDL and changes nothing", async () => {
        const r = await privaci(["run", "-c", file, "--dry-run"], env);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /CREATE TABLE public\.customer/i);
        assert.match(
          r.stdout,
          /-- public\.customer: 1 chunk\(s\); masked customer_id:hash, first_name:fake\.first_name/,
        );
        assert.equal(await count(targetUrl, "select count(*) from pg_tables where schemaname = 'public'"), 0);
      });

      await t.step("run creates the schema, loads masked rows, and builds constraints after", async () => {
        const r = await privaci(["run", "-c", file, "--quiet"], env);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(await schemaOnlyDump(targetUrl), await schemaOnlyDump(sourceUrl));
        assert.equal(
          await count(
            targetUrl,
            "select count(*) from pg_constraint where contype = 'f' and convalidated and connamespace = 'public'::regnamespace",
          ),
          11,
        );
        for (const table of ["customer", "invoice", "invoice_line", "track", "playlist_track"]) {
          assert.equal(
            await count(targetUrl, `select count(*) from ${table}`),
            await count(sourceUrl, `select count(*) from ${table}`),
            table,
          );
        }
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci run --schema-only creates the tables empty", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_schema_only_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, (await chinookScripts(dir)).full);
      const file = `${dir}/policy.yaml`;
      await Deno.writeTextFile(file, "version: 1\nsource: x\ntarget: y\nschema: copy\nunlisted: keep\n");
      const r = await privaci(["run", "-c", file, "--schema-only", "--quiet"], {
        PRIVACI_SOURCE_URL: sourceUrl,
        PRIVACI_TARGET_URL: targetUrl,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await count(targetUrl, "select count(*) from pg_tables where schemaname = 'public'"), 11);
      assert.equal(await count(targetUrl, "select count(*) from customer"), 0);
      assert.equal(await schemaOnlyDump(targetUrl), await schemaOnlyDump(sourceUrl));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
