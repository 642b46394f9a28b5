import { runCases } from "./_test_utils.ts";

Deno.test("partial keeps the ends and the length", async () => {
  await runCases([
    { strategy: "partial", input: "4111111111111111", output: "************1111" },
    {
      strategy: "partial",
      params: { keep_first: 1, keep_last: 0, mask_char: "x" },
      input: "Zoë",
      output: "Zxx",
    },
    { strategy: "partial", params: { keep_first: 3, keep_last: 3 }, input: "short", output: "*****" },
    { strategy: "partial", input: "", output: "" },
    { strategy: "partial", input: null, output: null },
  ]);
});
