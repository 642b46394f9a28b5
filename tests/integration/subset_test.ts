/**
 * Subsets on real databases: the copy holds exactly the rows a hand-written query says it must, every
 * foreign key of the target is valid, the self-reference and the two-table cycle close, the virtual key
 * is followed, and a run interrupted and resumed ends identical to one that was not.
 */
import assert from "node:assert/strict";
import { dryRun, type ProgressEvent, run } from "../../execute/run.ts";
import { preview } from "../../preview/preview.ts";
import { verify } from "../../verify/verify.ts";
import { RunSession } from "../../execute/session.ts";
import { connect, createDb, dbUrl, dropDb, exec } from "../_pg.ts";
import { policyFor } from "../fixtures/core/policy.ts";
import { withDeadline } from "../_deadline.ts";
import { ORPHANS_SQL, REFERENCE_SQL, SEED_SQL, SUBSET_YAML, TABLES } from "../fixtures/subset/graph_db.ts";

const DEADLINE_MS = 120_000;
const KEY = "base64:" + btoa("k".repeat(32));

function subsetPolicy(sourceUrl: string, targetUrl: string) {
  return policyFor(
    sourceUrl,
    targetUrl,
    [
      `key: "${KEY}"`,
      "schema: copy",
      "tables:",
      "  public.customers:",
      "    columns:",
      "      name: redact",
      SUBSET_YAML,
    ]
      .join("\n"),
  );
}

async function rowsOf(url: string, query: string): Promise<Record<string, string>[]> {
  const sql = connect(url);
  try {
    return await sql.unsafe(query);
  } finally {
    await sql.end();
  }
}

async function counts(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await rowsOf(url, `select count(*)::int as n from ${t}`))[0].n);
  return out;
}

/** Every table's rows in a fixed order, as text, to compare two copies. */
async function dump(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const rows = await rowsOf(url, `select string_agg(x::text, E'\\n' order by x::text) as v from ${t} x`);
    out[t] = rows[0].v ?? "";
  }
  return out;
}

async function withSubsetDbs(fn: (urls: { sourceUrl: string; targets: string[] }) => Promise<void>) {
  const names = [await createDb("subset_src"), await createDb("subset_a"), await createDb("subset_b")];
  try {
    const [sourceUrl, ...targets] = names.map(dbUrl);
    await exec(sourceUrl, SEED_SQL);
    await fn({ sourceUrl, targets });
  } finally {
    for (const n of names) await dropDb(n);
  }
}

