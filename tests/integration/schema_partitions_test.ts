import assert from "node:assert/strict";
import { connect, psqlFile, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { dataOf, dumpSchema, dumpWithoutRunState } from "../fixtures/schema/_round_trip.ts";

const SCHEMA = new URL("../fixtures/schema/rental_schema.sql", import.meta.url).pathname;
const DATA = new URL("../fixtures/schema/rental_data.sql", import.meta.url).pathname;

async function rows(url: string, query: string): Promise<string[]> {
  const sql = connect(url);
  try {
    return (await sql.unsafe<{ r: string }[]>(`select x::text as r from (${query}) x order by 1`)).map((r) =>
      r.r
    );
  } finally {
    await sql.end();
  }
}

async function writePolicy(dir: string, extra = ""): Promise<string> {
  const file = `${dir}/policy.yaml`;
  await Deno.writeTextFile(
    file,
    `version: 1\nsource: \${PRIVACI_SOURCE_URL}\ntarget: \${PRIVACI_TARGET_URL}\nunlisted: keep\n${extra}`,
  );
  return file;
}

Deno.test("privaci run, schema: existing, --jobs 1: a table partitioned with its foreign keys on the partitions loads after what they reference", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_partitions_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, SCHEMA);
      await psqlFile(sourceUrl, DATA);
      await psqlFile(targetUrl, SCHEMA);
      const file = await writePolicy(dir);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl };
      const r = await privaci(["run", "-c", file, "--jobs", "1", "--quiet"], env);
      assert.equal(r.code, 0, r.stderr);
      // Read once, through the parent: every partition holds exactly the source's rows.
      for (const t of ["payment_p2022_01", "payment_p2022_02", "payment_p2022_03", "rental", "staff"]) {
        assert.deepEqual(
          await rows(targetUrl, `select * from only public.${t}`),
          await rows(sourceUrl, `select * from only public.${t}`),
          t,
        );
      }
      assert.equal((await rows(targetUrl, "select * from public.payment")).length, 300);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci run: a rule on a partitioned table masks the rows of every partition", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_partitions_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, SCHEMA);
      await psqlFile(sourceUrl, DATA);
      await psqlFile(targetUrl, SCHEMA);
      const file = await writePolicy(dir, "tables:\n  public.payment:\n    columns:\n      amount: redact\n");
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl };
      const r = await privaci(["run", "-c", file, "--jobs", "2", "--quiet"], env);
      assert.equal(r.code, 0, r.stderr);
      const perPartition =
        `select tableoid::regclass::text || ' ' || count(*) || ' ' || string_agg(distinct amount::text, ',')
                              from public.payment group by tableoid order by 1`;
      assert.deepEqual(await rows(targetUrl, perPartition), [
        '("payment_p2022_01 105 0.00")',
        '("payment_p2022_02 96 0.00")',
        '("payment_p2022_03 99 0.00")',
      ]);
      assert.notDeepEqual(await rows(sourceUrl, perPartition), await rows(targetUrl, perPartition));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci check refuses a policy that names a partition: its partitioned table's rules apply", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_partitions_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, SCHEMA);
      const file = await writePolicy(
        dir,
        "tables:\n  public.payment_p2022_02:\n    columns:\n      amount: keep\n",
      );
      const r = await privaci(["check", "-c", file], {
        PRIVACI_SOURCE_URL: sourceUrl,
        PRIVACI_TARGET_URL: targetUrl,
      });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stdout + r.stderr,
        /table 'public\.payment_p2022_02' is a partition of 'public\.payment': its rows are read and masked through 'public\.payment', whose rules apply to every partition — move these rules to 'public\.payment'/,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci run, schema: copy, on the rental sample: partitions keyed on the partitions, an aggregate a view uses, row security, a large object", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_partitions_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, SCHEMA);
      await psqlFile(sourceUrl, DATA);
      const file = await writePolicy(dir, "schema: copy\nlarge_objects: keep\n");
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl };
      const r = await privaci(["run", "-c", file, "--jobs", "1", "--quiet"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await dumpWithoutRunState(targetUrl), await dumpSchema(sourceUrl));
      assert.deepEqual(await dataOf(targetUrl, ["public"]), await dataOf(sourceUrl, ["public"]));
      const picture =
        "select s.username, encode(lo_get(s.picture), 'hex') from public.staff s where s.picture is not null";
      assert.deepEqual(await rows(targetUrl, picture), await rows(sourceUrl, picture));
      // The aggregate works on the copy, through the view that uses it.
      assert.deepEqual(
        await rows(targetUrl, "select film_info from public.actor_info where actor_id = 1"),
        await rows(sourceUrl, "select film_info from public.actor_info where actor_id = 1"),
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
