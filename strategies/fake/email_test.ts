import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

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

Deno.test("fake.username writes lowercase logins; unique ones end with a token", async () => {
  await runCases(["alice", "Bob_1", "李"].map((input) => ({
    strategy: "fake.username",
    input,
    check: (out: string | null) => (out !== null && /^[a-z0-9._]+$/.test(out) ? undefined : "not a login"),
  })));
  const [u] = await maskValues("fake.username", {}, ["alice"], { unique: true });
  assert.match(u!, /_[a-z2-7]+$/);
});