Deno.test("run() with a subset copies the hand-computed rows and leaves no foreign key dangling", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [targetUrl] }) => {
    const events: ProgressEvent[] = [];
    const report = await withDeadline(
      run(subsetPolicy(sourceUrl, targetUrl), { jobs: 2, onProgress: (e) => events.push(e) }),
      DEADLINE_MS,
      "the run",
    );
    assert.equal(report.ok, true);
    const expected = Object.fromEntries(
      (await rowsOf(sourceUrl, REFERENCE_SQL)).map((r) => [r.t, Number(r.n)]),
    );
    const got = await counts(targetUrl);
    assert.deepEqual(got, expected);
    // The closure is computed once, before the first table is read, and each filtered table's kept rows
    // are reported as they are known.
    assert.equal(events.filter((e) => e.type === "subset-start").length, 1);
    const kept = events.flatMap((e) => e.type === "subset-kept" ? [[e.table, e.rows] as const] : []);
    assert.ok(
      events.findIndex((e) => e.type === "subset-kept") < events.findIndex((e) => e.type === "table-start"),
    );
    assert.deepEqual(
      kept.toSorted(),
      Object.entries(expected).filter(([t]) => t !== "public.settings").toSorted(),
    );
    // The subset is a real one: no table that references the roots is copied whole.
    const all = await counts(sourceUrl);
    for (const t of ["public.customers", "public.orders", "public.tickets", "public.audit_log"]) {
      assert.ok(got[t] > 0 && got[t] < all[t], `${t}: ${got[t]} of ${all[t]}`);
    }
    assert.equal(got["public.settings"], all["public.settings"]);

    const constraints = await rowsOf(targetUrl, ORPHANS_SQL);
    const orphans: Record<string, number> = {};
    for (const c of constraints) orphans[c.name] = Number((await rowsOf(targetUrl, c.query))[0].count);
    // The self-references (referred_by, manager_id) and the employees ⇄ departments cycle are among them.
    assert.deepEqual(Object.keys(orphans).sort(), [
      "customers_account_manager_fkey",
      "customers_country_code_fkey",
      "customers_referred_by_fkey",
      "departments_head_fk",
      "employees_dept_id_fkey",
      "employees_manager_id_fkey",
      "order_items_order_id_fkey",
      "order_items_product_id_fkey",
      "orders_customer_id_fkey",
      "product_tags_product_id_fkey",
    ]);
    assert.deepEqual(Object.values(orphans), Object.keys(orphans).map(() => 0));
    // The virtual keys, which the target does not enforce, hold too.
    for (const t of ["tickets", "audit_log"]) {
      const [{ n }] = await rowsOf(
        targetUrl,
        `select count(*)::int as n from ${t} x where x.customer_ref is not null and not exists (select 1 from customers c where c.id = x.customer_ref)`,
      );
      assert.equal(Number(n), 0, `${t} references customers that are not copied`);
    }
    // verify counts the source under the subset, as the run copied it.
    const audit = await withDeadline(
      verify(subsetPolicy(sourceUrl, targetUrl), { workers: 0 }),
      DEADLINE_MS,
      "verify",
    );
    assert.deepEqual(
      audit.integrity.map((r) => [r.table, r.sourceRows]).sort(),
      Object.entries(expected).sort(),
    );
    assert.deepEqual(audit.findings.filter((f) => f.check === "row-count" || f.check === "foreign-key"), []);
    // Masking composes: the kept customers' names are redacted.
    const [{ n: clear }] = await rowsOf(
      targetUrl,
      `select count(*)::int as n from customers where name like 'Customer %'`,
    );
    assert.equal(Number(clear), 0);
  });
});

Deno.test("run() with a subset, interrupted and resumed, ends identical to an uninterrupted run", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [straightUrl, resumedUrl] }) => {
    await withDeadline(
      run(subsetPolicy(sourceUrl, straightUrl), { jobs: 2, chunkRows: 100 }),
      DEADLINE_MS,
      "the uninterrupted run",
    );
    const controller = new AbortController();
    let done = 0;
    await assert.rejects(
      withDeadline(
        run(subsetPolicy(sourceUrl, resumedUrl), {
          jobs: 1,
          chunkRows: 100,
          signal: controller.signal,
          onProgress: (e) => {
            if (e.type === "table-done" && ++done === 4) controller.abort(new Error("test stop"));
          },
        }),
        DEADLINE_MS,
        "the interrupted run",
      ),
      (e: unknown) => (e as { code?: string }).code === "INTERRUPTED",
    );
    const partial = await counts(resumedUrl).catch(() => null);
    assert.ok(partial !== null, "the interrupted run created the schema");
    const resumed = await withDeadline(
      run(subsetPolicy(sourceUrl, resumedUrl), { jobs: 2, chunkRows: 100, resume: true }),
      DEADLINE_MS,
      "the resumed run",
    );
    assert.ok((resumed.resumed?.skipped.length ?? 0) >= 4, JSON.stringify(resumed.resumed));
    assert.deepEqual(await dump(resumedUrl), await dump(straightUrl));
  });
});

