import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

Deno.test("fake.url writes https URLs that parse; unique ones end with a token", async () => {
  await runCases(["https://alice.example.com/me", "ftp://x"].map((input) => ({
    strategy: "fake.url",
    params: { locale: "de" },
    input,
    check: (
      out: string | null,
    ) => (URL.canParse(out!) && out!.startsWith("https://www.") ? undefined : "not a URL"),
  })));
  const [u] = await maskValues("fake.url", {}, ["https://alice.example.com/me"], { unique: true });
  assert.ok(URL.canParse(u!));
  assert.match(u!, /\/[a-z2-7]+$/);
});
