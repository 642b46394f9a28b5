import assert from "node:assert/strict";
import { programStderr } from "../_deno_status.ts";
import { ADMIN_URL, connect, exec, psqlFile, withDbs } from "../_pg.ts";
import {
  dataOf,
  dumpSchema,
  EVERY_KIND,
  EVERY_KIND_NOTES,
  EVERY_KIND_SCHEMAS,
  loadChinook,
  roundTrip,
  withoutSkipped,
} from "../fixtures/schema/_round_trip.ts";
import { planSchemaCopy } from "../../pg/schema/plan.ts";
import { applyPost, applyPre, applySequences } from "../../pg/schema/apply.ts";
import { planToSql } from "../../pg/schema/script.ts";
import { PgError, PrivaciError } from "../../errors.ts";

Deno.test("schema copy recreates every object kind: pg_dump of source and target are equal, and so is the data", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, EVERY_KIND);
    const plan = await roundTrip(sourceUrl, targetUrl, { schemas: EVERY_KIND_SCHEMAS });
    assert.deepEqual(plan.notes, EVERY_KIND_NOTES);
    assert.equal(await dumpSchema(targetUrl), withoutSkipped(await dumpSchema(sourceUrl)));
    assert.deepEqual(
      await dataOf(targetUrl, EVERY_KIND_SCHEMAS),
      await dataOf(sourceUrl, EVERY_KIND_SCHEMAS),
    );
    // Every constraint holds, validated, not merely created: all but the one NOT VALID on the source too.
    const sql = connect(targetUrl);
    try {
      const invalid = await sql`
        select conrelid::regclass::text || '.' || conname as name from pg_constraint where not convalidated order by 1`;
      assert.deepEqual(invalid.map((r) => r.name), ["app.note.note_short", "app.pinned_note.note_short"]);
      const [{ bad }] = await sql`select count(*)::int as bad from pg_index where not indisvalid`;
      assert.equal(bad, 0);
    } finally {
      await sql.end();
    }
  });
});

Deno.test("schema copy orders steps as pg_restore does: data-dependent objects after the data", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await psqlFile(sourceUrl, EVERY_KIND);
    const source = connect(sourceUrl);
    try {
      const plan = await planSchemaCopy(source, { schemas: EVERY_KIND_SCHEMAS });
      const kinds = (phase: "pre" | "post") => new Set(plan[phase].map((s) => s.kind));
      for (
        const k of ["primary key", "unique", "check", "exclusion", "foreign key", "index", "trigger", "view"]
      ) {
        assert.ok(kinds("post").has(k), `post-data has ${k}`);
        assert.ok(!kinds("pre").has(k), `pre-data has no ${k}`);
      }
      for (
        const k of [
          "extension",
          "schema",
          "enum",
          "domain",
          "composite",
          "range",
          "sequence",
          "table",
          "partition",
        ]
      ) {
        assert.ok(kinds("pre").has(k), `pre-data has ${k}`);
      }
      // Functions a default or a check needs come before the tables; trigger functions after the data.
      const pre = plan.pre.map((s) => s.name);
      assert.ok(pre.indexOf("app.next_code()") < pre.indexOf("app.customer"));
      assert.ok(pre.includes("app.is_sku(text)"));
      assert.ok(
        pre.indexOf("app.float_diff(double precision,double precision)") < pre.indexOf("app.float_range"),
      );
      const post = plan.post.map((s) => s.name);
      assert.ok(post.includes("app.touch_total()"));
      assert.ok(post.indexOf("app.touch_total()") < post.indexOf("app.orders.orders_touch"));
      // Views on views, and the function a view calls, come first.
      assert.ok(post.indexOf("app.order_count(integer)") < post.indexOf("app.customer_orders"));
      assert.ok(post.indexOf("app.customer_orders") < post.indexOf("app.big_customers"));
      assert.ok(post.indexOf("app.big_customers") < post.indexOf("app.big_customer_count"));
      for (
        const k of [
          "collation",
          "conversion",
          "cast",
          "operator",
          "operator family",
          "operator class",
          "operator family members",
          "text search parser",
          "text search template",
          "text search dictionary",
          "text search configuration",
          "text search mapping",
          "foreign-data wrapper",
          "server",
          "user mapping",
          "foreign table",
        ]
      ) {
        assert.ok(kinds("pre").has(k), `pre-data has ${k}`);
      }
      assert.ok(kinds("post").has("policy") && kinds("post").has("aggregate"));
      assert.deepEqual(plan.final.map((s) => s.kind), ["event trigger", "event trigger state", "comment"]);
      // What an operator class or a generated column needs comes before it.
      const opclass = plan.pre.findIndex((s) => s.kind === "operator class");
      assert.ok(pre.indexOf("app.rev_cmp(integer,integer)") < opclass);
      assert.ok(pre.indexOf("app.search") < pre.indexOf("app.doc"));
      assert.ok(post.indexOf("app.norm(numeric)") < post.indexOf("app.product_norm"));
      assert.ok(!plan.pre.some((s) => s.sql.includes("not-a-real-secret")));
      assert.deepEqual(plan.refresh.map((s) => s.sql), [
        "REFRESH MATERIALIZED VIEW app.sales_by_day",
        "REFRESH MATERIALIZED VIEW app.big_customer_count",
      ]);
      assert.ok(
        plan.sequences.some((s) => s.sql === "SELECT pg_catalog.setval('app.invoice_no', 4321, true)"),
      );
    } finally {
      await source.end();
    }
  });
});

