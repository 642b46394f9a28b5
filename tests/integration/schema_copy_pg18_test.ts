import assert from "node:assert/strict";
import postgres from "postgres";
import { psqlFile, withDbs } from "../_pg.ts";
import { type EmbeddedServer, startEmbedded } from "../../pg/embedded.ts";
import {
  census,
  dataOf,
  dumpSchema,
  EVERY_KIND,
  EVERY_KIND_SCHEMAS,
  loadChinook,
  roundTrip,
  withoutSkipped,
} from "../fixtures/schema/_round_trip.ts";
import { planSchemaCopy } from "../../pg/schema/plan.ts";
import { PrivaciError } from "../../errors.ts";

/** The URL of database `db` on the embedded server. */
function on(server: EmbeddedServer, db: string): string {
  const u = new URL(server.url);
  u.pathname = "/" + db;
  return u.toString();
}

async function facts(url: string): Promise<{ version: number; extensions: string[] }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ version }] = await sql`select current_setting('server_version_num')::int as version`;
    const rows = await sql`select name from pg_available_extensions order by 1`;
    return { version, extensions: rows.map((r) => r.name) };
  } finally {
    await sql.end();
  }
}

async function createOn(server: EmbeddedServer, names: string[]): Promise<void> {
  const sql = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    for (const n of names) await sql.unsafe(`create database "${n}"`);
  } finally {
    await sql.end();
  }
}

/**
 * PostgreSQL 15 → embedded 18 → back to a fresh 15. The 18 copy is compared with the same fixture loaded
 * straight into 18 (catalog census: pg_dump 15 refuses an 18 server and the embedded package ships no
 * pg_dump); the copy back to 15 is compared with the original by pg_dump. Data is compared at each hop.
 */
async function crossVersion(
  load: (url: string) => Promise<void>,
  schemas: string[],
  /** The source's dump less what the copy leaves out on purpose. */
  expected: (dump: string) => string = (dump) => dump,
): Promise<void> {
  await withDbs(async ({ sourceUrl, targetUrl: back15 }) => {
    // The embedded server's initdb and the source's load are independent: do them at once.
    const [started, loaded] = await Promise.allSettled([startEmbedded(), load(sourceUrl)]);
    if (started.status === "rejected") throw started.reason;
    const server = started.value;
    try {
      if (loaded.status === "rejected") throw loaded.reason;
      await createOn(server, ["target", "reference"]);
      const target18 = on(server, "target");
      const reference18 = on(server, "reference");
      const [pg18, pg15] = await Promise.all([facts(target18), facts(sourceUrl), load(reference18)]);
      assert.ok(pg18.version >= 180000);
      await roundTrip(sourceUrl, target18, {
        schemas,
        targetVersion: pg18.version,
        targetExtensions: pg18.extensions,
      });
      const [copied, reference, sourceData, targetData] = await Promise.all([
        census(target18, schemas),
        census(reference18, schemas),
        dataOf(sourceUrl, schemas),
        dataOf(target18, schemas),
      ]);
      assert.deepEqual(copied, reference);
      assert.deepEqual(targetData, sourceData);

      await roundTrip(target18, back15, {
        schemas,
        targetVersion: pg15.version,
        targetExtensions: pg15.extensions,
      });
      const [back, original, backData] = await Promise.all([
        dumpSchema(back15),
        dumpSchema(sourceUrl),
        dataOf(back15, schemas),
      ]);
      assert.equal(back, expected(original));
      assert.deepEqual(backData, sourceData);
    } finally {
      await server.stop();
    }
  });
}

Deno.test("schema copy from PostgreSQL 15 into the embedded 18 and back keeps every object kind and the data", async () => {
  await crossVersion((url) => psqlFile(url, EVERY_KIND), EVERY_KIND_SCHEMAS, withoutSkipped);
});

Deno.test("schema copy of chinook from PostgreSQL 15 into the embedded 18 and back", async () => {
  await crossVersion(loadChinook, ["public"]);
});

async function notNullAndIdentity(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const cons = await sql<{ line: string }[]>`
      select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' local=' || conislocal
             || ' inherited=' || coninhcount || ' valid=' || convalidated || ' enforced=' || conenforced as line
        from pg_constraint where connamespace = 'p18'::regnamespace order by 1`;
    const cols = await sql<{ line: string }[]>`
      select attrelid::regclass::text || '.' || attname || ' identity=' || attidentity::text || ' generated='
             || attgenerated::text || ' notnull=' || attnotnull as line
        from pg_attribute
       where attrelid in (select oid from pg_class where relnamespace = 'p18'::regnamespace and relkind in ('r', 'p'))
         and attnum > 0 and not attisdropped
       order by 1`;
    return [...cons, ...cols].map((r) => r.line);
  } finally {
    await sql.end();
  }
}

Deno.test("schema copy keeps PostgreSQL 18's named and NOT VALID NOT NULLs, virtual columns and NOT ENFORCED constraints, and refuses them for a 15 target", async () => {
  const server = await startEmbedded();
  try {
    await createOn(server, ["source", "target"]);
    const [source, target] = [on(server, "source"), on(server, "target")];
    await psqlFile(source, new URL("../fixtures/schema/pg18_only.sql", import.meta.url).pathname);
    const sql = postgres(source, { max: 1, onnotice: () => {} });
    try {
      await assert.rejects(planSchemaCopy(sql, { schemas: ["p18"], targetVersion: 150020 }), (e: unknown) => {
        assert.ok(e instanceof PrivaciError);
        assert.equal(e.code, "SCHEMA_COPY");
        assert.equal(
          e.message,
          "Cannot copy the schema: 4 object(s) cannot be recreated on the target: " +
            "constraint p18.account.nick_required (NOT NULL NOT VALID needs PostgreSQL 18); " +
            "virtual generated column p18.account.email_upper (needs PostgreSQL 18); " +
            "constraint p18.account.credit_positive (NOT ENFORCED or WITHOUT OVERLAPS needs PostgreSQL 18); " +
            "constraint p18.tag.tag_account_id_fkey (NOT ENFORCED or WITHOUT OVERLAPS needs PostgreSQL 18)",
        );
        return true;
      });
    } finally {
      await sql.end();
    }
    await roundTrip(source, target, { schemas: ["p18"] });
    const expected = await notNullAndIdentity(source);
    assert.ok(
      expected.includes(
        "p18.reading_2024 value_required NOT NULL value local=false inherited=1 valid=true enforced=true",
      ),
    );
    assert.ok(
      expected.includes(
        "p18.account nick_required NOT NULL nick NOT VALID local=true inherited=0 valid=false enforced=true",
      ),
    );
    assert.deepEqual(await notNullAndIdentity(target), expected);
    assert.deepEqual(await dataOf(target, ["p18"]), await dataOf(source, ["p18"]));
  } finally {
    await server.stop();
  }
});
