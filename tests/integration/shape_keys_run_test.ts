/**
 * A text key masked with `hash`, `format: shape`, `unique: true` through a real run: a `varchar(5)`
 * customer code (`ALFKI`) referenced by two tables, the case of a well-known sample database, and a
 * third table down the chain (`customer_demo_notes` → `customer_demo` → `customers`) whose composite
 * key holds the code. The schema is copied, so the target's foreign keys are built and validated over
 * the masked rows, and `--verify` replays every end and finds no masked code equal to a source code.
 */
import assert from "node:assert/strict";
import { connect, exec, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";

const KEY = "base64:" + btoa("shape keys run test key: 32 bytes or more");

const SCHEMA = `
create table customers (customer_id varchar(5) primary key, company_name text not null);
create table orders (order_id int primary key, customer_id varchar(5) not null references customers);
create table customer_demo (
  customer_id varchar(5) references customers, demo_type text not null, primary key (customer_id, demo_type)
);
insert into customers
  select upper(substr(md5(g::text), 1, 3)) || chr(65 + g % 26) || chr(65 + (g / 26) % 26), 'Company ' || g
    from generate_series(1, 600) g on conflict do nothing;
insert into orders select g, (select customer_id from customers order by customer_id offset g % 500 limit 1)
  from generate_series(1, 3000) g;
insert into customer_demo select customer_id, 'segment ' || (n % 3) from
  (select customer_id, row_number() over (order by customer_id) n from customers) c where n % 4 = 0;
create table customer_demo_notes (
  note_id int primary key, customer_id varchar(5) not null, demo_type text not null,
  foreign key (customer_id, demo_type) references customer_demo
);
insert into customer_demo_notes select row_number() over (), customer_id, demo_type
  from customer_demo, generate_series(1, 2);
`;

const POLICY = `version: 1
source: \${PRIVACI_SOURCE_URL}
target: \${PRIVACI_TARGET_URL}
key: \${PRIVACI_KEY}
schema: copy
unlisted: keep
tables:
  public.customers:
    columns:
      customer_id: &code { strategy: hash, format: shape, unique: true, domain: customer_code }
      company_name: fake.company
  public.orders:
    columns:
      customer_id: *code
  public.customer_demo:
    columns:
      customer_id: *code
  public.customer_demo_notes:
    columns:
      customer_id: *code
`;

async function rows(url: string, query: string): Promise<string[]> {
  const sql = connect(url);
  try {
    return (await sql.unsafe<{ v: string }[]>(query)).map((r) => String(r.v));
  } finally {
    await sql.end();
  }
}

Deno.test("privaci run masks a varchar(5) key, both its foreign keys and a third table down the chain with hash format shape", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_shape_run_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await exec(sourceUrl, SCHEMA);
      const file = `${dir}/policy.yaml`;
      await Deno.writeTextFile(file, POLICY);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
      const r = await privaci(["run", "-c", file, "--quiet", "--verify"], env);
      assert.equal(r.code, 0, r.stderr);
      for (const table of ["customers", "orders", "customer_demo", "customer_demo_notes"]) {
        assert.match(
          r.stdout,
          new RegExp(`public\\.${table}\\.customer_id \\(hash\\): 0 / 0 of \\d+`),
          table,
        );
      }

      for (const table of ["customers", "orders", "customer_demo", "customer_demo_notes"]) {
        const [source] = await rows(sourceUrl, `select count(*) as v from ${table}`);
        const [target] = await rows(targetUrl, `select count(*) as v from ${table}`);
        assert.equal(target, source, `${table}: counts equal`);
        assert.ok(Number(source) > 100, `${table} has rows`);
      }
      const orphans = await rows(
        targetUrl,
        `select (select count(*) from orders o left join customers c using (customer_id) where c.customer_id is null)
              + (select count(*) from customer_demo d left join customers c using (customer_id)
                  where c.customer_id is null)
              + (select count(*) from customer_demo_notes n left join customer_demo d using (customer_id, demo_type)
                  where d.customer_id is null) as v`,
      );
      assert.deepEqual(orphans, ["0"], "no orphan");
      const validated = await rows(
        targetUrl,
        "select count(*) as v from pg_constraint where contype = 'f' and convalidated and connamespace = 'public'::regnamespace",
      );
      assert.deepEqual(validated, ["3"], "the three foreign keys built and validated");

      const before = await rows(sourceUrl, "select customer_id as v from customers");
      const after = await rows(targetUrl, "select customer_id as v from customers");
      assert.equal(new Set(after).size, before.length, "distinct codes stay distinct");
      assert.ok(after.every((c) => /^[A-Z0-9]{5}$/.test(c)), "five characters of the same classes");
      const sourceShapes = before.map((c) => c.replace(/[A-Z]/g, "A").replace(/\d/g, "9")).sort();
      const targetShapes = after.map((c) => c.replace(/[A-Z]/g, "A").replace(/\d/g, "9")).sort();
      assert.deepEqual(targetShapes, sourceShapes, "every code keeps its shape");
      const kept = after.filter((c) => before.includes(c));
      assert.deepEqual(kept, [], "no code kept");
      // The orders of one source customer all carry one masked code, and no two customers share one.
      const byOrder = (url: string) =>
        rows(url, "select order_id || ' ' || customer_id as v from orders order by order_id");
      const [src, dst] = [await byOrder(sourceUrl), await byOrder(targetUrl)];
      const mapping = new Map<string, string>();
      src.forEach((line, i) => {
        const [id, code] = line.split(" "), [id2, masked] = dst[i].split(" ");
        assert.equal(id2, id);
        assert.equal(mapping.get(code) ?? masked, masked, `orders of ${code} agree`);
        mapping.set(code, masked);
      });
      assert.equal(new Set(mapping.values()).size, mapping.size);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
