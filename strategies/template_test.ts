import assert from "node:assert/strict";
import { parseTemplate } from "./template.ts";
import { maskValues, runCases } from "./_test_utils.ts";

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

Deno.test("parseTemplate() splits literals and specs, and unknown strategies fail at create", async () => {
  assert.deepEqual(parseTemplate("a{{x}}b{{hash:3}}"), {
    literals: ["a", "b", ""],
    specs: [{ strategy: "x" }, { strategy: "hash", length: 3 }],
  });
  await assert.rejects(() => maskValues("template", { template: "{{nope}}" }, ["a"]), {
    message: "unknown strategy nope",
  });
});
