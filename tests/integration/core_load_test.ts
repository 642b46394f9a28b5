import assert from "node:assert/strict";
import { PrivaciError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { connect, copyOut, dbUrl, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";

async function count(url: string, table: string): Promise<number> {
  return Number(text(await copyOut(url, `select count(*) from ${table}`)).trim());
}

async function assertSame(sourceUrl: string, targetUrl: string, query: string): Promise<void> {
  const [src, dst] = await Promise.all([copyOut(sourceUrl, query), copyOut(targetUrl, query)]);
  assert.equal(text(dst), text(src), query);
}

Deno.test("run() loads tables with foreign keys, a self reference and a two-table cycle, every key valid", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    // Names sort against the load order, so alphabetical loading would fail.
    const ddl = `
      create table z_country (id int primary key, name text);
      create table a_city (id int primary key, country_id int not null references z_country);
      create table employee (id int primary key, manager_id int references employee, city_id int references a_city);
      create table team (id int primary key, lead_id int not null);
      create table member (id int primary key, team_id int not null references team);
      alter table team add constraint team_lead_fkey foreign key (lead_id) references member;
      create table m_order (id int primary key, country int, city int,
        foreign key (city) references a_city, foreign key (country) references z_country)`;
    await exec(sourceUrl, ddl);
    await exec(targetUrl, ddl);
    await exec(
      sourceUrl,
      `insert into z_country select g, 'c' || g from generate_series(1, 50) g;
       insert into a_city select g, 1 + g % 50 from generate_series(1, 500) g;
       insert into employee (id, city_id) select g, 1 + g % 500 from generate_series(1, 300) g;
       update employee set manager_id = id + 1 where id < 300;
       alter table team alter constraint team_lead_fkey deferrable initially deferred;
       begin;
       insert into team select g, g * 10 from generate_series(1, 20) g;
       insert into member select g, 1 + g % 20 from generate_series(1, 200) g;
       commit;
       insert into m_order select g, 1 + g % 50, 1 + g % 500 from generate_series(1, 1000) g`,
    );
    const report = await run(policyFor(sourceUrl, targetUrl), { jobs: 4 });
    assert.deepEqual(report.tables.filter((t) => t.status !== "copied"), []);
    for (const t of ["z_country", "a_city", "employee", "team", "member", "m_order"]) {
      await assertSame(sourceUrl, targetUrl, `select * from ${t} order by id`);
    }
    const sql = connect(targetUrl);
    try {
      // Every constraint is there and validated, and no trigger was left disabled.
      const cons = await sql`select conname, convalidated from pg_constraint
                              where contype = 'f' and connamespace = 'public'::regnamespace order by 1`;
      assert.deepEqual(cons.map((c) => [c.conname, c.convalidated]), [
        ["a_city_country_id_fkey", true],
        ["employee_city_id_fkey", true],
        ["employee_manager_id_fkey", true],
        ["m_order_city_fkey", true],
        ["m_order_country_fkey", true],
        ["member_team_id_fkey", true],
        ["team_lead_fkey", true],
      ]);
      const disabled = await sql`select count(*)::int as n from pg_trigger where tgenabled <> 'O'`;
      assert.equal(disabled[0].n, 0);
      // The data satisfies each key of the cycle and the self reference.
      const [{ orphans }] = await sql`select
        (select count(*) from member m where not exists (select 1 from team t where t.id = m.team_id)) +
        (select count(*) from team t where not exists (select 1 from member m where m.id = t.lead_id)) +
        (select count(*) from employee e where e.manager_id is not null
           and not exists (select 1 from employee x where x.id = e.manager_id)) as orphans`;
      assert.equal(Number(orphans), 0);
      // And the target still enforces the keys after the load.
      await assert.rejects(sql`insert into member values (9999, 9999)`, { code: "23503" });
    } finally {
      await sql.end();
    }
  });
});

