import assert from "node:assert/strict";
import { parseTemplate } from "./template.ts";
import { batchOf, makeMasker, maskValues, runCases } from "./_test_utils.ts";

Deno.test("template composes strategies and keeps the nested strategies' own domains", async () => {
  const [out] = await maskValues("template", { template: "{{fake.first_name}}.{{hash:6}}@example.com" }, [
    "Alice",
  ]);
  const [first] = await maskValues("fake.first_name", {}, ["Alice"]);
  const [h] = await maskValues("hash", { length: 6 }, ["Alice"]);
  assert.equal(out, `${first}.${h}@example.com`);
  await runCases([
    {
      strategy: "template",
      params: { template: "user-{{hash:8}}" },
      input: "a",
      check: (o) => (/^user-[0-9a-f]{8}$/.test(o!) ? undefined : "bad"),
    },
    { strategy: "template", params: { template: "fixed" }, input: "a", output: "fixed" },
    { strategy: "template", params: { template: "{{keep}}!" }, input: "a", output: "a!" },
    { strategy: "template", params: { template: "{{hash}}" }, input: null, output: null },
    {
      strategy: "template",
      params: { template: "{{hash:20}}" },
      input: "a",
      options: { column: { maxLength: 5, type: "character varying(5)" } },
      check: (o) => (o!.length === 5 ? undefined : "not cut"),
    },
  ]);
});

Deno.test("parseTemplate() splits literals, strategies and row columns; unknown strategies fail at create", async () => {
  const known = (n: string) => ["hash", "fake.first_name"].includes(n);
  assert.deepEqual(parseTemplate("a{{x}}b{{hash:3}}c{{first_name:1|ascii}}{{fake.first_name}}", known), {
    literals: ["a", "b", "c", "", ""],
    parts: [
      { column: "x" },
      { spec: { strategy: "hash", length: 3 } },
      { column: "first_name", length: 1, fold: "ascii" },
      { spec: { strategy: "fake.first_name" } },
    ],
  });
  // Without a registry every name is a strategy; a dotted name always is.
  assert.deepEqual(parseTemplate("{{x}}").parts, [{ spec: { strategy: "x" } }]);
  await assert.rejects(() => maskValues("template", { template: "{{fake.nope}}" }, ["a"]), {
    message: "unknown strategy fake.nope",
  });
  await assert.rejects(() => maskValues("template", { template: "{{hash|lower}}" }, ["a"]), {
    code: "STRATEGY_PARAMS",
  });
});

Deno.test("template fills {{column}} with the row's masked value, cut and folded, and reads it masked", async () => {
  const m = await makeMasker("template", {
    template: "{{first_name|ascii}}.{{last_name|lower}}{{id:2}}@example.com",
  });
  assert.deepEqual(m.readsMasked, ["first_name", "last_name", "id"]);
  const masked = {
    first_name: ["Émilie", "Jo", null],
    last_name: ["O'Connor", "Smith", "X"],
    id: ["123", "7", "9"],
  };
  assert.deepEqual(
    await m.mask(["a@corp.example", "b@corp.example", "c@corp.example"], batchOf({}, masked)),
    [
      "emilie.o'connor12@example.com",
      "jo.smith7@example.com",
      ".x9@example.com",
    ],
  );
  // A NULL input stays NULL; a row placeholder needs the table's row.
  assert.deepEqual(await m.mask([null], batchOf({}, { first_name: ["A"], last_name: ["B"], id: ["1"] })), [
    null,
  ]);
  await assert.rejects(async () => await m.mask(["a"], batchOf({})), {
    code: "STRATEGY_FAILED",
    message:
      'Cannot fill {{first_name}} in the template of "t"."c": row placeholders work only where the template is the column\'s own rule',
  });
});
