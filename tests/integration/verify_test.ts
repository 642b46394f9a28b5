import assert from "node:assert/strict";
import { loadPolicy } from "../../config/load.ts";
import { run } from "../../execute/run.ts";
import type { RunReport } from "../../report/report.ts";
import type { VerifyReport } from "../../verify/findings.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { plantedValues, type PolicyKind, withShopPolicy } from "../fixtures/verify/shop.ts";

/** Seeds the shop, copies it under the policy of `kind`, and runs `privaci verify --json` on the copy. */
async function verifyShop(kind: PolicyKind, extra: string[] = [], more = { sql: "", yaml: "" }) {
  return await withShopPolicy(kind, async (file, dir) => {
    const copied = await run(await loadPolicy(file), { jobs: 1, maskWorkers: 0 });
    assert.ok(copied.ok);
    const r = await privaci(["verify", "-c", file, "--json", "--quiet", ...extra]);
    const report = JSON.parse(r.stdout) as VerifyReport;
    return { ...r, report, dir };
  }, more);
}

/** `table.column check` of every finding at or above medium, sorted. */
function failing(report: VerifyReport): string[] {
  return report.findings.filter((f) => f.risk !== "low").map((f) => `${f.table}.${f.column} ${f.check}`)
    .sort();
}

function assertNoPlantedValue(text: string): void {
  for (const v of plantedValues()) {
    assert.ok(!text.includes(v), `the report holds a source value (${v.length} chars)`);
  }
}

Deno.test("privaci verify exits 0 on a copy masked by a correct policy", async () => {
  const { code, stderr, report, stdout } = await verifyShop("correct");
  assert.equal(code, 0, stderr);
  assert.deepEqual(failing(report), []);
  assert.equal(report.ok, true);
  // Every masked column was replayed, and the fakes' chance equalities are not findings.
  assert.deepEqual(
    report.replay.map((r) => r.column).sort(),
    ["birth_date", "email", "first_name", "last_name", "notes", "phone"],
  );
  assert.ok(report.replay.every((r) => r.expected));
  // text.scrub keeps the notes without personal data as they were: equal, and declared so.
  const notes = report.replay.find((r) => r.column === "notes")!;
  assert.equal(notes.reproduces, "input");
  assert.ok(notes.ownValues! > 30, `notes kept: ${notes.ownValues}`);
  assert.deepEqual(report.integrity.map((i) => [i.table, i.sourceRows, i.targetRows]), [
    ["public.customers", 40, 40],
    ["public.orders", 60, 60],
  ]);
  const orders = report.kAnonymity.find((k) => k.table === "public.orders")!;
  assert.equal(orders.k, 20);
  assert.equal(orders.shareBelow, 0);
  assertNoPlantedValue(stdout);
});

Deno.test("privaci verify exits 1 naming exactly the kept personal column and the scrubbed column that still holds a name", async () => {
  const { code, stderr, report, stdout } = await verifyShop("leaky");
  assert.equal(code, 1, stderr);
  assert.match(stderr, /error VERIFY_FAILED: Verification found 4 finding\(s\) at or above 'medium' risk/);
  assert.deepEqual(failing(report), [
    "public.customers.email containment",
    "public.customers.email residual",
    "public.customers.notes containment",
    "public.customers.notes residual",
  ]);
  const email = report.residual.find((r) => r.column === "email")!;
  assert.equal(email.risk, "high");
  assert.equal(email.counts.email, 40);
  const notes = report.residual.find((r) => r.column === "notes")!;
  assert.deepEqual(notes.counts, { person: 1 });
  assert.equal(notes.contexts.person, "Spoke with [PERSON] about the refund");
  const from = report.containment.find((c) => c.column === "notes")!.from;
  assert.deepEqual(from, ["public.customers.first_name", "public.customers.last_name"]);
  // Findings point at the policy lines of the two rules.
  const lines = report.findings.filter((f) => f.risk !== "low").map((f) => f.policy?.line);
  assert.deepEqual([...new Set(lines)].sort(), [12, 17]);
  assertNoPlantedValue(stdout);
});

