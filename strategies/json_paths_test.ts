import assert from "node:assert/strict";
import { parsePath } from "./json_paths.ts";
import { EMAIL } from "./fake/email_test.ts";
import { maskValues, runCases } from "./_test_utils.ts";

const JSONB = { family: "json" as const, type: "jsonb", baseType: "jsonb" };

Deno.test("json masks values by path and keeps the rest of the document", async () => {
  const doc =
    '{"contact": {"email": "a@corp.example", "phone": "555-0100"}, "tags": ["vip", "eu"], "age": 41, "ok": true}';
  const [out] = await maskValues(
    "json",
    {
      paths: {
        "$.contact.email": "fake.email",
        "$.tags[*]": "redact",
        "$.age": { strategy: "hash", format: "int", length: 3 },
        "$.missing.path": "redact",
      },
    },
    [doc],
    { column: JSONB },
  );
  const got = JSON.parse(out!);
  assert.match(got.contact.email, EMAIL);
  assert.equal(got.contact.phone, "555-0100");
  assert.deepEqual(got.tags, ["REDACTED", "REDACTED"]);
  assert.equal(got.ok, true);
  assert.ok(typeof got.age === "number" && got.age >= 0 && got.age < 1000, "a number stays a number");
  await runCases([
    {
      strategy: "json",
      params: { paths: { "$[*].n": "redact" } },
      input: '[{"n": "x"}, {"n": null}, 3]',
      output: '[{"n":"REDACTED"},{"n":null},3]',
      options: { column: JSONB },
    },
    {
      strategy: "json",
      params: { paths: { '$["a b"]': { strategy: "partial", keep_last: 1 } } },
      input: '{"a b": "secret"}',
      output: '{"a b":"*****t"}',
      options: { column: JSONB },
    },
    {
      strategy: "json",
      params: { paths: { "$.*": "redact" } },
      input: '{"a": "1", "b": {"c": 2}}',
      output: '{"a":"REDACTED","b":"REDACTED"}',
      options: { column: JSONB },
    },
    {
      strategy: "json",
      params: { paths: { "$.a": "hash" } },
      input: null,
      output: null,
      options: { column: JSONB },
    },
  ]);
});

Deno.test("parsePath() reads the supported syntax and rejects the rest", async () => {
  assert.deepEqual(parsePath("$.a[0]['b c'].d"), ["a", 0, "b c", "d"]);
  assert.throws(() => parsePath("a.b"), { name: "SyntaxError" });
  assert.throws(() => parsePath("$..a"), { name: "SyntaxError" });
  await assert.rejects(() => maskValues("json", { paths: { "a.b": "redact" } }, ["{}"], { column: JSONB }), {
    name: "ZodError",
  });
  await assert.rejects(
    () => maskValues("json", { paths: { "$.a": "redact" } }, ["{not json"], { column: JSONB }),
    {
      name: "PrivaciError",
      message: 'Cannot mask "t"."c" as JSON: the value in batch row 1 is not JSON',
    },
  );
});
