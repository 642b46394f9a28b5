/**
 * Masking workers (`options.mask_workers`) against a real PostgreSQL: the target gets the same bytes
 * as with inline masking, a strategy failing in a worker fails the table as inline masking does, and the
 * workers (counted by the pool itself: threads of the process include other test modules' workers) are gone
 * when the run returns, whatever its outcome.
 */
import assert from "node:assert/strict";
import { PipelineError, PrivaciError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { maskWorkerCounts } from "../../execute/mask_pool.ts";
import { copyOut, createDb, dbUrl, dropDb, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";

const KEY = "hex:" + "ab".repeat(32);
const ROWS = 30_000;
const BAD_ROW = 21_000;

const DDL = `create table people (
  id int primary key, first_name text, last_name text not null, email varchar(80), phone text,
  iban text, ssn text, profile text, note text)`;

/** Several masked columns of different strategies (one nested), two kept ones. */
const TABLES = `tables:
  public.people:
    columns:
      first_name: fake.first_name
      last_name: fake.last_name
      email: { strategy: fake.email, domain: person_email }
      phone: fake.phone
      iban: fake.iban
      ssn: fake.ssn
      profile: { strategy: json, paths: { "$.name": fake.full_name, "$.city": fake.city }, others: keep }`;

function seed(bad = false): string {
  const profile = `'{"name": "N' || g || '", "city": "C' || (g % 50) || '", "n": ' || g || '}'`;
  return `${DDL};
    insert into people
    select g, 'First' || (g % 300), 'Last' || (g % 700), 'user' || g || '@example.com',
           '+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'), 'GB82WEST1234569876' || lpad(g::text, 4, '0'),
           lpad((g % 1000)::text, 3, '0') || '-45-' || lpad((g % 10000)::text, 4, '0'),
           ${bad ? `case when g = ${BAD_ROW} then 'not json' else ${profile} end` : profile},
           case when g % 7 = 0 then null else 'note ' || g || E'\\twith a tab' end
      from generate_series(1, ${ROWS}) g`;
}

/** Masking workers of this test module that are still running. */
function workerThreads(): number {
  return maskWorkerCounts().running;
}

/** Runs `fn` and counts the masking workers it started; resolves to its outcome and that count. */
async function sampled<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; most: number }> {
  const before = maskWorkerCounts().started;
  try {
    return { value: await fn(), most: maskWorkerCounts().started - before };
  } catch (error) {
    return { error, most: maskWorkerCounts().started - before };
  }
}

/** Masking workers still running after the run returned (terminate() is synchronous for the pool). */
function threadsLeft(): Promise<number> {
  return Promise.resolve(workerThreads());
}

async function withExtraDb<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = await createDb("dst2");
  try {
    return await fn(dbUrl(name));
  } finally {
    await dropDb(name);
  }
}

Deno.test("run() writes the same target bytes with masking workers as inline (mask_workers: 0)", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await withExtraDb(async (inlineUrl) => {
      await exec(sourceUrl, seed());
      await exec(targetUrl, DDL);
      await exec(inlineUrl, DDL);
      assert.equal(workerThreads(), 0);
      const inline = await sampled(() =>
        run(policyFor(sourceUrl, inlineUrl, `key: "${KEY}"\noptions:\n  mask_workers: 0\n${TABLES}`))
      );
      assert.equal(inline.error, undefined);
      assert.equal(inline.most, 0, "mask_workers: 0 starts no worker");
      const pooled = await sampled(() =>
        run(policyFor(sourceUrl, targetUrl, `key: "${KEY}"\n${TABLES}`), { maskWorkers: 2 })
      );
      assert.equal(pooled.error, undefined);
      assert.equal(pooled.most, 2, "both workers ran");
      assert.equal(await threadsLeft(), 0, "the workers ended with the run");
      assert.equal(pooled.value!.tables[0].rows, ROWS);

      const query = "select * from people order by id";
      const [want, got, src] = await Promise.all([
        copyOut(inlineUrl, query),
        copyOut(targetUrl, query),
        copyOut(sourceUrl, query),
      ]);
      assert.equal(text(got).split("\n").length, ROWS + 1);
      assert.ok(text(got) === text(want), "the same bytes as inline masking");
      // Masked: no source first name, email or profile name survives; kept columns do.
      const [srcRow, gotRow] = [text(src).split("\n")[41].split("\t"), text(got).split("\n")[41].split("\t")];
      assert.equal(gotRow[0], "42");
      for (const i of [1, 2, 3, 4, 5, 6, 7]) assert.notEqual(gotRow[i], srcRow[i], `column ${i}`);
      assert.equal(gotRow[8], srcRow[8]);
    });
  });
});

