/**
 * Containment on a scrubbed column, row by row: tickets whose names text.scrub replaced with fakes drawn
 * from the pools the customers' real names come from (so the fakes equal other customers' names) are no
 * finding, while a scrub that leaves the names, or a kept copy of the tickets, still is. And the residual
 * scan does not take a column of country codes for names, but still scans a column of words.
 */
import assert from "node:assert/strict";
import { allLocales } from "@faker-js/faker";
import { loadPolicy } from "../../config/load.ts";
import { run } from "../../execute/run.ts";
import type { VerifyReport } from "../../verify/findings.ts";
import { verify } from "../../verify/verify.ts";
import { createDb, dbUrl, dropDb, exec } from "../_pg.ts";

const CUSTOMERS = 600;

/** Customers named from faker's English pools, every last name among them, and a ticket from each. */
function seedSql(): string {
  const person = (allLocales.en as unknown as {
    person: { first_name: { generic: string[] }; last_name: { generic: string[] } };
  }).person;
  const firsts = person.first_name.generic;
  const lasts = person.last_name.generic;
  assert.ok(lasts.length < CUSTOMERS);
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const rows: string[] = [];
  const tickets: string[] = [];
  const codes = ["US", "DE", "FR", "ES", "IT"];
  for (let i = 1; i <= CUSTOMERS; i++) {
    const first = firsts[(i * 7) % firsts.length];
    const last = lasts[i % lasts.length];
    rows.push(`(${i}, ${q(first)}, ${q(last)}, ${q(codes[i % codes.length])})`);
    tickets.push(`(${i}, ${i}, ${q(`Hi, this is ${first} ${last}. My parcel has not arrived yet.`)})`);
  }
  return `create table customers (id int primary key, first_name text not null, last_name text not null,
                                   country text not null);
create table tickets (id int primary key, customer_id int not null references customers(id), body text not null);
insert into customers values ${rows.join(",\n")};
insert into tickets values ${tickets.join(",\n")};`;
}

function policy(urls: { source: string; target: string }, body: string, country = "keep"): string {
  return `version: 1
source: ${urls.source}
target: ${urls.target}
key: hex:${"5a".repeat(32)}
schema: copy
tables:
  public.customers:
    columns:
      id: keep
      first_name: fake.first_name
      last_name: fake.last_name
      country: ${country}
  public.tickets:
    columns:
      id: keep
      customer_id: keep
      body: ${body}
`;
}

/** Copies the source under each body rule into a target of its own and verifies each copy. */
async function verifyEach(
  rules: readonly { body: string; country?: string }[],
  sql = "",
): Promise<VerifyReport[]> {
  const source = await createDb("cont_src");
  const targets: string[] = [];
  const dir = await Deno.makeTempDir({ prefix: "privaci_containment_" });
  try {
    await exec(dbUrl(source), seedSql() + sql);
    const out: VerifyReport[] = [];
    for (const [i, rule] of rules.entries()) {
      targets.push(await createDb("cont_dst"));
      const file = `${dir}/privaci_${i}.yaml`;
      const urls = { source: dbUrl(source), target: dbUrl(targets[i]) };
      await Deno.writeTextFile(file, policy(urls, rule.body, rule.country));
      const loaded = await loadPolicy(file);
      assert.ok((await run(loaded, { jobs: 1, maskWorkers: 0 })).ok);
      out.push(await verify(loaded, { workers: 0 }));
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
    for (const t of targets) await dropDb(t);
    await dropDb(source);
  }
}

/** `table.column check` of every finding at or above medium, sorted. */
function failing(report: VerifyReport): string[] {
  return report.findings.filter((f) => f.risk !== "low").map((f) => `${f.table}.${f.column} ${f.check}`)
    .sort();
}

const SCRUB_FAKES =
  "{ strategy: text.scrub, entities: [person], replace: fake, person_style: first_last, workers: 0 }";

Deno.test("verify counts a scrubbed column's tokens row by row: fakes equal to other rows' names are no finding, names left in their row are", async () => {
  const [fakes, missed, kept] = await verifyEach([
    { body: SCRUB_FAKES },
    // A scrub looking for no names leaves every ticket's name in its row.
    { body: "{ strategy: text.scrub, entities: [email], workers: 0 }" },
    { body: "keep" },
  ]);
  const body = (r: VerifyReport) => r.containment.find((c) => c.table === "public.tickets")!;

  // Every fake last name is some customer's real one (every pool name is a customer's): counted apart,
  // as other rows' tokens, and no finding at or above medium.
  assert.equal(body(fakes).linked, true);
  assert.ok(body(fakes).otherRows >= CUSTOMERS * 0.9, `other rows' tokens: ${body(fakes).otherRows}`);
  // A few do, where a fake maps a name to itself: as few as chance explains, reported low.
  const { occurrences, otherRows } = body(fakes);
  assert.ok(occurrences <= 0.05 * (occurrences + otherRows), `own rows' tokens: ${occurrences}`);
  assert.deepEqual(failing(fakes), []);
  assert.equal(fakes.ok, true);

  // Missed names stay where they were: every ticket holds its customer's first and last name.
  assert.equal(body(missed).linked, true);
  assert.ok(body(missed).occurrences >= CUSTOMERS * 2 - 10, `own rows' tokens: ${body(missed).occurrences}`);
  assert.deepEqual(body(missed).from, ["public.customers.first_name", "public.customers.last_name"]);
  const finding = missed.findings.find((f) => f.check === "containment")!;
  assert.deepEqual([finding.table, finding.column, finding.risk], ["public.tickets", "body", "high"]);
  assert.equal(missed.ok, false);

  // A kept column is checked globally, as before.
  assert.equal(body(kept).linked, false);
  assert.ok(body(kept).occurrences >= CUSTOMERS * 2 - 10);
  assert.ok(failing(kept).includes("public.tickets.body containment"));
});

Deno.test("verify's residual scan takes a column of country codes for codes, and still finds a name among them", async () => {
  const [codes] = await verifyEach([{ body: SCRUB_FAKES }]);
  const [mixed] = await verifyEach(
    [{ body: SCRUB_FAKES }],
    "update customers set country = 'Ana Lima' where id = 7;",
  );
  const country = (r: VerifyReport) => r.residual.find((c) => c.column === "country")!;
  assert.deepEqual([country(codes).codes, country(codes).rowsWithFindings], [true, 0]);
  assert.ok(codes.notes.some((n) => n.startsWith("public.customers.country holds codes only")));
  assert.deepEqual(failing(codes), []);
  // One value of words makes it a column of words: the name is found, and only the name (a code is no
  // name without a cue), so one row of a kept column is a low risk.
  assert.equal(country(mixed).codes, false);
  assert.deepEqual([country(mixed).counts.person, country(mixed).rowsWithFindings], [1, 1]);
  assert.equal(country(mixed).risk, "low");
  assert.ok(mixed.findings.some((f) => f.column === "country" && f.check === "residual" && f.risk === "low"));
});
