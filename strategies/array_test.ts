import assert from "node:assert/strict";
import { maskValues, runCases } from "./_test_utils.ts";

Deno.test("array masks each element and keeps shape, NULLs and quoting", async () => {
  const TEXT_ARRAY = {
    family: "array" as const,
    elementFamily: "string" as const,
    type: "text[]",
    baseType: "_text",
  };
  await runCases([
    {
      strategy: "array",
      params: { element: "redact" },
      input: '{alice,"bob smith",NULL}',
      output: "{REDACTED,REDACTED,NULL}",
      options: { column: TEXT_ARRAY },
    },
    {
      strategy: "array",
      params: { element: { strategy: "partial", keep_last: 1 } },
      input: '{{ab,"c,d"},{"",e}}',
      output: '{{*b,**d},{"",*}}',
      options: { column: TEXT_ARRAY },
    },
    {
      strategy: "array",
      params: { element: "keep" },
      input: '[0:1]={"a\\"b","x\\\\y"}',
      output: '[0:1]={"a\\"b","x\\\\y"}',
      options: { column: TEXT_ARRAY },
    },
    {
      strategy: "array",
      params: { element: "redact" },
      input: "{}",
      output: "{}",
      options: { column: TEXT_ARRAY },
    },
  ]);
  const [emails] = await maskValues("array", { element: "fake.email" }, ["{a@corp.example,b@corp.example}"], {
    column: TEXT_ARRAY,
  });
  const [one] = await maskValues("fake.email", {}, ["a@corp.example"]);
  assert.equal(emails!.split(",")[0].slice(1), one);
  const [ints] = await maskValues("array", { element: "hash" }, ["{1,2,NULL}"], {
    column: { family: "array", elementFamily: "integer", type: "integer[]", baseType: "_int4" },
  });
  assert.match(ints!, /^\{\d+,\d+,NULL\}$/);
});