Deno.test("run() with a subset loads a filtered table by key ranges: a failure inside it resumes from its chunk", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [straightUrl, resumedUrl] }) => {
    // The targets' tables exist and are empty; in one, a trigger fails the kept order 309 (customer 110,
    // a root), in the fourth of orders' six chunks of 100 keys.
    const empty = `truncate ${TABLES.join(", ")};`;
    await exec(straightUrl, SEED_SQL + empty);
    await exec(
      resumedUrl,
      SEED_SQL + empty + `create function stop_order() returns trigger language plpgsql as $$
        begin if new.id = 309 then raise exception 'order 309 refused'; end if; return new; end $$;
        create trigger stop_order before insert on orders for each row execute function stop_order();`,
    );
    const policy = (url: string) =>
      policyFor(
        sourceUrl,
        url,
        [`key: "${KEY}"`, "tables:", "  public.customers:", "    columns:", "      name: redact", SUBSET_YAML]
          .join("\n"),
      );
    await withDeadline(
      run(policy(straightUrl), { jobs: 2, chunkRows: 100 }),
      DEADLINE_MS,
      "the straight run",
    );
    const [{ n: kept }] = await rowsOf(straightUrl, "select count(*)::int as n from orders");
    await assert.rejects(
      withDeadline(
        run(policy(resumedUrl), { jobs: 1, chunkRows: 100, retries: 0 }),
        DEADLINE_MS,
        "the failing run",
      ),
    );
    // The chunks before the refused one are loaded and checkpointed: orders is part loaded.
    const [{ n: partial }] = await rowsOf(resumedUrl, "select count(*)::int as n from orders");
    assert.ok(Number(partial) > 0 && Number(partial) < Number(kept), `${partial} of ${kept} orders`);
    const [{ n: units }] = await rowsOf(
      resumedUrl,
      "select count(*)::int as n from privaci.chunks where table_name = 'public.orders'",
    );
    assert.equal(Number(units), 6);
    await exec(resumedUrl, "drop trigger stop_order on orders;");
    await withDeadline(
      run(policy(resumedUrl), { jobs: 2, chunkRows: 100, resume: true }),
      DEADLINE_MS,
      "the resumed run",
    );
    assert.deepEqual(await dump(resumedUrl), await dump(straightUrl));
  });
});

Deno.test("run() with a subset writes NULL for a cut reference whose row is not kept (dangling: null)", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [targetUrl] }) => {
    const yaml = [
      "schema: copy",
      "subset:",
      "  roots:",
      `    public.customers: { where: "id % 10 = 0" }`,
      "  follow: all",
      "  virtual_foreign_keys:",
      "    - { from: public.tickets.customer_ref, to: public.customers.id, dangling: null }",
      "  foreign_keys:",
      "    public.customers.referred_by: { dangling: null }",
      "    public.employees.manager_id: { dangling: null }",
    ].join("\n");
    // Small chunks split tickets (copied whole) into key ranges.
    await withDeadline(
      run(policyFor(sourceUrl, targetUrl, yaml), { jobs: 2, chunkRows: 100 }),
      DEADLINE_MS,
      "the run",
    );
    const one = async (url: string, q: string) => Number((await rowsOf(url, q))[0].n);
    // The cut self-reference pulls in no referrer: only the roots are kept, their referrers become NULL.
    assert.equal(await one(targetUrl, "select count(*)::int as n from customers"), 20);
    assert.ok(
      await one(
        sourceUrl,
        "select count(*)::int as n from customers where id % 10 = 0 and referred_by is not null",
      ) > 0,
    );
    assert.equal(
      await one(targetUrl, "select count(*)::int as n from customers where referred_by is not null"),
      0,
    );
    // tickets hang on customers only through the cut key: copied whole, referencing kept customers or none.
    assert.equal(await one(targetUrl, "select count(*)::int as n from tickets"), 300);
    assert.equal(
      await one(targetUrl, "select count(*)::int as n from tickets where customer_ref is not null"),
      await one(
        sourceUrl,
        "select count(*)::int as n from tickets where customer_ref % 10 = 0 and customer_ref <= 200",
      ),
    );
    for (const c of await rowsOf(targetUrl, ORPHANS_SQL)) {
      assert.equal(Number((await rowsOf(targetUrl, c.query))[0].count), 0, c.name);
    }
    // A cut reference to a kept row stays: every copied employee has the manager the source gives it
    // when that manager is copied too, and NULL otherwise.
    const managers = async (url: string) =>
      new Map((await rowsOf(url, "select id, manager_id from employees")).map((r) => [r.id, r.manager_id]));
    const [copied, source] = [await managers(targetUrl), await managers(sourceUrl)];
    const expected = new Map([...copied.keys()].map((id) => {
      const m = source.get(id)!;
      return [id, m !== null && copied.has(m) ? m : null];
    }));
    assert.deepEqual(copied, expected);
    assert.ok([...copied.values()].some((m) => m !== null), "no copied employee kept its manager");
  });
});

