import assert from "node:assert/strict";
import { luhnValid } from "../keyed/_digits.ts";
import { maskValues, runCases } from "../_test_utils.ts";

const layout = (s: string) => s.replace(/\d/g, "9");

Deno.test("fake.card keeps brand, length and layout and passes Luhn", async () => {
  const cards = [
    "4111 1111 1111 1111",
    "378282246310005",
    "5555-5555-5555-4444",
    "6011111111111117",
    "2223003122003222",
    "3530111333300000",
  ];
  await runCases(cards.map((input) => ({
    strategy: "fake.card",
    input,
    check: (out: string | null) => {
      const d = out!.replace(/\D/g, ""), src = input.replace(/\D/g, "");
      if (!luhnValid(d)) return "fails Luhn";
      if (layout(out!) !== layout(input)) return "layout changed";
      const keep = src.startsWith("4")
        ? 1
        : src.startsWith("2223") || src.startsWith("6011") || src.startsWith("3530")
        ? 4
        : 2;
      if (d.slice(0, keep) !== src.slice(0, keep)) return "brand changed";
      return d === src ? "unchanged" : undefined;
    },
  })));
  const [gen] = await maskValues("fake.card", {}, ["not a card"]);
  assert.ok(luhnValid(gen!) && gen!.length === 16);
});