Deno.test("schema copy of chinook: pg_dump of source and target are equal, and so is the data", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await loadChinook(sourceUrl);
    const plan = await roundTrip(sourceUrl, targetUrl, { schemas: ["public"] });
    assert.equal(plan.pre.filter((s) => s.kind === "table").length, 11);
    assert.equal(plan.post.filter((s) => s.kind === "foreign key").length, 11);
    assert.equal(await dumpSchema(targetUrl), await dumpSchema(sourceUrl));
    assert.deepEqual(await dataOf(targetUrl, ["public"]), await dataOf(sourceUrl, ["public"]));
  });
});

Deno.test("schema copy creates what selected objects need from unselected schemas, with notes", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, EVERY_KIND);
    const plan = await roundTrip(sourceUrl, targetUrl, { schemas: ["app"], skipRows: ["app.cache"] });
    assert.deepEqual(plan.notes, [
      "type ref.mood is in a schema that is not selected: created because selected objects need it",
      "schema ref is not selected but is created because selected objects need it",
      "table ref.currency is in a schema that is not selected: created empty because selected objects need it",
      "table app.cache has rows: skip: created empty",
      EVERY_KIND_NOTES[0],
      "foreign key app.orders.orders_currency_fkey is created NOT VALID: its referenced table ref.currency is created empty",
      EVERY_KIND_NOTES[1],
    ]);
    const sql = connect(targetUrl);
    try {
      const rels = await sql`
        select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'ref' and c.relkind = 'r' order by 1`;
      assert.deepEqual(rels.map((r) => r.name), ["ref.currency"]);
      const [{ valid }] = await sql`
        select convalidated as valid from pg_constraint where conname = 'orders_currency_fkey'`;
      assert.equal(valid, false);
      const [{ n }] = await sql`select count(*)::int as n from app.orders`;
      assert.equal(n, 120);
    } finally {
      await sql.end();
    }
  });
});

