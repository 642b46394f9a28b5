/**
 * Short unique e-mails through real runs: realistic and distinct on a unique column, and a collision
 * (forced by a 2-digit suffix on a varchar(16) column) stops the run naming the column, on a column
 * the target's unique index checks and on one the masker checks itself. Usernames and e-mails in
 * varchar(32), varchar(12) and varchar(64) columns of one table: each value fits its column, and where the
 * wide column's value does not fit the narrow one only its name is shortened, never its number; a target
 * column narrower than the source's (`schema: existing`) refuses the load, naming the column.
 */
import assert from "node:assert/strict";
import { connect, exec, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";

const KEY = "base64:" + btoa("unique email run test key: 32 bytes or more");

const SCHEMA = `
create table person (id int primary key, email varchar(80) not null unique);
create table contact (id int primary key, email varchar(16));
insert into person select g, 'person' || g || '@corp.example' from generate_series(1, 3000) g;
insert into contact select g, 'c' || g || '@x.example' from generate_series(1, 3000) g;
`;

function policy(rules: string): string {
  return `version: 1
source: \${PRIVACI_SOURCE_URL}
target: \${PRIVACI_TARGET_URL}
key: \${PRIVACI_KEY}
schema: copy
unlisted: keep
tables:
${rules}`;
}

async function emails(url: string): Promise<string[]> {
  const sql = connect(url);
  try {
    return (await sql<{ email: string }[]>`select email from person`).map((r) => r.email);
  } finally {
    await sql.end();
  }
}

Deno.test("privaci run writes realistic, distinct unique e-mails and stops at a collision naming the column", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_unique_email_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await exec(sourceUrl, SCHEMA);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
      const file = `${dir}/policy.yaml`;

      await t.step("the default: the normal fake and a short number, all distinct", async () => {
        await Deno.writeTextFile(
          file,
          policy(`  public.person:
    columns:
      email: { strategy: fake.email, unique: true }
  public.contact:
    columns:
      email: keep
`),
        );
        const r = await privaci(["run", "-c", file, "--quiet"], env);
        assert.equal(r.code, 0, r.stderr);
        const out = await emails(targetUrl);
        assert.equal(out.length, 3000);
        assert.equal(new Set(out).size, 3000);
        for (const e of out) {
          assert.match(e, /^[a-z]+([._]?[a-z][._]?)?[a-z]+\d{1,5}@example\.(com|net|org)$/);
        }
      });

      await t.step(
        "a collision on a column the masker checks stops the run with STRATEGY_COLLISION",
        async () => {
          await exec(targetUrl, "drop schema public cascade; create schema public");
          await Deno.writeTextFile(
            file,
            policy(`  public.person:
    columns:
      email: fake.email
  public.contact:
    columns:
      email: { strategy: fake.email, unique: true, suffix_digits: 2 }
`),
          );
          const r = await privaci(["run", "-c", file, "--quiet"], env);
          assert.notEqual(r.code, 0);
          assert.match(r.stderr, /STRATEGY_COLLISION|two distinct source values gave the same value/);
          assert.match(r.stderr, /contact/);
          assert.match(r.stderr, /email/);
        },
      );

      await t.step("a collision on a unique column stops the run as well", async () => {
        await exec(targetUrl, "drop schema public cascade; create schema public");
        await exec(
          sourceUrl,
          "alter table person alter column email type varchar(16) using 'p' || id || '@x.example'",
        );
        await Deno.writeTextFile(
          file,
          policy(`  public.person:
    columns:
      email: { strategy: fake.email, unique: true, suffix_digits: 2 }
  public.contact:
    columns:
      email: keep
`),
        );
        const r = await privaci(["run", "-c", file, "--quiet"], env);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /STRATEGY_COLLISION/);
        assert.match(r.stderr, /person/);
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const FITTED = `
create table account (
  id int primary key,
  email varchar(32) not null unique,
  email_wide varchar(64) not null unique,
  login varchar(12) not null unique,
  login_wide varchar(64) not null unique
);
insert into account select g, 'first.last' || g || '@corp.example', 'first.last' || g || '@corp.example',
  'user' || g, 'user' || g from generate_series(1, 3000) g;
`;

/** The name part and the number of a short unique value (`emily.j.oconnell47291` → name, digits). */
function split(value: string): { name: string; digits: string } {
  const [, name, digits] = /^(.*?)(\d{1,5})$/.exec(value) ?? [];
  assert.ok(name && digits, `${value}: a name and a number of 1 to 5 digits`);
  return { name, digits };
}

Deno.test("privaci run fits short unique e-mails and usernames to the column's varchar(n), shortening the name only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_unique_fit_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await exec(sourceUrl, FITTED);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
      const file = `${dir}/policy.yaml`;
      // One domain per pair, so a narrow and a wide column get the same value before fitting.
      await Deno.writeTextFile(
        file,
        policy(`  public.account:
    columns:
      email: { strategy: fake.email, unique: true }
      email_wide: { strategy: fake.email, unique: true }
      login: { strategy: fake.username, unique: true }
      login_wide: { strategy: fake.username, unique: true }
`),
      );
      const r = await privaci(["run", "-c", file, "--quiet"], env);
      assert.equal(r.code, 0, r.stderr);
      const sql = connect(targetUrl);
      const rows = await sql<{ email: string; email_wide: string; login: string; login_wide: string }[]>`
        select email, email_wide, login, login_wide from account order by id`.finally(() => sql.end());
      assert.equal(rows.length, 3000);
      const checks = [
        { narrow: "email", wide: "email_wide", max: 32, at: true },
        { narrow: "login", wide: "login_wide", max: 12, at: false },
      ] as const;
      for (const { narrow, wide, max, at } of checks) {
        let shortened = 0;
        assert.equal(new Set(rows.map((row) => row[narrow])).size, rows.length, `${narrow}: all distinct`);
        assert.equal(new Set(rows.map((row) => row[wide])).size, rows.length, `${wide}: all distinct`);
        for (const row of rows) {
          const [short, long] = [row[narrow], row[wide]];
          assert.ok(short.length <= max, `${narrow} ${short} fits varchar(${max})`);
          assert.ok(long.length <= 64, `${wide} ${long} fits varchar(64)`);
          const [shortLocal, shortDomain = ""] = at ? short.split("@") : [short];
          const [longLocal, longDomain = ""] = at ? long.split("@") : [long];
          if (at) assert.match(longDomain, /^example\.(com|net|org)$/);
          assert.equal(shortDomain, longDomain, "the same domain");
          const s = split(shortLocal), l = split(longLocal);
          assert.equal(s.digits, l.digits, `${short}: the same number as ${long}`);
          assert.match(l.name, /^[a-z]+([._]?[a-z][._]?)?[a-z]+$/, `${long}: a whole name`);
          if (long.length <= max) assert.equal(short, long, "a value that fits is not changed");
          else {
            shortened++;
            assert.ok(
              s.name.length > 0 && l.name.startsWith(s.name),
              `${short}: ${long} with a shorter name`,
            );
          }
        }
        // The narrow columns really are fitted: the same values do not fit without shortening.
        assert.ok(
          shortened > rows.length / 20,
          `${narrow}: ${shortened} values shortened to varchar(${max})`,
        );
      }

      // Values are fitted to the source column's length: a target column made narrower by hand
      // (`schema: existing`) refuses them at load, naming the column, and its table stays empty.
      await exec(targetUrl, "drop schema public cascade; create schema public");
      await exec(
        targetUrl,
        FITTED.slice(0, FITTED.indexOf("insert")).replace("login varchar(12)", "login varchar(8)"),
      );
      await Deno.writeTextFile(
        file,
        (await Deno.readTextFile(file)).replace("schema: copy", "schema: existing"),
      );
      const narrower = await privaci(["run", "-c", file, "--quiet"], env);
      assert.notEqual(narrower.code, 0);
      assert.match(narrower.stderr, /PG_COPY.*public\.account \(column login\).*character varying\(8\)/);
      const left = connect(targetUrl);
      const [{ n }] = await left<{ n: number }[]>`select count(*)::int as n from account`.finally(() =>
        left.end()
      );
      assert.equal(n, 0, "nothing of the table written");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
