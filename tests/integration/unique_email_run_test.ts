/**
 * Short unique e-mails through real runs: realistic and distinct on a unique column, and a collision
 * (forced by a 2-digit suffix on a varchar(16) column) stops the run naming the column, on a column
 * the target's unique index checks and on one the masker checks itself.
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