Deno.test("run() reports a broken key between cyclic tables when a where: filter drops the parents", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = `
      create table team (id int primary key, lead_id int);
      create table member (id int primary key, team_id int references team);
      alter table team add constraint team_lead_fkey foreign key (lead_id) references member`;
    await exec(sourceUrl, ddl);
    await exec(targetUrl, ddl);
    await exec(
      sourceUrl,
      `insert into team values (1, null), (2, null); insert into member values (10, 1), (20, 2);
       update team set lead_id = id * 10`,
    );
    const policy = policyFor(sourceUrl, targetUrl, "tables:\n  public.team:\n    where: 'id = 1'");
    await assert.rejects(run(policy), {
      name: "PipelineError",
      code: "PG_COPY",
      table: "public.member",
      column: "team_id",
      message:
        "Foreign key member_team_id_fkey of public.member is broken in the target: 1 rows reference missing public.team rows",
    });
  });
});

Deno.test("run() refuses a non-empty target unless truncating, and a target that is the source", async (t) => {
  await withDbs(async ({ source, sourceUrl, targetUrl }) => {
    const ddl = "create table parent (id int primary key); create table child (id int references parent)";
    await exec(sourceUrl, ddl + "; insert into parent values (1), (2); insert into child values (1), (2)");
    await exec(targetUrl, ddl + "; insert into parent values (7); insert into child values (7)");

    await t.step("a non-empty target is refused with TARGET_NOT_EMPTY, naming each table", async () => {
      await assert.rejects(run(policyFor(sourceUrl, targetUrl)), (e) => {
        assert.ok(e instanceof PrivaciError);
        assert.deepEqual(
          { code: e.code, exitCode: e.exitCode, message: e.message },
          {
            code: "TARGET_NOT_EMPTY",
            exitCode: 2,
            message: "Cannot load into tables that already hold rows: public.child, public.parent",
          },
        );
        assert.match(e.hint ?? "", /--truncate/);
        return true;
      });
      assert.equal(text(await copyOut(targetUrl, "select * from parent")), "7\n");
      assert.equal(text(await copyOut(targetUrl, "select * from child")), "7\n");
      // The refusal leaves no run behind for a later --resume to pick up by mistake.
      assert.equal(text(await copyOut(targetUrl, "select count(*) from privaci.runs")), "0\n");
    });

    await t.step("truncate empties the target tables first", async () => {
      await run(policyFor(sourceUrl, targetUrl), { truncate: true });
      await assertSame(sourceUrl, targetUrl, "select * from parent order by id");
      await assertSame(sourceUrl, targetUrl, "select * from child order by id");
    });

    await t.step(
      "the source as target is refused with TARGET_IS_SOURCE, however its URL is spelt",
      async () => {
        const other = new URL(dbUrl(source));
        other.hostname = "localhost";
        other.searchParams.set("application_name", "other");
        for (const url of [sourceUrl, other.toString()]) {
          await assert.rejects(run(policyFor(sourceUrl, url), { truncate: true }), (e) => {
            assert.ok(e instanceof PrivaciError);
            assert.deepEqual(
              { code: e.code, exitCode: e.exitCode, message: e.message },
              {
                code: "TARGET_IS_SOURCE",
                exitCode: 2,
                message:
                  `Cannot copy into the source: the target is the same server and database ("${source}")`,
              },
            );
            return true;
          });
        }
        assert.equal(text(await copyOut(sourceUrl, "select * from parent order by id")), "1\n2\n");
      },
    );
  });
});

