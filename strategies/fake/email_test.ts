import assert from "node:assert/strict";
import { batchOf, makeMasker, maskValues, runCases } from "../_test_utils.ts";

/** A conservative e-mail syntax: dot-atoms of [a-z0-9_-] without leading, trailing or double dots. */
export const EMAIL =
  /^[a-z0-9_-]+(\.[a-z0-9_-]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

Deno.test("fake.email writes valid addresses at example domains in every locale", async () => {
  await runCases(
    ["en", "de", "fr", "es", "it", "nl", "pt", "pl", "ja", "zh"].flatMap((locale) =>
      ["alice@corp.example", "Zoë.Ångström@post.example", "x"].map((input) => ({
        strategy: "fake.email",
        params: { locale },
        input,
        check: (out: string | null) =>
          out !== null && EMAIL.test(out) && /@example\.(com|net|org)$/.test(out)
            ? undefined
            : "not a valid example address",
      }))
    ),
  );
});

Deno.test("fake.email uses the given domain and agrees across letter case", async () => {
  const out = await maskValues("fake.email", { email_domain: "test.invalid" }, [
    "Alice@Corp.example",
    "alice@corp.example ",
  ]);
  assert.match(out[0]!, /@test\.invalid$/);
  assert.equal(out[0], out[1]);
});

Deno.test("fake.email with unique: true keeps case variants apart and stays valid", async () => {
  const out = await maskValues("fake.email", {}, ["Alice@corp.example", "alice@corp.example"], {
    unique: true,
  });
  assert.notEqual(out[0], out[1]);
  for (const o of out) assert.match(o!, EMAIL);
});

Deno.test("fake.email fits varchar(n) and refuses columns too short for an address", async () => {
  const out = await maskValues("fake.email", {}, ["alexandra.featherstonehaugh@corp.example"], {
    column: { type: "character varying(16)", maxLength: 16 },
  });
  assert.ok(out[0]!.length <= 16, out[0]!);
  assert.match(out[0]!, EMAIL);
  await assert.rejects(
    () => maskValues("fake.email", {}, ["a"], { column: { type: "character varying(8)", maxLength: 8 } }),
    {
      name: "StrategyParamsError",
      message:
        'Cannot use fake.email on "t"."c" as character varying(8) is too short: it needs at least 13 characters',
    },
  );
});

Deno.test("fake.username writes lowercase logins; unique ones end with a keyed number, or a token", async () => {
  await runCases(["alice", "Bob_1", "李"].map((input) => ({
    strategy: "fake.username",
    input,
    check: (out: string | null) => (out !== null && /^[a-z0-9._]+$/.test(out) ? undefined : "not a login"),
  })));
  const [u] = await maskValues("fake.username", {}, ["alice"], { unique: true });
  assert.match(u!, /^[a-z]+([._]?[a-z][._]?)?[a-z]+\d{1,5}$/);
  const [t] = await maskValues("fake.username", { unique_suffix: "token" }, ["alice"], { unique: true });
  assert.match(t!, /_[a-z2-7]{10,}$/);
});

Deno.test("fake.email with unique: true is the normal fake with a short number, fitting varchar(n)", async () => {
  const inputs = Array.from({ length: 2000 }, (_, i) => `person${i}@corp.example`);
  const out = await maskValues("fake.email", {}, inputs, { unique: true });
  for (const o of out) {
    assert.match(o!, EMAIL);
    assert.match(o!, /^[a-z]+([._]?[a-z][._]?)?[a-z]+\d{1,5}@example\.(com|net|org)$/, o!);
  }
  assert.equal(new Set(out).size, inputs.length);
  assert.ok(out.every((o) => o!.length <= 40), "no long token");
  const short = await maskValues("fake.email", {}, inputs.slice(0, 200), {
    unique: true,
    column: { type: "character varying(20)", baseType: "varchar", maxLength: 20 },
  });
  for (const o of short) assert.ok(o!.length <= 20 && EMAIL.test(o!), o!);
  const digits = await maskValues("fake.email", { suffix_digits: 8 }, inputs.slice(0, 50), { unique: true });
  assert.ok(digits.some((o) => /\d{8}@/.test(o!)), "suffix_digits sets the number's width");
});

Deno.test("fake.email with a short unique suffix stops at a collision, naming the column; repeats are no collision", async () => {
  const m = await makeMasker("fake.email", { suffix_digits: 2 }, {
    unique: true,
    column: { table: "customer", column: "email", type: "character varying(16)", maxLength: 16 },
  });
  assert.equal(m.wholeColumn, true, "the table is never split across masking workers");
  // Repeated values (past the memo, which skips them on an all-distinct column) are not collisions.
  const few = ["a@x", "b@x", "c@x"];
  const again = await m.mask([...few, ...few, ...few], batchOf());
  assert.deepEqual(again.slice(3, 6), again.slice(0, 3));
  // varchar(16) leaves two or three letters of name before 2 digits: 5,000 values must collide.
  const many = Array.from({ length: 5000 }, (_, i) => `user${i}@corp.example`);
  await assert.rejects(async () => await m.mask(many, batchOf()), {
    name: "PrivaciError",
    code: "STRATEGY_COLLISION",
    message:
      'Cannot write unique fake.email values into "customer"."email": two distinct source values gave the same value (its short unique suffix collided)',
  });
  await m.close?.();
  // A column under a unique index is checked too, but may be split across workers (the target's index
  // catches what one worker cannot see).
  const indexed = await makeMasker("fake.email", { suffix_digits: 2 }, {
    unique: true,
    column: { unique: true, type: "character varying(16)", maxLength: 16 },
  });
  assert.equal(indexed.wholeColumn, undefined);
  await assert.rejects(async () => await indexed.mask(many, batchOf()), { code: "STRATEGY_COLLISION" });
  // The token form is unique by construction and checks nothing.
  const token = await makeMasker("fake.email", { unique_suffix: "token" }, { unique: true });
  assert.equal(token.wholeColumn, undefined);
});
