/**
 * `privaci scan` on the labelled shop fixture (tests/fixtures/scan): classification against the labels,
 * no sampled value in the draft, the draft run end to end (personal columns lose every source value,
 * the others are copied byte for byte), `--check` on a policy that keeps a personal column, and `-c`
 * completing an existing policy.
 *
 * @module
 */
import assert from "node:assert/strict";
import { scan } from "../../scan/scan.ts";
import { parsePolicy } from "../../config/load.ts";
import { SHOP_LABELS } from "../fixtures/scan/labels.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { connect, copyOut, exec, psqlFile, withDbs } from "../_pg.ts";
import { classificationScore } from "../fixtures/scan/score.ts";

const SHOP = new URL("../fixtures/scan/shop.sql", import.meta.url).pathname;
const KEY = "scan-test-key-0123456789abcdef0123456789";

/** The fixture's DDL alone (everything before its helper function and data). */
async function shopDdl(): Promise<string> {
  const text = await Deno.readTextFile(SHOP);
  return text.slice(0, text.indexOf("create function pick"));
}

Deno.test("scan() finds every personal column of the labelled fixture and keeps the others", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await psqlFile(sourceUrl, SHOP);
    const result = await scan({ source: sourceUrl });
    const score = classificationScore(result.tables, SHOP_LABELS);
    assert.deepEqual(score.unlabelled, []);
    assert.deepEqual({ missed: score.missed, wrong: score.wrong }, { missed: [], wrong: [] });
    const rule = (t: string, c: string) =>
      result.tables.find((x) => x.table === `public.${t}`)!.columns.find((x) => x.column === c)!.rule;
    // Both ends of the e-mail foreign key get one rule, unique as customers.email is a key.
    assert.deepEqual(rule("customers", "email"), { strategy: "fake.email", unique: true });
    assert.deepEqual(rule("support_tickets", "customer_email"), rule("customers", "email"));
    assert.deepEqual(rule("customers", "preferences"), {
      strategy: "json",
      // Leaves judged not personal are kept by name; a key added later fails closed (others: error).
      paths: {
        "$.contact.email": "fake.email",
        "$.contact.channel": "keep",
        "$.language": "keep",
        "$.newsletter": "keep",
      },
    });
    assert.deepEqual(rule("customers", "phones"), { strategy: "array", element: "fake.phone" });
    assert.equal(rule("employees", "photo").strategy, "redact");
    assert.equal(rule("products", "code").strategy, "keep");
    // The draft is a valid policy and holds no sampled value.
    parsePolicy(result.yaml, { file: "draft.yaml", env: () => "postgres://x.invalid/" + "k".repeat(40) });
    const sql = connect(sourceUrl);
    try {
      const values = await sql<{ v: string }[]>`
        select email as v from customers union select full_name from customers
        union select phone from customers union select ship_address from orders
        union select code from products union select body from support_tickets`;
      const leaked = values.filter((r) => result.yaml.includes(r.v));
      assert.deepEqual(leaked.length, 0, "the draft quotes sampled values");
    } finally {
      await sql.end();
    }
  });
});

/** Columns by table, with the primary key to order rows by. */
async function labelledColumns(url: string) {
  const sql = connect(url);
  try {
    const rows = await sql<{ table: string; pk: string[] }[]>`
      select c.relname as table,
             array(select a.attname from pg_index i cross join lateral unnest(i.indkey) k(n)
                     join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n
                    where i.indrelid = c.oid and i.indisprimary)::text[] as pk
        from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'`;
    return new Map(rows.map((r) => [r.table, r.pk]));
  } finally {
    await sql.end();
  }
}

