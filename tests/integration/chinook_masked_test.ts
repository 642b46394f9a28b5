import assert from "node:assert/strict";
import { connect, exec, psqlFile, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { chinookScripts } from "../_chinook.ts";

const KEY = "base64:" + btoa("chinook test key: 32 bytes or more, never real");

/** Masked columns of examples/chinook.yaml (ids included: they are renumbered on both ends of each key). */
const MASKED: Record<string, string[]> = {
  customer: [
    "customer_id",
    "first_name",
    "last_name",
    "company",
    "address",
    "city",
    "state",
    "postal_code",
    "phone",
    "fax",
    "email",
    "support_rep_id",
  ],
  employee: [
    "employee_id",
    "last_name",
    "first_name",
    "reports_to",
    "birth_date",
    "address",
    "city",
    "state",
    "postal_code",
    "phone",
    "fax",
    "email",
  ],
  invoice: ["customer_id", "billing_address", "billing_city", "billing_state", "billing_postal_code"],
};

/** Columns whose values must not appear anywhere in the target (names as "first last"). */
const DISJOINT: Record<string, string[]> = {
  customer: ["email", "phone", "fax", "address", "first_name || ' ' || last_name"],
  employee: ["email", "phone", "fax", "address", "first_name || ' ' || last_name"],
  invoice: ["billing_address"],
};

/** Each invoice's customer row, by invoice id (kept), so source and target rows can be paired. */
async function customersByInvoice(url: string): Promise<Map<number, Record<string, string | null>>> {
  const sql = connect(url);
  try {
    const rows = await sql.unsafe<Record<string, string | null>[]>(
      `select i.invoice_id::text as invoice, ${MASKED.customer.map((c) => `c.${c}::text as ${c}`).join(", ")}
         from invoice i join customer c using (customer_id)`,
    );
    return new Map(rows.map((r) => [Number(r.invoice), r]));
  } finally {
    await sql.end();
  }
}

/** Every non-null value of the listed columns (or expressions), as text. */
async function values(url: string, table: string, columns: string[]): Promise<Set<string>> {
  const sql = connect(url);
  try {
    const out = new Set<string>();
    for (const c of columns) {
      const rows = await sql.unsafe<{ v: string }[]>(
        `select (${c})::text as v from ${table} where (${c}) is not null`,
      );
      for (const r of rows) out.add(r.v);
    }
    return out;
  } finally {
    await sql.end();
  }
}

Deno.test("examples/chinook.yaml masks every personal column, keeps joins, and leaves every constraint valid", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_chinook_masked_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      const scripts = await chinookScripts(dir);
      await psqlFile(sourceUrl, scripts.full);
      await psqlFile(targetUrl, scripts.ddl);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
      const check = await privaci(["check", "-c", "examples/chinook.yaml"], env);
      assert.equal(check.code, 0, check.stderr);
      const run = await privaci(["run", "-c", "examples/chinook.yaml", "--quiet"], env);
      assert.equal(run.code, 0, run.stderr);

      // Contact data and whole names: no source value appears anywhere in the target's masked columns.
      for (const [table, cols] of Object.entries(DISJOINT)) {
        const src = await values(sourceUrl, table, cols);
        const dst = await values(targetUrl, table, cols);
        assert.ok(src.size >= 8, `only ${src.size} source values of ${table}`);
        assert.deepEqual([...dst].filter((v) => src.has(v)), [], `${table}: source values in masked columns`);
      }
      // Row by row (customers matched through their kept invoice ids): no masked column keeps its value.
      const before = await customersByInvoice(sourceUrl);
      const after = await customersByInvoice(targetUrl);
      assert.equal(after.size, before.size);
      let compared = 0;
      for (const [invoice, row] of before) {
        const masked = after.get(invoice)!;
        for (const col of MASKED.customer) {
          if (row[col] === null) {
            assert.equal(masked[col], null, `customer.${col}: NULL stays NULL`);
            continue;
          }
          assert.notEqual(masked[col], row[col], `customer.${col} kept its value (invoice ${invoice})`);
          compared++;
        }
      }
      assert.ok(compared > 4000, `compared only ${compared} values`);

      const sql = connect(targetUrl);
      try {
        // Every foreign key of the target is valid, and the joins give the same shape as the source's.
        const fks = await sql<{ name: string; valid: boolean }[]>`
          select conname as name, convalidated as valid from pg_constraint
           where contype = 'f' and connamespace = 'public'::regnamespace`;
        assert.equal(fks.length, 11);
        assert.ok(fks.every((f) => f.valid));
        const [{ orphans }] = await sql<{ orphans: number }[]>`
          select count(*)::int as orphans from invoice i left join customer c using (customer_id)
           where c.customer_id is null`;
        assert.equal(orphans, 0);
        const perCustomer = await sql<{ n: number }[]>`
          select count(*)::int as n from invoice group by customer_id order by 1`;
        const src = connect(sourceUrl);
        const sourcePerCustomer = await src<{ n: number }[]>`
          select count(*)::int as n from invoice group by customer_id order by 1`;
        const sourceChain = await src<{ n: number }[]>`
          select count(*)::int as n from employee e join employee m on m.employee_id = e.reports_to`;
        await src.end();
        assert.deepEqual(perCustomer, sourcePerCustomer);
        const chain = await sql<{ n: number }[]>`
          select count(*)::int as n from employee e join employee m on m.employee_id = e.reports_to`;
        assert.deepEqual(chain, sourceChain);
        // E-mails stay unique (unique: true) and valid.
        const [{ distinct, total }] = await sql<{ distinct: number; total: number }[]>`
          select count(distinct email)::int as distinct, count(*)::int as total from customer`;
        assert.equal(distinct, total);
        const emails = await sql<{ email: string }[]>`select email from customer`;
        for (const { email } of emails) assert.match(email, /^[^@\s]+@[^@\s]+\.[a-z]+$/);
      } finally {
        await sql.end();
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check refuses a foreign key whose two ends are masked differently", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_chinook_fk_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      const scripts = await chinookScripts(dir);
      await psqlFile(sourceUrl, scripts.full);
      await exec(targetUrl, "select 1");
      const policy = (await Deno.readTextFile("examples/chinook.yaml"))
        .replace("      customer_id: *customer_id\n", "      customer_id: keep\n");
      const file = `${dir}/policy.yaml`;
      await Deno.writeTextFile(file, policy);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
      const r = await privaci(["check", "-c", file], env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /policy\.yaml:\d+:\d+: tables\.public\.invoice\.columns\.customer_id: foreign key invoice_customer_id_fkey: public\.invoice\.customer_id is kept but public\.customer\.customer_id is masked with hash \(domain customer_id\)/,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