Deno.test("schema copy refuses, before creating anything, objects the target cannot take, listing each", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await psqlFile(sourceUrl, EVERY_KIND);
    // A base type needs C (here internal) input and output functions: a shell type, then the type.
    await exec(
      sourceUrl,
      `create type app.label;
       create function app.label_in(cstring) returns app.label language internal immutable strict as 'textin';
       create function app.label_out(app.label) returns cstring language internal immutable strict as 'textout';
       create type app.label (input = app.label_in, output = app.label_out, like = text);
       create access method app_heap type table handler heap_tableam_handler;
       create table app.heapish (id int) using app_heap;
       create role privaci_clerk_${Deno.pid};
       create policy clerk_only on app.secret_note to privaci_clerk_${Deno.pid} using (true);`,
    );
    const source = connect(sourceUrl);
    try {
      await assert.rejects(
        planSchemaCopy(source, {
          schemas: ["app"],
          targetExtensions: ["citext", "plpgsql"],
          targetRoles: ["postgres"],
        }),
        (e: unknown) => {
          assert.ok(e instanceof PrivaciError);
          assert.equal(e.code, "SCHEMA_COPY");
          assert.equal(
            e.message,
            "Cannot copy the schema: 5 object(s) cannot be recreated on the target: " +
              "extension btree_gist (not available on the target); extension hstore (not available on the target); " +
              "base type app.label (needs C input and output functions); " +
              `policy clerk_only ON app.secret_note (role privaci_clerk_${Deno.pid} does not exist on the target); ` +
              "access method app_heap (this kind of object is not copied)",
          );
          return true;
        },
      );
    } finally {
      await source.end();
      await exec(sourceUrl, `drop policy clerk_only on app.secret_note; drop role privaci_clerk_${Deno.pid}`);
      await exec(sourceUrl, "drop table app.heapish; drop access method app_heap");
    }
  });
});

Deno.test("applyPre is all or nothing: a failing statement leaves the target as it was", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, EVERY_KIND);
    await exec(targetUrl, "create schema app; create table app.cache (x int)");
    const source = connect(sourceUrl);
    const target = connect(targetUrl);
    try {
      const plan = await planSchemaCopy(source, { schemas: EVERY_KIND_SCHEMAS });
      await assert.rejects(applyPre(target, plan), (e: unknown) => {
        assert.ok(e instanceof PgError);
        assert.equal(e.code, "SCHEMA_COPY");
        assert.equal(e.sqlstate, "42P07");
        assert.equal(
          e.message,
          'Cannot create table app.cache: relation "cache" already exists (SQLSTATE 42P07)',
        );
        return true;
      });
      const rows = await target`
        select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname in ('app', 'ref') order by 1`;
      assert.deepEqual(rows.map((r) => r.name), ["app.cache"]);
      const [{ n }] = await target`select count(*)::int as n from pg_extension where extname <> 'plpgsql'`;
      assert.equal(n, 0);
    } finally {
      await source.end();
      await target.end();
    }
  });
});

Deno.test("applyPost names the constraint that the loaded rows break, without the rows' values", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, "create table t (id int primary key, email text unique)");
    const source = connect(sourceUrl);
    const target = connect(targetUrl);
    try {
      const plan = await planSchemaCopy(source, { schemas: ["public"] });
      await applyPre(target, plan);
      await target`insert into public.t values (1, 'secret@example.com'), (2, 'secret@example.com')`;
      await assert.rejects(applyPost(target, plan), (e: unknown) => {
        assert.ok(e instanceof PgError);
        assert.equal(e.sqlstate, "23505");
        assert.equal(
          e.message,
          'Cannot create unique public.t.t_email_key: could not create unique index "t_email_key" (SQLSTATE 23505)',
        );
        return true;
      });
      await applySequences(target, plan);
    } finally {
      await source.end();
      await target.end();
    }
  });
});

Deno.test("planSchemaCopy() reads the catalog in the exported snapshot it is given", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await exec(sourceUrl, "create table public.before_snapshot (id int)");
    const holder = connect(sourceUrl);
    const source = connect(sourceUrl);
    const tables = (plan: { pre: { kind: string; name: string }[] }) =>
      plan.pre.filter((s) => s.kind === "table").map((s) => s.name);
    try {
      const inSnapshot = await holder.begin("isolation level repeatable read", async (tx) => {
        const [{ id }] = await tx`select pg_export_snapshot() as id`;
        await exec(sourceUrl, "create table public.after_snapshot (id int)");
        return tables(await planSchemaCopy(source, { schemas: ["public"], snapshot: id }));
      });
      assert.deepEqual(inSnapshot, ["public.before_snapshot"]);
      assert.deepEqual(tables(await planSchemaCopy(source, { schemas: ["public"] })), [
        "public.before_snapshot",
        "public.after_snapshot",
      ]);
    } finally {
      await holder.end();
      await source.end();
    }
  });
});

