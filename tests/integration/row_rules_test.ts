/**
 * Rules that see more than their cell, through real runs against throwaway databases: JSON documents
 * that fail closed (`others:`, `$..`) and templates built from the row's masked columns, inline and in
 * masking workers, and `check` naming bad row references.
 */
import assert from "node:assert/strict";
import { PipelineError } from "../../errors.ts";
import { check, run } from "../../execute/run.ts";
import { maskWorkerCounts } from "../../execute/mask_pool.ts";
import { copyOut, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";
import type { LoadedPolicy } from "../../config/load.ts";

const KEY = "hex:" + "cd".repeat(32);
/** Enough rows that the masking stage probes past its first chunks and hands the table to the workers. */
const ROWS = 20_000;

const DOCS_DDL = "create table docs (id int primary key, doc jsonb)";
/** Documents with e-mails at several depths, a free-text note, a number and, in one row, a key added later. */
const DOCS_SEED = `${DOCS_DDL};
  insert into docs
  select g, jsonb_build_object(
      'email', 'owner' || g || '@corp.example',
      'team', jsonb_build_array(jsonb_build_object('email', 'member' || g || '@corp.example', 'role', 'admin')),
      'note', 'call Ann Smith on 0161 496 ' || lpad(g::text, 4, '0'),
      'size', g % 7)
    || case when g = 15000 then jsonb_build_object('nickname', 'Ally' || g) else '{}'::jsonb end
    from generate_series(1, ${ROWS}) g`;

/** Runs `fn` and checks that it started masking workers exactly when `workers` > 0. */
async function pooled<T>(workers: number, fn: () => Promise<T>): Promise<T> {
  const before = maskWorkerCounts().started;
  const got = await fn();
  assert.equal(
    maskWorkerCounts().started > before,
    workers > 0,
    `masking workers with mask_workers ${workers}`,
  );
  return got;
}

/**
 * Copies `table` with `policyOf(workers)` inline and with two masking workers (checking that they ran),
 * checks that both runs wrote the same bytes, and returns the target's rows as COPY text lines.
 */
async function inlineAndPooled(
  targetUrl: string,
  table: string,
  policyOf: (workers: number) => LoadedPolicy,
): Promise<string[]> {
  const outputs: string[] = [];
  for (const workers of [0, 2]) {
    await exec(targetUrl, `truncate ${table}`);
    const report = await pooled(workers, () => run(policyOf(workers), { maskWorkers: workers }));
    assert.equal(report.tables[0].rows, ROWS);
    outputs.push(text(await copyOut(targetUrl, `select * from ${table} order by id`)));
  }
  assert.equal(outputs[0], outputs[1], "the same bytes inline and in masking workers");
  return outputs[0].trimEnd().split("\n");
}

function docsPolicy(sourceUrl: string, targetUrl: string, rule: string, workers: number) {
  return policyFor(
    sourceUrl,
    targetUrl,
    `key: "${KEY}"\noptions:\n  mask_workers: ${workers}\ntables:\n  public.docs:\n    columns:\n      doc: ${rule}`,
  );
}

Deno.test("run() masks $..email at every depth and others: for the leaves no path names, inline and in workers", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, DOCS_SEED);
    await exec(targetUrl, DOCS_DDL);
    const rule = '{ strategy: json, paths: { "$..email": fake.email, "$.size": keep }, others: redact }';
    const lines = await inlineAndPooled(targetUrl, "docs", (w) => docsPolicy(sourceUrl, targetUrl, rule, w));
    const rows = lines.map((l) => JSON.parse(l.split("\t")[1].replace(/\\\\/g, "\\")));
    assert.equal(rows.length, ROWS);
    for (const [i, doc] of rows.entries()) {
      const g = i + 1;
      assert.match(doc.email, /^[^@\s]+@example\.(com|net|org)$/);
      assert.notEqual(doc.email, `owner${g}@corp.example`);
      assert.match(doc.team[0].email, /@example\.(com|net|org)$/);
      assert.equal(doc.team[0].role, "REDACTED");
      assert.equal(doc.note, "REDACTED");
      assert.equal(doc.size, g % 7, "a kept number stays a number");
      if (g === 15000) assert.equal(doc.nickname, "REDACTED", "a key added later is masked by others:");
    }
  });
});

Deno.test("run() stops on a JSON leaf no path matches (others: error by default), naming it, and writes nothing", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, DOCS_SEED);
    await exec(targetUrl, DOCS_DDL);
    // Every leaf of the first rows is named: only the key in row 15000 is new.
    const rule = '{ strategy: json, paths: { "$..email": fake.email, "$..role": keep, "$.note": redact, ' +
      '"$.size": keep } }';
    for (const workers of [0, 2]) {
      const e = await run(docsPolicy(sourceUrl, targetUrl, rule, workers), { maskWorkers: workers }).then(
        () => assert.fail("the run passed"),
        (e) => e,
      );
      assert.ok(e instanceof PipelineError, String(e));
      assert.deepEqual([e.code, e.table, e.column, e.strategy], [
        "JSON_UNMATCHED",
        "public.docs",
        "doc",
        "json",
      ]);
      assert.match(e.message, /no path of the json rule matches \$\.nickname$/);
      assert.match(e.hint ?? "", /"\$\.nickname": redact/);
      assert.doesNotMatch(e.message + e.hint, /Ally/);
      assert.equal(text(await copyOut(targetUrl, "select count(*) from docs")), "0\n");
    }
  });
});

