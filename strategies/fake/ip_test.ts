import assert from "node:assert/strict";
import { parseV4, parseV6 } from "./ip.ts";
import { maskValues, runCases } from "../_test_utils.ts";

Deno.test("fake.ip keeps the address family and the prefix length", async () => {
  await runCases([
    { input: "192.0.2.10", v: 4 },
    { input: "10.0.0.1/8", v: 4 },
    { input: "2001:db8::1", v: 6 },
    { input: "::ffff:192.0.2.1", v: 6 },
    { input: "fe80::1/64", v: 6 },
  ].map(({ input, v }) => ({
    strategy: "fake.ip",
    input,
    options: { column: { family: "network" as const, type: "inet", baseType: "inet" } },
    check: (out: string | null) => {
      const [addr, prefix] = out!.split("/");
      if (prefix !== input.split("/")[1]) return "prefix changed";
      if (v === 4 ? parseV4(addr) < 0 : parseV6(addr) === null) return "wrong family";
      return out === input ? "unchanged" : undefined;
    },
  })));
});

Deno.test("parseV6() reads compressed and IPv4-embedded forms", () => {
  assert.deepEqual(parseV6("2001:db8::1"), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseV6("::ffff:1.2.3.4"), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  assert.equal(parseV6("1::2::3"), null);
  assert.equal(parseV4("256.1.1.1"), -1);
});

Deno.test("fake.ip refuses cidr columns and generates IPv4 for other text", async () => {
  await assert.rejects(
    () =>
      maskValues("fake.ip", {}, ["10.0.0.0/8"], {
        column: { family: "network", type: "cidr", baseType: "cidr" },
      }),
    {
      name: "StrategyParamsError",
      message: 'Cannot use fake.ip on "t"."c" as it writes host addresses, not cidr values',
    },
  );
  const [out] = await maskValues("fake.ip", {}, ["unknown"]);
  assert.ok(parseV4(out!) >= 0);
});
