import assert from "node:assert/strict";
import { maskValues, runCases } from "./_test_utils.ts";

Deno.test("regex replaces every match, with groups", async () => {
  await runCases([
    {
      strategy: "regex",
      params: { pattern: "\\d", replace: "#" },
      input: "Flat 4, 221B",
      output: "Flat #, ###B",
    },
    {
      strategy: "regex",
      params: { pattern: "^(.)[^@]*", replace: "$1***" },
      input: "alice@example.com",
      output: "a***@example.com",
    },
    { strategy: "regex", params: { pattern: "a", replace: "b", flags: "y" }, input: "aaa", output: "baa" },
    { strategy: "regex", params: { pattern: "x" }, input: "xyx", output: "y" },
  ]);
  await assert.rejects(() => maskValues("regex", { pattern: "(" }, ["a"]), { name: "ZodError" });
});
