import assert from "node:assert/strict";
import { ALL, DESCEND } from "./_json_tree.ts";
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
      others: "keep",
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
      params: { paths: { "$[*].n": "redact" }, others: "keep" },
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
  assert.deepEqual(parsePath("$..a"), [DESCEND, "a"]);
  assert.deepEqual(parsePath("$..*"), [DESCEND, ALL]);
  assert.deepEqual(parsePath('$.a..["b c"][*]'), ["a", DESCEND, "b c", ALL]);
  assert.throws(() => parsePath("$.."), { name: "SyntaxError" });
  assert.throws(() => parsePath("$...a"), { name: "SyntaxError" });
  assert.throws(() => parsePath("$.a*"), { name: "SyntaxError" });
  await assert.rejects(() => maskValues("json", { paths: { "a.b": "redact" } }, ["{}"], { column: JSONB }), {
    name: "ZodError",
  });
  await assert.rejects(
    () => maskValues("json", { paths: { "$.a": "redact" } }, ["{not json"], { column: JSONB }),
    {
      name: "PrivaciError",
      message: "the value in batch row 1 is not JSON",
    },
  );
});

Deno.test("json $..key masks the key at any depth, objects included", async () => {
  await runCases([
    {
      strategy: "json",
      params: { paths: { "$..email": "redact" } },
      input:
        '{"email": "a@x.example", "team": [{"email": "b@x.example"}, {"boss": {"email": "c@x.example"}}]}',
      output: '{"email":"REDACTED","team":[{"email":"REDACTED"},{"boss":{"email":"REDACTED"}}]}',
      options: { column: JSONB },
    },
    {
      strategy: "json",
      params: { paths: { "$.a..n": "redact" }, others: "keep" },
      input: '{"a": {"n": 1, "b": [{"n": 2}]}, "n": 3}',
      output: '{"a":{"n":"REDACTED","b":[{"n":"REDACTED"}]},"n":3}',
      options: { column: JSONB },
    },
    {
      strategy: "json",
      params: { paths: { "$..*": "redact" } },
      input: '{"a": ["x"]}',
      output: '{"a":"REDACTED"}',
      options: { column: JSONB },
    },
  ]);
});

Deno.test("json refuses leaves no path matches by default, naming their paths and never a value", async () => {
  const doc = JSON.stringify({
    email: "a@corp.example",
    nickname: "Ally",
    tags: ["vip"],
    "a b": { age: 41 },
    active: true,
    gone: null,
    empty: {},
  });
  await assert.rejects(
    () => maskValues("json", { paths: { "$.email": "fake.email" } }, [doc], { column: JSONB }),
    (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.name, "PrivaciError");
      assert.equal(e.code, "JSON_UNMATCHED");
      assert.equal(e.message, "no path of the json rule matches $.nickname, $.tags[*], $.*.age, $.active");
      assert.match(e.hint!, /paths: \{ "\$\.nickname": redact, /);
      assert.match(e.hint!, /others: keep \| redact \| text\.scrub/);
      assert.ok(!`${e.message}${e.hint}`.includes("Ally"), "a value in the error");
      return true;
    },
  );
  // Every leaf covered (a path on a container covers what is inside): no error.
  const [out] = await maskValues(
    "json",
    {
      paths: {
        "$.email": "redact",
        "$.nickname": "redact",
        "$.tags": "redact",
        '$["a b"]': "redact",
        "$.active": "keep",
      },
    },
    [doc],
    { column: JSONB },
  );
  assert.equal(
    out,
    '{"email":"REDACTED","nickname":"REDACTED","tags":"REDACTED","a b":"REDACTED","active":true,"gone":null,"empty":{}}',
  );
});

Deno.test("json others: masks every leaf no path matches with its strategy, types kept", async () => {
  await runCases([
    {
      strategy: "json",
      params: { paths: { "$.id": "keep" }, others: "redact" },
      input: '{"id": 7, "note": "call Ann", "list": ["x", {"y": "z"}], "n": null}',
      output: '{"id":7,"note":"REDACTED","list":["REDACTED",{"y":"REDACTED"}],"n":null}',
      options: { column: JSONB },
    },
  ]);
  const [out] = await maskValues("json", {
    paths: {},
    others: { strategy: "hash", format: "int", length: 3 },
  }, [
    '{"n": 41, "s": "41"}',
  ], { column: JSONB });
  const got = JSON.parse(out!);
  assert.equal(typeof got.n, "number");
  assert.equal(typeof got.s, "string");
});

Deno.test("json masks values, never key names: a map keyed by e-mail needs a path on the map", async () => {
  const doc = '{"by_email": {"ana@corp.example": {"visits": 3}}, "plan": "pro"}';
  const [kept] = await maskValues("json", { paths: {}, others: "redact" }, [doc], { column: JSONB });
  assert.equal(kept, '{"by_email":{"ana@corp.example":{"visits":"REDACTED"}},"plan":"REDACTED"}');
  const [whole] = await maskValues("json", { paths: { "$.by_email": "redact" }, others: "keep" }, [doc], {
    column: JSONB,
  });
  assert.equal(whole, '{"by_email":"REDACTED","plan":"pro"}');
});
