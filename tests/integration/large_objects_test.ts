import assert from "node:assert/strict";
import { connect, psqlFile, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";

const SCHEMA = new URL("../fixtures/schema/rental_schema.sql", import.meta.url).pathname;
const DATA = new URL("../fixtures/schema/rental_data.sql", import.meta.url).pathname;

/** Every large object as `oid:hex bytes`, and what staff.picture references. */
async function largeObjects(url: string): Promise<{ objects: string[]; pictures: string[] }> {
  const sql = connect(url);
  try {
    const objects = await sql<{ v: string }[]>`
      select oid::text || ':' || encode(lo_get(oid), 'hex') as v from pg_largeobject_metadata order by oid`;
    const pictures = await sql<{ v: string }[]>`
      select username || ':' || coalesce(picture::text, 'null') as v from public.staff order by 1`;
    return { objects: objects.map((r) => r.v), pictures: pictures.map((r) => r.v) };
  } finally {
    await sql.end();
  }
}

async function runWith(
  dir: string,
  urls: { sourceUrl: string; targetUrl: string },
  policy: string,
  command = "run",
) {
  const file = `${dir}/policy.yaml`;
  await Deno.writeTextFile(
    file,
    `version: 1\nsource: \${PRIVACI_SOURCE_URL}\ntarget: \${PRIVACI_TARGET_URL}\nschema: copy\n${policy}`,
  );
  const args = command === "run" ? ["run", "-c", file, "--quiet", "--json"] : [command, "-c", file];
  return await privaci(args, { PRIVACI_SOURCE_URL: urls.sourceUrl, PRIVACI_TARGET_URL: urls.targetUrl });
}

const KEEP_ALL_COLUMNS = "unlisted: error\ntables:\n" +
  [
    ["actor", "actor_id, first_name, last_name, last_update"],
    ["language", "language_id, name, last_update"],
    ["film", "film_id, title, description, release_year, language_id, rental_rate, rating, last_update"],
    ["film_actor", "actor_id, film_id, last_update"],
    ["address", "address_id, address, district, phone, last_update"],
    ["store", "store_id, address_id, last_update"],
    ["staff", "staff_id, first_name, last_name, email, store_id, username, picture, last_update"],
    ["customer", "customer_id, store_id, first_name, last_name, email, address_id, active, create_date"],
    ["inventory", "inventory_id, film_id, store_id, last_update"],
    ["rental", "rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, last_update"],
    ["payment", "payment_id, customer_id, staff_id, rental_id, amount, payment_date"],
  ].map(([t, cols]) =>
    `  public.${t}:\n    columns:\n${cols.split(", ").map((c) => `      ${c}: keep\n`).join("")}`
  ).join("");

Deno.test("privaci check stops on large objects the policy does not classify, like an unclassified column", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_lo_" });
  try {
    await withDbs(async (urls) => {
      await psqlFile(urls.sourceUrl, SCHEMA);
      await psqlFile(urls.sourceUrl, DATA);
      const r = await runWith(dir, urls, KEEP_ALL_COLUMNS, "check");
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stdout + r.stderr,
        /large_objects: large objects are not classified by the policy: the source holds 1, and public\.staff\.picture \(oid\) may reference them — add 'large_objects: skip', 'keep' or a rule for their bytes \(e\.g\. 'redact'\)/,
      );
      const run = await runWith(dir, urls, KEEP_ALL_COLUMNS);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /LARGE_OBJECTS_UNCLASSIFIED|large objects are not classified/);
      assert.deepEqual((await largeObjects(urls.targetUrl).catch(() => null))?.objects ?? [], []);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci run with large_objects: keep copies them under their source OIDs, so the references hold", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_lo_" });
  try {
    await withDbs(async (urls) => {
      await psqlFile(urls.sourceUrl, SCHEMA);
      await psqlFile(urls.sourceUrl, DATA);
      // A second, larger object in several 1 MiB chunks, referenced by no column.
      const sql = connect(urls.sourceUrl);
      try {
        await sql`select lo_from_bytea(0, decode(repeat('0123456789abcdef', 180000), 'hex'))`;
      } finally {
        await sql.end();
      }
      const r = await runWith(dir, urls, `${KEEP_ALL_COLUMNS}large_objects: keep\n`);
      assert.equal(r.code, 0, r.stderr);
      const source = await largeObjects(urls.sourceUrl);
      assert.equal(source.objects.length, 2);
      assert.deepEqual(await largeObjects(urls.targetUrl), source);
      assert.match(r.stdout, /2 large object\(s\) copied as they are, under their source OIDs/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci run with a rule for large objects masks their bytes and keeps their OIDs; skip copies none", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_lo_" });
  try {
    await withDbs(async (urls) => {
      await psqlFile(urls.sourceUrl, SCHEMA);
      await psqlFile(urls.sourceUrl, DATA);
      const r = await runWith(dir, urls, `${KEEP_ALL_COLUMNS}large_objects: redact\n`);
      assert.equal(r.code, 0, r.stderr);
      const source = await largeObjects(urls.sourceUrl);
      const target = await largeObjects(urls.targetUrl);
      assert.deepEqual(target.pictures, source.pictures);
      const oid = source.objects[0].split(":")[0];
      assert.notEqual(source.objects[0], `${oid}:`);
      assert.deepEqual(target.objects, [`${oid}:`]);
    });
    await withDbs(async (urls) => {
      await psqlFile(urls.sourceUrl, SCHEMA);
      await psqlFile(urls.sourceUrl, DATA);
      const r = await runWith(dir, urls, `${KEEP_ALL_COLUMNS}large_objects: skip\n`);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((await largeObjects(urls.targetUrl)).objects, []);
      assert.match(r.stdout, /1 large object\(s\) not copied/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
