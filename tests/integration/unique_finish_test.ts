/**
 * `unique: true` across the parts of a run: a short unique suffix (`fake.email`, `suffix_digits: 2`) is
 * checked for collisions in the memory of the process that masks it, so two parts of a resumed run (or two
 * shards) can write one value for two distinct source values. Two such source values are found with the
 * run's own key, put in two units, and loaded by two processes (the first part fails on the second unit,
 * which the target refuses, before the second value is in the source; `--resume` loads it with the
 * value): the run's finish must find the repeat in the target
 * and fail closed; with a unique index in the target the load of the second part fails instead, with the
 * hint to raise `suffix_digits`.
 */
import assert from "node:assert/strict";
import { checkUniqueColumns } from "../../execute/unique_check.ts";
import { decodeKey } from "../../strategies/keyed/keyring.ts";
import { batchOf, makeMasker } from "../../strategies/_test_utils.ts";
import { connect, exec, withDbs } from "../_pg.ts";
import { type CliResult, runCli } from "../fixtures/fault/harness.ts";

const KEY = "hex:" + "3c".repeat(32);
const CLI_MS = 120_000;
const RULE = "{ strategy: fake.email, unique: true, suffix_digits: 2 }";
const COLUMN = { type: "character varying(16)", baseType: "varchar", maxLength: 16 };

