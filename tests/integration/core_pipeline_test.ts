import assert from "node:assert/strict";
import { PgError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { connect, copyOut, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";
import { withDeadline } from "../_deadline.ts";

const DEADLINE_MS = 20_000;

async function count(url: string, table: string): Promise<number> {
  return Number(text(await copyOut(url, `select count(*) from ${table}`)).trim());
}

/** One COPY error case, in a schema of its own so that one pair of databases holds every case. */
interface Case {
  name: string;
  schema: string;
  sourceDdl: string;
  targetDdl: string;
  data: string;
  table: string;
  column?: string;
  sqlstate: string;
  /** Part of an offending value, which must appear in no message or field. */
  secret: string;
  message: string | RegExp;
}

const CASES: Case[] = [
  {
    name: "a unique violation found once the source has sent every row",
    schema: "unique_late",
    sourceDdl: "create table person (id int, email text)",
    targetDdl: "create table person (id int, email text unique)",
    data: `insert into person select g, 'user' || g || '@example.com' from generate_series(1, 30000) g;
           insert into person values (30001, 'dup-secret@example.com'), (30002, 'dup-secret@example.com')`,
    table: "unique_late.person",
    sqlstate: "23505",
    secret: "dup-secret",
    message:
      'Cannot load unique_late.person at row 30002: duplicate key value violates unique constraint "person_email_key" (SQLSTATE 23505)',
  },
  {
    name: "a unique violation found while the source still streams",
    schema: "unique_early",
    sourceDdl: "create table person (id int, email text)",
    targetDdl: "create table person (id int primary key, email text)",
    data: `insert into person values (1, 'first'), (1, 'secret-dup');
           insert into person select g, repeat('x', 500) from generate_series(2, 60000) g`,
    table: "unique_early.person",
    sqlstate: "23505",
    secret: "secret",
    message:
      'Cannot load unique_early.person at row 2: duplicate key value violates unique constraint "person_pkey" (SQLSTATE 23505)',
  },
  {
    name: "a check violation",
    schema: "checked",
    sourceDdl: "create table account (id int, balance int)",
    targetDdl: "create table account (id int, balance int check (balance >= 0))",
    data: "insert into account values (1, 10), (2, -987654), (3, 5)",
    table: "checked.account",
    sqlstate: "23514",
    secret: "987654",
    message:
      'Cannot load checked.account at row 2: new row for relation "account" violates check constraint "account_balance_check" (SQLSTATE 23514)',
  },
  {
    name: "a varchar too short in the target",
    schema: "short",
    sourceDdl: "create table customer (id int, name varchar(100))",
    targetDdl: "create table customer (id int, name varchar(5))",
    data: "insert into customer values (1, 'Ann'), (2, 'Bartholomew-secret'), (3, 'Cy')",
    table: "short.customer",
    column: "name",
    sqlstate: "22001",
    secret: "Bartholomew",
    message:
      "Cannot load short.customer (column name) at row 2: value too long for type character varying(5) (SQLSTATE 22001)",
  },
  {
    name: "a value the target's type refuses, holding double quotes",
    schema: "typed",
    sourceDdl: "create table t (id int, code text)",
    targetDdl: "create table t (id int, code integer)",
    data: `insert into t values (1, '12'), (2, 'se"cr"et')`,
    table: "typed.t",
    column: "code",
    sqlstate: "22P02",
    secret: "cr",
    message:
      "Cannot load typed.t (column code) at row 2: invalid input syntax for type integer (SQLSTATE 22P02)",
  },
];

Deno.test("run() ends every COPY data error in the target with a PgError, within a deadline, leaving the table empty", async (t) => {
  await withDbs(async ({ source, target, sourceUrl, targetUrl }) => {
    for (const c of CASES) {
      const schema = `create schema ${c.schema}; set search_path = ${c.schema};`;
      await exec(sourceUrl, `${schema} ${c.sourceDdl}; ${c.data}`);
      await exec(targetUrl, `${schema} ${c.targetDdl}`);
    }
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const policy = policyFor(sourceUrl, targetUrl, `schemas: [${c.schema}]`);
        const error = await withDeadline(
          run(policy, { jobs: 2 }).then(() => assert.fail("the run succeeded"), (e: unknown) => e),
          DEADLINE_MS,
          `the run into ${c.table}`,
        );
        assert.ok(error instanceof PgError, `expected a PgError, got ${error}`);
        assert.deepEqual(
          { code: error.code, table: error.table, column: error.column, sqlstate: error.sqlstate },
          { code: "PG_COPY", table: c.table, column: c.column, sqlstate: c.sqlstate },
        );
        if (typeof c.message === "string") assert.equal(error.message, c.message);
        else assert.match(error.message, c.message);
        assert.ok(!error.message.includes(c.secret), `value leaked: ${error.message}`);
        assert.ok(!JSON.stringify(error).includes(c.secret), "value leaked into the error's fields");
        assert.equal(await count(targetUrl, c.table), 0);
      });
    }
    await t.step("no session of the failed runs is left open on either side", async () => {
      // A reader left in ClientWrite keeps its snapshot, and so holds back vacuum on the source.
      const sql = connect(sourceUrl);
      try {
        let left: { datname: string; application_name: string; wait_event: string | null }[] = [];
        for (let i = 0; i < 50; i++) {
          left = await sql`select datname, application_name, wait_event from pg_stat_activity
                            where datname in (${source}, ${target}) and pid <> pg_backend_pid()
                              and application_name <> 'privaci-test'`;
          if (left.length === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.deepEqual([...left], []);
      } finally {
        await sql.end();
      }
    });
  });
});