Deno.test("privaci verify reports k = 1 for quasi-identifiers with a unique combination (residual scan on a sample)", async () => {
  const { code, report } = await verifyShop("quasi", ["--sample", "10"]);
  assert.equal(report.sample, 10);
  for (const r of report.residual) {
    assert.ok(r.scanned <= 10 && r.rows > 10, `${r.column}: ${r.scanned} of ${r.rows}`);
  }
  assert.equal(code, 1);
  const k = report.kAnonymity.find((x) => x.table === "public.customers")!;
  assert.equal(k.k, 1);
  assert.deepEqual(k.quasiIdentifiers, ["postcode", "birth_date", "gender"]);
  assert.ok(k.shareBelow > 0 && k.shareBelow <= 1);
  assert.equal(k.withoutColumn.length, 3);
  assert.deepEqual(failing(report), ["public.customers.postcode, birth_date, gender k-anonymity"]);
  assert.equal(report.findings.find((f) => f.check === "k-anonymity")!.risk, "high");
});

Deno.test("privaci verify finds personal data inside kept JSON documents and array elements", async () => {
  const sql = `
    create table events (id int primary key, payload jsonb, tags text[]);
    insert into events select i, jsonb_build_object('kind', 'visit', 'n', i), array['web', 'promo'] from generate_series(1, 30) i;
    update events set payload = '{"kind": "contact", "by": {"mail": "ana.lima@mail.test"}}' where id = 7;
    update events set tags = array['callback', 'call +44 20 7946 0958 please'] where id = 9;`;
  const yaml = `  public.events:
    columns:
      id: keep
      payload: keep
      tags: keep
`;
  const { report } = await verifyShop("correct", [], { sql, yaml });
  const payload = report.residual.find((r) => r.column === "payload")!;
  assert.deepEqual([payload.counts, payload.rowsWithFindings, payload.scanned], [{ email: 1 }, 1, 30]);
  assert.equal(payload.contexts.email, "[EMAIL] contact");
  const tags = report.residual.find((r) => r.column === "tags")!;
  assert.deepEqual([tags.counts, tags.rowsWithFindings], [{ phone: 1 }, 1]);
  assert.equal(tags.contexts.phone, "callback call [PHONE] please");
  assert.deepEqual(failing(report), ["public.events.payload residual", "public.events.tags residual"]);
});

Deno.test("privaci run --verify --json prints one document, the run report with the verification inside, also in --report", async () => {
  await withShopPolicy("leaky", async (file, dir) => {
    const saved = `${dir}/report.json`;
    const r = await privaci(["run", "-c", file, "--verify", "--json", "--report", saved, "--quiet"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error VERIFY_FAILED: /);
    // Two documents one after the other would not parse as one.
    const doc = JSON.parse(r.stdout) as RunReport & { verify: VerifyReport };
    assert.deepEqual([doc.status, doc.ok, doc.tables.map((t) => t.table)], [
      "done",
      true,
      ["public.customers", "public.orders"],
    ]);
    assert.equal(doc.verify.ok, false);
    assert.deepEqual(failing(doc.verify), [
      "public.customers.email containment",
      "public.customers.email residual",
      "public.customers.notes containment",
      "public.customers.notes residual",
    ]);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(saved)), doc);
    assertNoPlantedValue(r.stdout);
  });
});

Deno.test("privaci verify judges a column with when: alternatives by all of them: a keep alternative's rows are kept data, not a fake's failure", async () => {
  // Staff keep their real e-mail (the policy says so); the others get a fake one.
  const sql = `
    create table staff (id int primary key, is_staff boolean not null, email text not null);
    insert into staff select i, i <= 5, 'person' || i || '@corp.test' from generate_series(1, 30) i;`;
  const yaml = `  public.staff:
    columns:
      id: keep
      is_staff: keep
      email:
        - { when: { column: is_staff, eq: true }, strategy: keep }
        - fake.email
`;
  const { report } = await verifyShop("correct", [], { sql, yaml });
  const replay = report.replay.find((r) => r.table === "public.staff" && r.column === "email")!;
  assert.equal(replay.strategy, "when: keep | fake.email");
  assert.equal(replay.reproduces, "input");
  assert.equal(replay.ownValues, 5);
  // Not a broken fake ("should never write a source value"), but the five kept addresses, found as such.
  const residual = report.residual.find((r) => r.table === "public.staff" && r.column === "email")!;
  assert.deepEqual([residual.counts, residual.rowsWithFindings], [{ email: 5 }, 5]);
  assert.deepEqual(failing(report).filter((f) => f.startsWith("public.staff.")), [
    "public.staff.email residual",
  ]);
});