const PEOPLE_DDL =
  "create table people (id int primary key, email text, first_name text, last_name text, login text)";
const PEOPLE_SEED = `${PEOPLE_DDL};
  insert into people
  select g, 'p' || g || '@corp.example', 'First' || (g % 400), 'Last' || (g % 900), 'u' || g
    from generate_series(1, ${ROWS}) g`;

function peoplePolicy(sourceUrl: string, targetUrl: string, columns: string, workers = 0) {
  return policyFor(
    sourceUrl,
    targetUrl,
    `key: "${KEY}"\noptions:\n  mask_workers: ${workers}\ntables:\n  public.people:\n    columns:\n${columns}`,
    { file: "rows.yaml" },
  );
}

Deno.test("run() fills template row placeholders with the row's masked names (columns after them too), inline and in workers", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, PEOPLE_SEED);
    await exec(targetUrl, PEOPLE_DDL);
    // e-mail comes before the names in the table and reads them masked; login reads the masked e-mail.
    const columns = [
      '      email: { strategy: template, template: "{{first_name|ascii}}.{{last_name|ascii}}{{id}}@example.com" }',
      "      first_name: fake.first_name",
      "      last_name: fake.last_name",
      '      login: { strategy: template, template: "{{email:3}}-{{hash:4}}" }',
    ].join("\n");
    const lines = await inlineAndPooled(
      targetUrl,
      "people",
      (w) => peoplePolicy(sourceUrl, targetUrl, columns, w),
    );
    const fold = (s: string) =>
      s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss").replace(
        /[^a-z0-9]/g,
        "",
      );
    for (const line of lines) {
      const [id, email, first, last, login] = line.split("\t");
      assert.ok(!first.startsWith("First") && !last.startsWith("Last"), "names masked");
      assert.equal(email, `${fold(first)}.${fold(last)}${id}@example.com`);
      assert.match(login, new RegExp(`^${email.slice(0, 3).replace(/[.]/g, "\\.")}-[0-9a-f]{4}$`));
    }
  });
});

Deno.test("check() names a row placeholder of a missing column and a cycle of masked values, at their policy lines", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, PEOPLE_SEED);
    await exec(targetUrl, PEOPLE_DDL);
    const columns = [
      "      id: keep",
      '      email: { strategy: template, template: "{{frist_name}}@example.com" }',
      '      first_name: { strategy: template, template: "{{last_name}}" }',
      '      last_name: { strategy: template, template: "{{login}}" }',
      '      login: { strategy: template, template: "{{first_name}}" }',
    ].join("\n");
    const result = await check(peoplePolicy(sourceUrl, targetUrl, columns));
    assert.equal(result.ok, false);
    const found = result.diagnostics.filter((d) => d.code.startsWith("RULE_COLUMN"));
    assert.deepEqual(found.map((d) => [d.code, d.location.file, d.location.line, d.location.column]), [
      ["RULE_COLUMN_UNKNOWN", "rows.yaml", 12, "email"],
      ["RULE_COLUMN_CYCLE", "rows.yaml", 13, "first_name"],
    ]);
    assert.match(found[0].message, /reads column 'frist_name'.* did you mean 'first_name'\?/);
    assert.match(found[1].message, /first_name → last_name → login → first_name/);
  });
});

const CUSTOMERS_DDL =
  "create table customers (id int primary key, email text, is_staff boolean, country text, name text, name_de text)";
const CUSTOMERS_SEED = `${CUSTOMERS_DDL};
  insert into customers
  select g, 'c' || g || '@corp.example', g % 10 = 0, (array['DE', 'AT', 'FR', 'GB', null])[g % 5 + 1],
         'Name ' || g, 'Name ' || g
    from generate_series(1, ${ROWS}) g`;