Deno.test("run() honours rows: skip and where:, and copies partitioned tables through their parent", async (t) => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const filters = `create schema filters;
      create table filters.audit_log (id int, what text); create table filters.orders (id int, status text)`;
    const parts = `create schema parts;
      create table parts.event (id int, at date not null, what text) partition by range (at);
      create table parts.event_2023 partition of parts.event for values from ('2023-01-01') to ('2024-01-01');
      create table parts.event_2024 partition of parts.event for values from ('2024-01-01') to ('2025-01-01')
        partition by list (what);
      create table parts.event_2024_a partition of parts.event_2024 for values in ('a');
      create table parts.event_2024_other partition of parts.event_2024 default;
      create table parts.event_other partition of parts.event default`;
    await exec(targetUrl, `${filters}; ${parts}`);
    await exec(
      sourceUrl,
      `${filters}; ${parts};
       insert into filters.audit_log select g, 'x' from generate_series(1, 10) g;
       insert into filters.orders select g, case when g % 3 = 0 then 'done' else 'open' end
         from generate_series(1, 30) g;
       insert into parts.event select g, date '2022-12-25' + g * 3, case when g % 2 = 0 then 'a' else 'b' end
         from generate_series(1, 300) g`,
    );

    await t.step("rows: skip copies nothing and where: copies the rows it selects", async () => {
      const body = [
        "schemas: [filters]",
        "tables:",
        "  filters.audit_log: { rows: skip }",
        "  filters.orders:",
        "    where: \"status = 'done' and id > 10\"",
      ].join("\n");
      const report = await run(policyFor(sourceUrl, targetUrl, body));
      assert.deepEqual(
        report.tables.map((r) => [r.table, r.status, r.rows]),
        [["filters.audit_log", "skipped", 0], ["filters.orders", "copied", 7]],
      );
      assert.equal(await count(targetUrl, "filters.audit_log"), 0);
      assert.equal(
        text(await copyOut(targetUrl, "select * from filters.orders order by id")),
        text(
          await copyOut(
            sourceUrl,
            "select * from filters.orders where status = 'done' and id > 10 order by id",
          ),
        ),
      );
    });

    await t.step(
      "a partitioned table is copied once, through its parent, into the target's partitions",
      async () => {
        const report = await run(policyFor(sourceUrl, targetUrl, "schemas: [parts]"));
        assert.deepEqual(report.tables.map((r) => [r.table, r.rows]), [["parts.event", 300]]);
        for (const p of ["event", "event_2023", "event_2024_a", "event_2024_other", "event_other"]) {
          await assertSame(sourceUrl, targetUrl, `select tableoid::regclass, * from parts.${p} order by id`);
        }
        assert.equal(await count(targetUrl, "parts.event"), 300);
        assert.equal(await count(targetUrl, "only parts.event_2023"), 121);
      },
    );
  });
});

Deno.test("run() copies tables and columns whose names need quoting", async (t) => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = `create schema "Sales Ü";
      create table "Sales Ü"."Order ""Lines""" ("Id" int primary key, "unit price" numeric, "ü-Ω" text);
      create table "Sales Ü".child ("Id" int references "Sales Ü"."Order ""Lines""", x text)`;
    await exec(sourceUrl, ddl);
    await exec(targetUrl, ddl);
    await exec(
      sourceUrl,
      `insert into "Sales Ü"."Order ""Lines""" select g, g / 3.0, 'x' || g from generate_series(1, 50) g;
       insert into "Sales Ü".child select g, 'c' from generate_series(1, 50) g`,
    );
    await t.step("mixed case, spaces, quotes and non-ASCII", async () => {
      const report = await run(policyFor(sourceUrl, targetUrl, 'schemas: ["Sales Ü"]'));
      assert.deepEqual(report.tables.map((r) => [r.table, r.rows]).sort(), [
        ['Sales Ü.Order "Lines"', 50],
        ["Sales Ü.child", 50],
      ]);
      await assertSame(sourceUrl, targetUrl, `select * from "Sales Ü"."Order ""Lines""" order by 1`);
      await assertSame(sourceUrl, targetUrl, `select * from "Sales Ü".child order by 1`);
    });

    await t.step("a dot inside a table name", async () => {
      const dotted = `create table public."v1.events" (id int, what text)`;
      await exec(sourceUrl, `${dotted}; insert into public."v1.events" values (1, 'a'), (2, 'b')`);
      await exec(targetUrl, dotted);
      await run(policyFor(sourceUrl, targetUrl, "schemas: [public]"));
      await assertSame(sourceUrl, targetUrl, `select * from public."v1.events" order by 1`);
    });
  });
});
