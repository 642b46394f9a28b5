import assert from "node:assert/strict";
import { run } from "../../execute/run.ts";
import { copyOut, exec, withDbs } from "../_pg.ts";
import { policyFor, text } from "../fixtures/core/policy.ts";

const DDL = `create table customer (id int primary key, full_name text not null, email text not null);
create table ticket (id int primary key, customer_id int references customer, body text);`;

const SEED = `insert into customer values
  (1, 'Giulia Bianchi', 'giulia.bianchi@example.com'),
  (2, 'Nguyễn Văn An', 'an.nguyen@example.com');
insert into ticket values
  (10, 1, E'Hi, my name is giulia BIANCHI. Card 4111 1111 1111 1111, reply to giulia.bianchi@example.com.\\nThanks!'),
  (11, 2, 'Login attempts from 10.1.2.3 for the account of Nguyễn Văn An were blocked.'),
  (12, 1, 'The printer on floor 3 is broken again, see KB-2231.'),
  (13, 2, null);`;

const KEY = "base64:" + btoa("text-scrub-integration-key-0123456789abcdef");

Deno.test("text.scrub in a run: tickets come out scrubbed and consistent with the masked customer names", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, DDL + SEED);
    await exec(targetUrl, DDL);
    const body = `key: "${KEY}"
tables:
  public.customer:
    columns:
      full_name: fake.full_name
      email: fake.email
  public.ticket:
    columns:
      body:
        strategy: text.scrub
        entities: [person, location, organization, email, phone, card, iban, ip]
        replace: fake
        workers: 2`;
    await run(policyFor(sourceUrl, targetUrl, body));
    const customers = text(await copyOut(targetUrl, "select id, full_name from customer order by id"))
      .trim().split("\n").map((l) => l.split("\t"));
    const tickets = text(await copyOut(targetUrl, "select id, body from ticket order by id"))
      .trim().split("\n").map((l) => l.split("\t"));
    const fake1 = customers[0][1];
    const fake2 = customers[1][1];
    assert.notEqual(fake1, "Giulia Bianchi");
    assert.notEqual(fake2, "Nguyễn Văn An");
    const [t10, t11, t12, t13] = tickets.map((t) => t[1]);
    assert.match(
      t10,
      new RegExp(`^Hi, my name is ${escape(fake1)}\\. Card [\\d -]+, reply to \\S+@\\S+\\.\\\\nThanks!$`),
    );
    assert.ok(!t10.includes("4111 1111 1111 1111") && !t10.toLowerCase().includes("giulia"), t10);
    assert.match(
      t11,
      new RegExp(`^Login attempts from \\S+ for the account of ${escape(fake2)} were blocked\\.$`),
    );
    assert.ok(!t11.includes("10.1.2.3"), t11);
    assert.equal(t12, "The printer on floor 3 is broken again, see KB-2231.");
    assert.equal(t13, "\\N");
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
