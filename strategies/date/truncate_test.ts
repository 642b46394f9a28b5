import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

const DATE = { family: "date" as const, type: "date", baseType: "date" };
const TSTZ = { family: "timestamp" as const, type: "timestamp with time zone", baseType: "timestamptz" };

Deno.test("date.truncate cuts to year, month or day", async () => {
  await runCases([
    { strategy: "date.truncate", input: "2024-05-17", output: "2024-05-01", options: { column: DATE } },
    {
      strategy: "date.truncate",
      params: { to: "year" },
      input: "2024-05-17",
      output: "2024-01-01",
      options: { column: DATE },
    },
    {
      strategy: "date.truncate",
      params: { to: "day" },
      input: "2024-05-17 10:30:00+02",
      output: "2024-05-17 00:00:00+02",
      options: { column: TSTZ },
    },
    { strategy: "date.truncate", input: "2024-05-17T10:30:00", output: "2024-05-01 00:00:00" },
    { strategy: "date.truncate", input: "-infinity", output: "-infinity", options: { column: DATE } },
  ]);
  await assert.rejects(
    () =>
      maskValues("date.truncate", {}, ["1"], {
        column: { family: "integer", type: "integer", baseType: "int4" },
      }),
    {
      name: "StrategyParamsError",
    },
  );
});