Deno.test("dryRun() and preview() print the subset plan: each table's role, rows and count", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [targetUrl] }) => {
    const n = Object.fromEntries((await rowsOf(sourceUrl, REFERENCE_SQL)).map((r) => [r.t, Number(r.n)]));
    const policy = subsetPolicy(sourceUrl, targetUrl);
    const text = await withDeadline(dryRun(policy), DEADLINE_MS, "the dry run");
    const plan = text.slice(text.indexOf("-- subset (rows counted in the snapshot):\n")).trimEnd().split(
      "\n",
    );
    const reference = "rows referencing kept rows of";
    assert.deepEqual(plan, [
      "-- subset (rows counted in the snapshot):",
      `--   public.audit_log     connected  rows whose every reference to public.customers is kept  (${
        n["public.audit_log"]
      } rows)`,
      `--   public.countries     parent     rows referenced by kept rows of public.customers  (${
        n["public.countries"]
      } rows)`,
      `--   public.customers     root       where id % 10 = 0  (${n["public.customers"]} rows)`,
      `--   public.departments   parent     rows referenced by kept rows of public.employees  (${
        n["public.departments"]
      } rows)`,
      `--   public.employees     parent     rows referenced by kept rows of public.customers, public.departments  (${
        n["public.employees"]
      } rows)`,
      `--   public.order_items   child      ${reference} public.orders, and their parents  (${
        n["public.order_items"]
      } rows)`,
      `--   public.orders        child      ${reference} public.customers, and their parents  (${
        n["public.orders"]
      } rows)`,
      `--   public.product_tags  connected  rows whose every reference to public.products is kept  (${
        n["public.product_tags"]
      } rows)`,
      `--   public.products      parent     rows referenced by kept rows of public.order_items  (${
        n["public.products"]
      } rows)`,
      "--   public.settings      whole      every row",
      `--   public.tickets       child      ${reference} public.customers, and their parents  (${
        n["public.tickets"]
      } rows)`,
    ]);
    const shown = await withDeadline(
      preview(policy, { table: "public.customers", rows: 3 }),
      DEADLINE_MS,
      "preview",
    );
    assert.deepEqual(shown.map((t) => t.subset), [{
      role: "root",
      rule: "where id % 10 = 0",
      rows: n["public.customers"],
    }]);
    assert.equal(shown[0].rows, 3);
  });
});

Deno.test("a percent root is a keyed sample: the same key keeps the same rows, another key others", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [targetUrl] }) => {
    const sample = async (key: string) => {
      const yaml = `key: "${key}"\nsubset:\n  roots:\n    public.customers: { percent: 25 }`;
      await using session = await RunSession.open(policyFor(sourceUrl, targetUrl, yaml), { snapshot: true });
      const prepared = await session.prepare();
      const where = prepared.plan.tables.find((t) => t.name === "public.customers")!.where!;
      const [{ ids }] = await session.snapshot.sql.unsafe(
        `select array_agg(id order by id)::text as ids from only public.customers where ${where}`,
      );
      return ids as string;
    };
    const first = await sample(KEY);
    const ids = first.slice(1, -1).split(",").map(Number);
    // Parents come in through referred_by; the roots alone are about a quarter of 200.
    assert.ok(ids.length > 25 && ids.length < 110, `${ids.length} customers`);
    assert.equal(await sample(KEY), first);
    assert.notEqual(await sample("base64:" + btoa("z".repeat(32))), first);
  });
});

Deno.test("run() with a subset scrubs the kept rows' free text (text.scrub) and copies only those", async () => {
  await withSubsetDbs(async ({ sourceUrl, targets: [targetUrl] }) => {
    await exec(sourceUrl, `update tickets set body = 'Please write to client' || id || '@example.com today'`);
    const yaml = [
      `key: "${KEY}"`,
      "schema: copy",
      "tables:",
      "  public.tickets:",
      "    columns:",
      "      body: { strategy: text.scrub, entities: [email], replace: fake }",
      SUBSET_YAML,
    ].join("\n");
    await withDeadline(run(policyFor(sourceUrl, targetUrl, yaml), { jobs: 2 }), DEADLINE_MS, "the run");
    const expected = (await rowsOf(sourceUrl, REFERENCE_SQL)).find((r) => r.t === "public.tickets")!;
    const bodies = (await rowsOf(targetUrl, "select body from tickets")).map((r) => r.body);
    assert.equal(bodies.length, Number(expected.n));
    for (const body of bodies) {
      assert.match(body, /^Please write to \S+@\S+ today$/);
      assert.doesNotMatch(body, /client\d+@example\.com/);
    }
  });
});
