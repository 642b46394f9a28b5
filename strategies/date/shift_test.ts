import assert from "node:assert/strict";
import { makeMasker, maskValues, OTHER_MASTER, runCases } from "../_test_utils.ts";
import { batchOf } from "../_test_utils.ts";

const DATE = { family: "date" as const, type: "date", baseType: "date" };
const TSTZ = { family: "timestamp" as const, type: "timestamp with time zone", baseType: "timestamptz" };
const dayDiff = (a: string, b: string) =>
  (Date.parse(a.slice(0, 10)) - Date.parse(b.slice(0, 10))) / 86_400_000;

Deno.test("date.shift moves dates by 1 to max_days days and keeps time and zone", async () => {
  const within = (max: number) => (out: string | null, input: string | null) => {
    const d = Math.abs(dayDiff(out!, input!));
    return d >= 1 && d <= max && out!.slice(10) === input!.slice(10) ? undefined : `shifted by ${d}`;
  };
  await runCases([
    { strategy: "date.shift", input: "2024-01-31", check: within(30), options: { column: DATE } },
    {
      strategy: "date.shift",
      params: { max_days: 3 },
      input: "2024-02-29",
      check: within(3),
      options: { column: DATE },
    },
    {
      strategy: "date.shift",
      input: "2024-01-31 10:00:00.123+05:30",
      check: within(30),
      options: { column: TSTZ },
    },
    { strategy: "date.shift", input: "infinity", output: "infinity", options: { column: DATE } },
    {
      strategy: "date.shift",
      params: { max_days: 2 },
      input: "0050-06-15",
      check: within(2),
      options: { column: DATE },
    },
    { strategy: "date.shift", input: null, output: null, options: { column: DATE } },
  ]);
});

Deno.test("date.shift by: a column shifts every row of one entity by the same offset", async () => {
  const dates = ["2024-01-10", "2024-03-05", "2023-12-31", "2024-01-10", "2024-07-01"];
  const customers = ["7", "7", "7", "8", null];
  const m = await makeMasker("date.shift", { max_days: 365, by: "customer_id" }, { column: DATE });
  assert.deepEqual(m.reads, ["customer_id"]);
  const out = await m.mask(dates, batchOf({ customer_id: customers }));
  const offsets = out.map((o, i) => dayDiff(o!, dates[i]));
  assert.equal(offsets[0], offsets[1]);
  assert.equal(offsets[1], offsets[2]);
  assert.ok(offsets.every((o) => o !== 0 && Math.abs(o) <= 365));
  const other = await maskValues("date.shift", { max_days: 365, by: "customer_id" }, dates, {
    column: DATE,
    master: OTHER_MASTER,
    batch: { customer_id: customers },
  });
  assert.notDeepEqual(other, out);
});