function show(r: CliResult): string {
  return `exit ${r.code} (signal ${r.signal})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

/** Two distinct addresses that `RULE` masks to one value under `KEY` (a short suffix in 16 characters). */
async function collidingPair(): Promise<[string, string]> {
  const options = { master: decodeKey(KEY), unique: true, column: COLUMN };
  const params = { suffix_digits: 2 };
  const inputs = Array.from({ length: 20_000 }, (_, i) => `u${i}@x.io`);
  const checked = await makeMasker("fake.email", params, options);
  let at = -1;
  for (const [i, v] of inputs.entries()) {
    try {
      await checked.mask([v], batchOf());
    } catch {
      at = i;
      break;
    }
  }
  assert.ok(at > 0, "no collision among 20,000 addresses");
  const plain = await makeMasker("fake.email", params, options);
  const target = (await plain.mask([inputs[at]], batchOf()))[0];
  const fresh = await makeMasker("fake.email", params, options);
  for (const v of inputs.slice(0, at)) {
    if ((await fresh.mask([v], batchOf()))[0] === target) return [v, inputs[at]];
  }
  throw new Error("the colliding address was not found again");
}

/**
 * A 2,000-row table whose only address is the pair's first, at id 1; with `chunk_rows: 1000` ids 1,001
 * and later are a second unit, where {@link firstPart} puts the pair's second at id 2,000.
 */
async function seed(sourceUrl: string, targetUrl: string, pair: [string, string], targetExtra: string) {
  const ddl = "create table people (id int primary key, email varchar(16))";
  await exec(
    sourceUrl,
    `${ddl}; insert into people select g, null from generate_series(2, 2000) g;
     insert into people values (1, '${pair[0]}'); analyze people;`,
  );
  await exec(targetUrl, `${ddl}; ${targetExtra}`);
}

async function policyFile(sourceUrl: string, targetUrl: string): Promise<string> {
  const file = await Deno.makeTempFile({ prefix: "privaci-unique-", suffix: ".yaml" });
  await Deno.writeTextFile(
    file,
    [
      "version: 1",
      `source: ${sourceUrl}`,
      `target: ${targetUrl}`,
      `key: ${KEY}`,
      "options:",
      "  chunk_rows: 1000",
      "  jobs: 1",
      "tables:",
      "  public.people:",
      "    columns:",
      "      id: keep",
      `      email: ${RULE}`,
    ].join("\n") + "\n",
  );
  return file;
}

/**
 * The first part loads unit 0 and fails on unit 1 (the target refuses id 2,000); then the pair's second
 * address is written at id 2,000, where only the resumed part (another process) reads it. Returns the
 * policy file.
 */
async function firstPart(sourceUrl: string, targetUrl: string, pair: [string, string]): Promise<string> {
  const file = await policyFile(sourceUrl, targetUrl);
  const first = await runCli(["run", "-c", file, "-q"], { timeoutMs: CLI_MS });
  assert.equal(first.code, 1, show(first));
  assert.match(first.stderr, /people_second/, show(first));
  await exec(targetUrl, "alter table people drop constraint people_second");
  await exec(sourceUrl, `update people set email = '${pair[1]}' where id = 2000`);
  return file;
}

Deno.test("run --resume: a unique value repeated across two parts of the run fails the finish, naming the column, policy line, counts and fix", async () => {
  const pair = await collidingPair();
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await seed(
      sourceUrl,
      targetUrl,
      pair,
      "alter table people add constraint people_second check (id <> 2000)",
    );
    const file = await firstPart(sourceUrl, targetUrl, pair);
    try {
      const resumed = await runCli(["run", "-c", file, "--resume", "--json"], { timeoutMs: CLI_MS });
      assert.equal(resumed.code, 1, show(resumed));
      const report = JSON.parse(resumed.stdout);
      assert.equal(report.error.code, "STRATEGY_COLLISION");
      assert.match(
        report.error.message,
        new RegExp(
          `^Cannot finish the run: public\\.people\\.email \\(fake\\.email with unique: true, rule at ${
            file.replaceAll(".", "\\.")
          }:12:\\d+\\) holds 1 values written more than once \\(2 rows\\) though its source values are distinct: ` +
            "distinct source values gave the same masked value in different shards or parts of the run",
        ),
      );
      assert.match(
        resumed.stderr,
        /hint: raise suffix_digits .*or give the column a unique index in the target/,
      );
      // The rows are in, the run is failed and its end recorded as the failed unit.
      const sql = connect(targetUrl);
      try {
        const [{ n }] = await sql.unsafe<{ n: number }[]>(
          "select count(distinct email)::int as n from people where email is not null",
        );
        assert.equal(n, 1, "the two source values were written as one");
        const runs = await sql.unsafe<{ status: string }[]>("select status from privaci.runs");
        assert.deepEqual(runs.map((r) => r.status), ["failed"]);
        const failures = await sql.unsafe<{ unit: string; code: string; retried: boolean }[]>(
          `select table_name || '#' || chunk as unit, code, retried_at is not null as retried
             from privaci.failures order by failure_id`,
        );
        assert.deepEqual(failures.map((f) => [f.unit, f.code, f.retried]), [
          ["public.people#1", "PG_COPY", true],
          ["privaci:finish#0", "STRATEGY_COLLISION", false],
        ]);
      } finally {
        await sql.end();
      }
    } finally {
      await Deno.remove(file);
    }
  });
});

Deno.test("run --resume: with a unique index in the target, the second part's load fails at the repeat, with the hint to raise suffix_digits", async () => {
  const pair = await collidingPair();
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await seed(
      sourceUrl,
      targetUrl,
      pair,
      "create unique index people_email on people (email); " +
        "alter table people add constraint people_second check (id <> 2000)",
    );
    const file = await firstPart(sourceUrl, targetUrl, pair);
    try {
      const resumed = await runCli(["run", "-c", file, "--resume"], { timeoutMs: CLI_MS });
      assert.equal(resumed.code, 1, show(resumed));
      assert.match(resumed.stderr, /duplicate key value violates unique constraint "people_email"/);
      assert.match(
        resumed.stderr,
        /hint: .*email \(fake\.email with unique: true\).*raise suffix_digits/,
        show(resumed),
      );
      assert.ok(!resumed.stderr.includes(pair[0]) && !resumed.stderr.includes(pair[1]), "no value is shown");
    } finally {
      await Deno.remove(file);
    }
  });
});

Deno.test("checkUniqueColumns() counts repeats beyond the source's own, and skips only a unique index on the column alone", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = "create table t (id int, v text, w text)";
    await exec(sourceUrl, `${ddl}; insert into t values (1, 'a', 'x'), (2, 'a', 'y'), (3, 'b', 'z')`);
    // v: the source repeats 'a' once, the target once: no collision. w: distinct in the source, repeated
    // in the target. A partial unique index or one over two columns does not cover w.
    await exec(
      targetUrl,
      `${ddl}; insert into t values (1, 'm', 'q'), (2, 'm', 'q'), (3, 'n', 'r');
       create unique index t_partial on t (w) where id < 0; create unique index t_pair on t (id, w)`,
    );
    const target = connect(targetUrl);
    const source = connect(sourceUrl);
    try {
      const col = (column: string) => ({
        table: { schema: "public", table: "t" },
        name: "public.t",
        column,
        strategy: "fake.email",
        collisionHint: "raise suffix_digits",
      });
      await checkUniqueColumns(target, source, [col("v")]);
      await assert.rejects(checkUniqueColumns(target, source, [col("v"), col("w")]), {
        code: "STRATEGY_COLLISION",
        message:
          /public\.t\.w \(fake\.email with unique: true\) holds 1 values written more than once \(2 rows\)/,
      });
      // Two rows of v repeat 'm' while the source repeats 'a': with one more target repeat it fails.
      await target.unsafe("insert into t values (4, 'm', 's')");
      await assert.rejects(checkUniqueColumns(target, source, [col("v")]), {
        message: /holds 1 values written more than once \(3 rows\) beyond the 1 repeats of its source values/,
      });
      // A unique index that a failed CREATE INDEX CONCURRENTLY left invalid covers nothing; a valid one does.
      await assert.rejects(target.unsafe("create unique index concurrently t_w on t (w)"));
      await assert.rejects(checkUniqueColumns(target, source, [col("w")]), { code: "STRATEGY_COLLISION" });
      await target.unsafe("drop index t_w");
      await target.unsafe("delete from t where id in (2, 4)");
      await target.unsafe("create unique index t_w on t (w)");
      await checkUniqueColumns(target, source, [col("w")]);
    } finally {
      await target.end();
      await source.end();
    }
  });
});