Deno.test("run() fails the table as inline masking does when a strategy fails in a masking worker", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, seed(true));
    await exec(targetUrl, DDL);
    const failures: PipelineError[] = [];
    for (const workers of [2, 0]) {
      const outcome = await sampled(() =>
        run(policyFor(sourceUrl, targetUrl, `key: "${KEY}"\n${TABLES}`), { maskWorkers: workers })
      );
      assert.ok(outcome.error instanceof PipelineError, String(outcome.error));
      assert.equal(outcome.most > 0, workers > 0, `worker threads with mask_workers ${workers}`);
      assert.equal(await threadsLeft(), 0);
      failures.push(outcome.error);
      assert.equal(text(await copyOut(targetUrl, "select count(*) from people")), "0\n");
    }
    const [pooled, inline] = failures;
    assert.match(String(pooled.stack), /_mask_worker\.ts/, "raised in a worker");
    for (const e of failures) {
      assert.equal(e.code, "STRATEGY_FAILED");
      assert.equal(e.table, "public.people");
      assert.equal(e.column, "profile");
      assert.equal(e.strategy, "json");
      assert.ok(e.row! <= BAD_ROW && e.row! > BAD_ROW - 5000, `row ${e.row}`);
      // The policy line, and the strategy's own message (which never holds the value).
      assert.match(
        e.message,
        new RegExp(
          `^core\\.yaml:\\d+:\\d+: Cannot mask public\\.people\\.profile with json in the batch from row ${e.row}: ` +
            "the value in batch row \\d+ is not JSON$",
        ),
      );
      assert.doesNotMatch(e.message + String((e.cause as Error)?.message), /not json/);
    }
    const digitless = (e: PipelineError) => e.message.replace(/\d+/g, "N");
    assert.equal(digitless(pooled), digitless(inline));
  });
});

Deno.test("run() with masking workers stops promptly when aborted and leaves no worker behind", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, seed());
    // The target holds the load for 2 s at row 1000, so the abort always lands while the table streams.
    await exec(
      targetUrl,
      `${DDL};
       create function slow() returns trigger language plpgsql as $$
       begin if new.id = 1000 then perform pg_sleep(2); end if; return new; end $$;
       create trigger slow before insert on people for each row execute function slow()`,
    );
    const controller = new AbortController();
    const started = performance.now();
    let abortedAt = 0;
    const outcome = await sampled(() =>
      run(policyFor(sourceUrl, targetUrl, `key: "${KEY}"\n${TABLES}`), {
        maskWorkers: 2,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === "table-start") {
            setTimeout(() => {
              abortedAt = performance.now();
              controller.abort(new PrivaciError("INTERRUPTED", "Interrupted by the test"));
            }, 150);
          }
        },
      })
    );
    assert.ok(outcome.error instanceof PrivaciError, String(outcome.error));
    assert.equal(outcome.error.code, "INTERRUPTED");
    assert.ok(abortedAt > 0);
    assert.ok(
      performance.now() - abortedAt < 3000,
      `stopped ${performance.now() - abortedAt} ms after the abort`,
    );
    assert.ok(performance.now() - started < 15_000);
    assert.equal(await threadsLeft(), 0);
    assert.equal(text(await copyOut(targetUrl, "select count(*) from people")), "0\n");
  });
});
