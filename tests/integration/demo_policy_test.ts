/**
 * The demo's own policy (examples/demo/privaci.yaml) on the demo's seed, through a real run: its unique
 * e-mails look like real addresses (a whole fake name, a short number, a reserved example domain) and are
 * all distinct, and its phone numbers keep their layout, country code and the national number's first
 * digit while every other digit changes. What `deno task demo` shows is what this test checks.
 */
import assert from "node:assert/strict";
import { connect, exec, withDbs } from "../_pg.ts";
import { privaci, ROOT } from "../fixtures/core/cli.ts";
import { DEMO_SCHEMA, demoRows } from "../../examples/demo/seed.ts";

const KEY = "base64:" + btoa("demo policy test key: 32 bytes or more");
const CUSTOMERS = 1000;

interface Customer {
  id: number;
  email: string;
  phone: string;
}

async function customers(url: string): Promise<Customer[]> {
  const sql = connect(url);
  try {
    return [...await sql<Customer[]>`select id, email, phone from customers order by id`];
  } finally {
    await sql.end();
  }
}

Deno.test("the demo policy writes realistic, distinct e-mails and phone numbers valid in their plan", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, DEMO_SCHEMA + demoRows(CUSTOMERS));
    await exec(targetUrl, DEMO_SCHEMA);
    const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl, PRIVACI_KEY: KEY };
    const r = await privaci(["run", "-c", `${ROOT}examples/demo/privaci.yaml`, "--quiet"], env);
    assert.equal(r.code, 0, r.stderr);

    const [before, after] = [await customers(sourceUrl), await customers(targetUrl)];
    assert.equal(after.length, CUSTOMERS);
    const sourceEmails = new Set(before.map((c) => c.email));
    assert.equal(new Set(after.map((c) => c.email)).size, CUSTOMERS, "distinct e-mails");
    const layout = (s: string) => s.replace(/\d/g, "9");
    after.forEach((c, i) => {
      const src = before[i];
      assert.equal(c.id, src.id);
      assert.match(c.email, /^[a-z]+([._]?[a-z][._]?)?[a-z]+\d{1,5}@example\.(com|net|org)$/, c.email);
      assert.ok(!sourceEmails.has(c.email), `${c.email} is a source address`);
      assert.equal(layout(c.phone), layout(src.phone), `${c.phone}: the layout of ${src.phone}`);
      // `+1 4`, `+49 3`, `+33 1`, `+34 9`, `+39 0`: the country code and the national number's first digit.
      const head = src.phone.slice(0, src.phone.indexOf(" ") + 2);
      assert.equal(c.phone.slice(0, head.length), head, `${c.phone} keeps ${head}`);
      assert.notEqual(c.phone, src.phone);
    });
  });
});
