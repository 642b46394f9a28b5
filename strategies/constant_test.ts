import { runCases } from "./_test_utils.ts";

Deno.test("constant and redact write their values in the column's type", async () => {
  await runCases([
    { strategy: "constant", params: { value: "n/a" }, input: "secret", output: "n/a" },
    {
      strategy: "constant",
      params: { value: 7 },
      input: "1",
      output: "7",
      options: { column: { family: "integer", type: "integer", baseType: "int4" } },
    },
    {
      strategy: "constant",
      params: { value: true },
      input: "f",
      output: "t",
      options: { column: { family: "boolean", type: "boolean", baseType: "bool" } },
    },
    { strategy: "constant", params: { value: "x" }, input: null, output: null },
    { strategy: "constant", params: { value: "x", keep_null: false }, input: null, output: "x" },
    { strategy: "redact", input: "secret", output: "REDACTED" },
    {
      strategy: "redact",
      input: "secret",
      output: "RED",
      options: { column: { maxLength: 3, type: "character varying(3)" } },
    },
    {
      strategy: "redact",
      input: "42",
      output: "0",
      options: { column: { family: "integer", type: "integer", baseType: "int4" } },
    },
    {
      strategy: "redact",
      input: "2024-01-31",
      output: "1970-01-01",
      options: { column: { family: "date", type: "date", baseType: "date" } },
    },
    {
      strategy: "redact",
      input: "2024-01-31 10:00:00+00",
      output: "1970-01-01 00:00:00+00",
      options: { column: { family: "timestamp", type: "timestamp with time zone", baseType: "timestamptz" } },
    },
    {
      strategy: "redact",
      input: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      output: "00000000-0000-0000-0000-000000000000",
      options: { column: { family: "uuid", type: "uuid", baseType: "uuid" } },
    },
    {
      strategy: "redact",
      input: '{"a": 1}',
      output: "{}",
      options: { column: { family: "json", type: "jsonb", baseType: "jsonb" } },
    },
    { strategy: "redact", input: null, output: null },
    { strategy: "redact", params: { value: "***", keep_null: false }, input: null, output: "***" },
  ]);
});