Deno.test("planToSql() gives a psql script that builds the same schema", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, EVERY_KIND);
    const source = connect(sourceUrl);
    let script: string;
    try {
      script = planToSql(await planSchemaCopy(source, { schemas: EVERY_KIND_SCHEMAS }));
    } finally {
      await source.end();
    }
    assert.match(script, /^-- table: app\.customer\nCREATE TABLE app\.customer \(/m);
    const file = await Deno.makeTempFile({ suffix: ".sql" });
    try {
      await Deno.writeTextFile(file, script);
      await psqlFile(targetUrl, file);
    } finally {
      await Deno.remove(file);
    }
    // No rows were copied: the materialized views are populated (empty) by the refresh, as on the source.
    assert.equal(await dumpSchema(targetUrl), withoutSkipped(await dumpSchema(sourceUrl)));
  });
});

Deno.test("schema copy runs with no pg_dump: a process that may not run programs, with an empty PATH", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await loadChinook(sourceUrl);
    const script = new URL("../fixtures/schema/_copy_without_run.ts", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net=127.0.0.1",
        "--allow-read",
        "--allow-env",
        "--deny-run",
        script,
        sourceUrl,
        targetUrl,
        "public",
      ],
      env: { PATH: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(programStderr(new TextDecoder().decode(out.stderr)), "");
    assert.equal(new TextDecoder().decode(out.stdout), "11 pre, 33 post\n");
    assert.ok(out.success);
    assert.equal(await dumpSchema(targetUrl), await dumpSchema(sourceUrl));
  });
});

Deno.test("schema copy with grants: privileges as pg_dump shows them, grants to roles the target lacks left out with a note", async () => {
  const reader = `privaci_reader_${Deno.pid}`;
  const absent = `privaci_absent_${Deno.pid}`;
  await exec(ADMIN_URL, `create role ${reader}; create role ${absent}`);
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, EVERY_KIND);
      await exec(
        sourceUrl,
        `grant usage on schema app to ${reader};
         grant select on app.customer to ${reader} with grant option;
         grant select (sku, title), update (title) on app.product to ${reader};
         grant usage, select on sequence app.invoice_no to ${reader};
         revoke execute on function app.money(numeric) from public;
         grant execute on function app.money(numeric) to ${reader};
         revoke usage on type app.status from public;
         grant select on app.big_customers to ${absent};`,
      );
      const plan = await roundTrip(sourceUrl, targetUrl, { schemas: EVERY_KIND_SCHEMAS, grants: true });
      assert.deepEqual(plan.notes, EVERY_KIND_NOTES);
      assert.ok(plan.post.some((s) => s.sql === `REVOKE EXECUTE ON FUNCTION app.money(numeric) FROM PUBLIC`));
      assert.deepEqual(plan.final.filter((s) => s.kind === "default privileges").map((s) => s.sql), [
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC",
      ]);
      assert.equal(
        await dumpSchema(targetUrl, { privileges: true }),
        withoutSkipped(await dumpSchema(sourceUrl, { privileges: true })),
      );

      const source = connect(sourceUrl);
      try {
        const limited = await planSchemaCopy(source, {
          schemas: EVERY_KIND_SCHEMAS,
          grants: true,
          targetRoles: ["postgres", reader],
        });
        assert.deepEqual(limited.notes, [
          EVERY_KIND_NOTES[0],
          `privileges of role ${absent} are not copied: the role does not exist on the target`,
          EVERY_KIND_NOTES[1],
        ]);
        assert.equal(limited.post.filter((s) => s.sql.includes(absent)).length, 0);
        assert.equal(limited.post.filter((s) => s.sql.includes(reader)).length, 6);
      } finally {
        await source.end();
      }
    });
  } finally {
    await exec(ADMIN_URL, `drop role if exists ${reader}; drop role if exists ${absent}`);
  }
});
