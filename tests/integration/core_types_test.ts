import assert from "node:assert/strict";
import { run } from "../../execute/run.ts";
import { connect, copyOut, exec, psqlFile, withDbs } from "../_pg.ts";
import { keepAllYaml, policyFor, text } from "../fixtures/core/policy.ts";

const FIXTURES = new URL("../fixtures/core/", import.meta.url);
const SCHEMA = new URL("types.sql", FIXTURES).pathname;
const DATA = new URL("types_data.sql", FIXTURES).pathname;

/** The URL with session settings for psql, so both sides are printed the same way whatever their defaults. */
function withSession(url: string): string {
  const options = encodeURIComponent("-c DateStyle=ISO,MDY -c IntervalStyle=postgres -c TimeZone=UTC");
  return `${url}${url.includes("?") ? "&" : "?"}options=${options}`;
}

/** Asserts that `query` gives the same COPY bytes on both databases (and returns how many rows). */
async function assertSameCopy(sourceUrl: string, targetUrl: string, query: string): Promise<number> {
  const [src, dst] = await Promise.all([
    copyOut(withSession(sourceUrl), query),
    copyOut(withSession(targetUrl), query),
  ]);
  assert.equal(text(dst), text(src), query);
  assert.deepEqual(dst, src, query);
  return text(src).split("\n").length - 1;
}

async function sequences(url: string): Promise<Record<string, string>> {
  const sql = connect(url);
  try {
    const rows = await sql<{ name: string; state: string }[]>`
      select sequencename as name, coalesce(last_value::text, 'null') as state from pg_sequences
       where schemaname = 'public' order by 1`;
    return Object.fromEntries(rows.map((r) => [r.name, r.state]));
  } finally {
    await sql.end();
  }
}

Deno.test("run() with keep on every column copies every type byte for byte", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, SCHEMA);
    await psqlFile(sourceUrl, DATA);
    await psqlFile(targetUrl, SCHEMA);
    // types.o is an oid column: the policy must say what happens to large objects it could reference.
    const body = `large_objects: keep\n${await keepAllYaml(sourceUrl)}`;
    const policy = policyFor(sourceUrl, targetUrl, body, { unlisted: "error" });
    const report = await run(policy, { jobs: 2 });

    const byTable = Object.fromEntries(report.tables.map((t) => [t.table, t]));
    assert.deepEqual(
      Object.fromEntries(report.tables.map((t) => [t.table, [t.status, t.rows, t.kept, t.masked]])),
      {
        "public.types": ["copied", 4, 61, {}],
        // The two generated columns are not in the COPY column list.
        "public.generated": ["copied", 20, 4, {}],
        "public.by_default": ["copied", 4, 2, {}],
      },
    );
    assert.equal(byTable["public.types"].bytesIn, byTable["public.types"].bytesOut);
    assert.equal(await assertSameCopy(sourceUrl, targetUrl, "select * from types order by id"), 4);
    // Generated columns are computed by the target and equal the source's.
    assert.equal(await assertSameCopy(sourceUrl, targetUrl, "select * from generated order by id"), 20);
    assert.equal(await assertSameCopy(sourceUrl, targetUrl, "select * from by_default order by id"), 4);
  });
});

Deno.test("run() sets the target's sequences to the source's values after the load", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, SCHEMA);
    await psqlFile(sourceUrl, DATA);
    await psqlFile(targetUrl, SCHEMA);
    // Move the target's sequences elsewhere first: the run must set them, not just leave them.
    await exec(
      targetUrl,
      "select setval('generated_s_seq', 999); select setval('by_default_id_seq', 3, false)",
    );
    const report = await run(policyFor(sourceUrl, targetUrl), { jobs: 1 });
    assert.equal(report.sequences, 4);
    const src = await sequences(sourceUrl);
    assert.deepEqual(src, {
      by_default_id_seq: "1014",
      generated_b_seq: "25",
      generated_id_seq: "25",
      generated_s_seq: "25",
    });
    assert.deepEqual(await sequences(targetUrl), src);
    // New rows in the target continue after the source's values instead of colliding with copied ones.
    const sql = connect(targetUrl);
    try {
      const [g] = await sql`insert into generated (n) values (100) returning id, s, b, twice`;
      assert.deepEqual({ ...g }, { id: 26, s: 26, b: "26", twice: 200 });
      const [d] = await sql`insert into by_default (v) values ('new') returning id`;
      assert.equal(d.id, "1021");
    } finally {
      await sql.end();
    }
  });
});

Deno.test("run() keeps dates, intervals and times whatever DateStyle, IntervalStyle and TimeZone each side uses", async () => {
  await withDbs(async ({ source, target, sourceUrl, targetUrl }) => {
    const ddl = "create table moments (id int primary key, d date, ts timestamp, tstz timestamptz, " +
      "tmtz timetz, iv interval)";
    await exec(sourceUrl, ddl);
    await exec(targetUrl, ddl);
    await exec(
      sourceUrl,
      `alter database "${source}" set datestyle = 'SQL, DMY';
       alter database "${source}" set intervalstyle = 'sql_standard';
       alter database "${source}" set timezone = 'Asia/Kathmandu'`,
    );
    await exec(
      targetUrl,
      `alter database "${target}" set datestyle = 'ISO, MDY';
       alter database "${target}" set timezone = 'America/St_Johns'`,
    );
    await exec(
      sourceUrl,
      `insert into moments values
        (1, '2020-02-03', '2020-02-03 04:05:06', '2020-02-03 04:05:06+00', '04:05:06+05:45',
         '-1 year -2 mons +3 days -04:05:06'),
        (2, '2020-12-11', '1999-11-12 23:59:59.5', '1944-03-10 12:00:00+00', '23:59:59-03:30',
         '1 day -1 second')`,
    );
    // Every day is at most 12, so a date written as DD/MM and read as MM/DD loads without error, swapped.
    await run(policyFor(sourceUrl, targetUrl));
    assert.equal(await assertSameCopy(sourceUrl, targetUrl, "select * from moments order by id"), 2);
  });
});