Deno.test("scan --out then run -c: personal columns keep no source value, the others are copied byte for byte", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await psqlFile(sourceUrl, SHOP);
    await exec(targetUrl, await shopDdl());
    const dir = await Deno.makeTempDir();
    try {
      const draft = `${dir}/draft.yaml`;
      const scanned = await privaci(["scan", "--source", sourceUrl, "--out", draft]);
      assert.equal(scanned.code, 0, scanned.stderr);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
      const ran = await privaci(["run", "-c", draft, "--quiet"], env);
      assert.equal(ran.code, 0, ran.stderr);
      const keys = await labelledColumns(sourceUrl);
      const dec = new TextDecoder();
      for (const [name, personal] of Object.entries(SHOP_LABELS)) {
        const [table, column] = name.split(".");
        const order = keys.get(table)!.map((k) => `"${k}"`).join(", ");
        const query = `select "${column}" from ${table} order by ${order}`;
        const [src, dst] = [await copyOut(sourceUrl, query), await copyOut(targetUrl, query)];
        if (!personal) {
          assert.deepEqual(dst, src, `${name} is not personal and must be copied byte for byte`);
          continue;
        }
        const a = dec.decode(src).split("\n"), b = dec.decode(dst).split("\n");
        assert.equal(b.length, a.length, `${name}: row count`);
        const kept = a.filter((v, i) => v !== "\\N" && v !== "" && v === b[i]).length;
        assert.equal(kept, 0, `${name} is personal: ${kept} rows keep their source value`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("scan -c --check fails on a policy that keeps a personal column and passes on the draft", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await psqlFile(sourceUrl, SHOP);
    const dir = await Deno.makeTempDir();
    try {
      const draft = `${dir}/draft.yaml`;
      assert.equal((await privaci(["scan", "--source", sourceUrl, "--out", draft, "--quiet"])).code, 0);
      const env = { PRIVACI_SOURCE_URL: sourceUrl };
      const clean = await privaci(["scan", "-c", draft, "--check"], env);
      assert.equal(clean.code, 0, clean.stderr);
      const leaky = `${dir}/leaky.yaml`;
      const text = await Deno.readTextFile(draft);
      await Deno.writeTextFile(leaky, text.replace(/^( {6}billing_email:) .*$/m, "$1 keep"));
      const flagged = await privaci(["scan", "-c", leaky, "--check", "--json"], env);
      assert.equal(flagged.code, 1, flagged.stderr);
      assert.match(flagged.stderr, /personal but kept: public\.orders\.billing_email looks like email/);
      assert.deepEqual(JSON.parse(flagged.stdout).flagged, [{
        table: "public.orders",
        column: "billing_email",
      }]);
      assert.doesNotMatch(flagged.stderr + flagged.stdout, /@/, "the report quotes no value");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("scan -c keeps the policy's rules and comments and adds the columns it misses", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await psqlFile(sourceUrl, SHOP);
    const dir = await Deno.makeTempDir();
    try {
      const policy = `${dir}/privaci.yaml`;
      await Deno.writeTextFile(
        policy,
        [
          "version: 1",
          "source: ${PRIVACI_SOURCE_URL}",
          "target: ${PRIVACI_TARGET_URL}",
          "key: ${PRIVACI_KEY}",
          "tables:",
          "  public.customers:",
          "    columns:",
          "      # ours",
          "      email: { strategy: hash, unique: true }",
          "      notes: keep",
          "",
        ].join("\n"),
      );
      const out = `${dir}/merged.yaml`;
      const merged = await privaci(["scan", "-c", policy, "--out", out], { PRIVACI_SOURCE_URL: sourceUrl });
      assert.equal(merged.code, 0, merged.stderr);
      const text = await Deno.readTextFile(out);
      assert.match(text, /# ours\n {6}email: \{ strategy: hash, unique: true \}\n/);
      assert.match(text, /notes: keep # privaci scan: looks personal \(free_text/);
      assert.match(text, /public\.employees:\n {4}columns:\n/);
      // The foreign key end the policy misses takes the policy's rule for the referenced column.
      assert.match(text, /customer_email: \{ strategy: hash, unique: true \} #/);
      assert.match(text, /^source: \$\{PRIVACI_SOURCE_URL\}$/m);
      const loaded = parsePolicy(text, { file: out, env: () => "postgres://x.invalid/" + "k".repeat(40) });
      assert.equal(Object.keys(loaded.policy.tables).length, 6);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
