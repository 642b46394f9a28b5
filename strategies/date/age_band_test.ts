import assert from "node:assert/strict";
import { maskValues } from "../_test_utils.ts";

const DATE = { family: "date" as const, type: "date", baseType: "date" };
const TS = { family: "timestamp" as const, type: "timestamp with time zone", baseType: "timestamptz" };

Deno.test("date.age_band writes the latest birth date of the age band on as_of", async () => {
  const as_of = "2025-06-15";
  assert.deepEqual(
    await maskValues("date.age_band", { as_of }, [
      "1988-07-12", // 36
      "1995-06-15", // 30 that day
      "1995-06-16", // 29
      "2030-01-01", // not born yet: youngest band
      "infinity",
    ], { column: DATE }),
    ["1995-06-15", "1995-06-15", "2005-06-15", "2025-06-15", "infinity"],
  );
  assert.deepEqual(
    await maskValues("date.age_band", { as_of, width: 5 }, ["1988-07-12 08:30:00+02"], { column: TS }),
    ["1990-06-15 00:00:00+02"],
  );
  assert.deepEqual(
    await maskValues("date.age_band", { as_of: "2024-02-29" }, ["1990-01-01"], { column: DATE }),
    ["1994-02-28"],
    "29 February in a year without one",
  );
});

Deno.test("date.age_band bands by edges and writes labels in text columns", async () => {
  const p = { as_of: "2025-01-01", edges: [18, 30, 65, 90] };
  assert.deepEqual(
    await maskValues("date.age_band", { ...p, write: "label" }, [
      "2010-05-05",
      "2000-01-01",
      "1955-12-31",
      "1920-01-01",
    ]),
    ["0-17", "18-29", "65-89", "90+"],
  );
  assert.deepEqual(
    await maskValues("date.age_band", { as_of: "2025-01-01", write: "label" }, ["1988-07-12"]),
    ["30-39"],
  );
  assert.deepEqual(await maskValues("date.age_band", p, ["1920-01-01"], { column: DATE }), ["1935-01-01"]);
});

Deno.test("date.age_band refuses labels in date columns, a missing or impossible as_of, and text", async () => {
  await assert.rejects(
    () =>
      maskValues("date.age_band", { as_of: "2025-01-01", write: "label" }, ["1990-01-01"], {
        column: DATE,
      }),
    {
      name: "StrategyParamsError",
      message: 'Cannot write age band labels into "t"."c": date is not a text column',
    },
  );
  await assert.rejects(() => maskValues("date.age_band", {}, ["1990-01-01"]));
  await assert.rejects(() => maskValues("date.age_band", { as_of: "2025-02-30" }, ["1990-01-01"]));
  await assert.rejects(() => maskValues("date.age_band", { as_of: "2025-01-01" }, ["last tuesday"]), {
    name: "PrivaciError",
    code: "STRATEGY_FAILED",
  });
});