Deno.test("run() applies when: alternatives on the row's source values, inline and in workers", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, CUSTOMERS_SEED);
    await exec(targetUrl, CUSTOMERS_DDL);
    const columns = `tables:
  public.customers:
    columns:
      email:
        - { when: { column: is_staff, eq: true }, strategy: keep }
        - fake.email
      name:
        - when: { column: country, in: [DE, AT] }
          strategy: fake.full_name
          locale: de
        - when: { all: [{ column: country, eq: FR }, { not: { column: is_staff, eq: true } }] }
          strategy: redact
        - fake.full_name
      name_de: { strategy: fake.full_name, locale: de }`;
    const lines = await inlineAndPooled(
      targetUrl,
      "customers",
      (w) => policyFor(sourceUrl, targetUrl, `key: "${KEY}"\noptions:\n  mask_workers: ${w}\n${columns}`),
    );
    const seen = new Set<string>();
    for (const line of lines) {
      const [id, email, staff, country, name, nameDe] = line.split("\t");
      const g = Number(id);
      if (staff === "t") assert.equal(email, `c${g}@corp.example`, "a staff e-mail is kept");
      else assert.match(email, /@example\.(com|net|org)$/);
      if (country === "DE" || country === "AT") {
        assert.equal(name, nameDe, "German-speaking rows get the de name of the same input");
        seen.add("de");
      } else if (country === "FR" && staff !== "t") {
        assert.equal(name, "REDACTED");
        seen.add("fr");
      } else {
        assert.ok(name !== `Name ${g}` && name !== "REDACTED", `row ${g}`);
        seen.add("default");
      }
    }
    assert.deepEqual([...seen].sort(), ["de", "default", "fr"]);
  });
});

Deno.test("check() names a when: column the table does not have, at the rule's line", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, CUSTOMERS_SEED);
    await exec(targetUrl, CUSTOMERS_DDL);
    const policy = policyFor(
      sourceUrl,
      targetUrl,
      `key: "${KEY}"
tables:
  public.customers:
    columns:
      email:
        - { when: { column: is_staf, eq: true }, strategy: keep }
        - fake.email`,
      { file: "when.yaml" },
    );
    const result = await check(policy);
    assert.equal(result.ok, false);
    const found = result.diagnostics.filter((d) => d.code === "RULE_COLUMN_UNKNOWN");
    assert.deepEqual(found.map((d) => [d.location.file, d.location.line, d.location.column, d.message]), [[
      "when.yaml",
      9,
      "email",
      "public.customers.email: the rule reads column 'is_staf', which public.customers does not have or does not copy — did you mean 'is_staff'?",
    ]]);
  });
});

Deno.test("check() refuses when: alternatives on a foreign key: each end would choose by its own row", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const ddl = `create table parent (code text primary key, region text);
      create table child (id int primary key, parent_code text references parent, region text)`;
    await exec(sourceUrl, ddl);
    await exec(targetUrl, ddl);
    const rule = `
        - { when: { column: region, eq: EU }, strategy: hash }
        - hash`;
    const policy = policyFor(
      sourceUrl,
      targetUrl,
      `key: "${KEY}"
tables:
  public.parent:
    columns:
      code:${rule}
  public.child:
    columns:
      parent_code:${rule}`,
    );
    const result = await check(policy);
    const fk = result.diagnostics.filter((d) => d.code === "FOREIGN_KEY_MASKING");
    assert.equal(fk.length, 1, JSON.stringify(result.diagnostics));
    assert.match(fk[0].message, /masked by when: alternatives \(chosen per row\)/);
  });
});

Deno.test("run() gives each row the locale of its country column (locale_from:), inline and in workers", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, CUSTOMERS_SEED);
    await exec(targetUrl, CUSTOMERS_DDL);
    const columns = `tables:
  public.customers:
    columns:
      email: { strategy: fake.email, locale_from: country }
      name: { strategy: fake.full_name, locale_from: country, locale: en_GB }
      name_de: { strategy: fake.full_name, locale: de }`;
    const lines = await inlineAndPooled(
      targetUrl,
      "customers",
      (w) => policyFor(sourceUrl, targetUrl, `key: "${KEY}"\noptions:\n  mask_workers: ${w}\n${columns}`),
    );
    let german = 0, other = 0;
    for (const line of lines) {
      const [, , , country, name, nameDe] = line.split("\t");
      if (country === "DE") {
        assert.equal(name, nameDe, "a German customer gets the German name of the same input");
        german++;
      } else if (name !== nameDe) other++;
    }
    assert.ok(german === ROWS / 5, `German rows ${german}`);
    assert.ok(other > (ROWS * 3) / 5 * 0.9, `rows of other countries with other names: ${other}`);
  });
});

Deno.test("check() names a locale_from: column the table does not have", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, CUSTOMERS_SEED);
    await exec(targetUrl, CUSTOMERS_DDL);
    const policy = policyFor(
      sourceUrl,
      targetUrl,
      `key: "${KEY}"\ntables:\n  public.customers:\n    columns:\n      name: { strategy: fake.full_name, locale_from: contry }`,
    );
    const found = (await check(policy)).diagnostics.filter((d) => d.code === "RULE_COLUMN_UNKNOWN");
    assert.equal(found.length, 1);
    assert.match(found[0].message, /reads column 'contry'.* did you mean 'country'\?/);
    assert.equal(found[0].location.column, "name");
  });
});
