import assert from "node:assert/strict";
import { maskValues } from "./_test_utils.ts";

Deno.test("constant and redact refuse values the column cannot hold", async () => {
  await assert.rejects(
    () =>
      maskValues("constant", { value: "abc" }, ["1"], {
        column: { family: "integer", type: "integer", baseType: "int4" },
      }),
    {
      name: "StrategyParamsError",
      message: 'Cannot write the constant into "t"."c": it is not a valid integer value',
    },
  );
  await assert.rejects(
    () =>
      maskValues("redact", { value: "too long" }, ["1"], {
        column: { maxLength: 3, type: "character varying(3)" },
      }),
    {
      name: "StrategyParamsError",
      message: 'Cannot write the placeholder into "t"."c": it is not a valid character varying(3) value',
    },
  );
  await assert.rejects(
    () => maskValues("redact", {}, ["1"], { column: { family: "other", type: "point", baseType: "point" } }),
    {
      name: "StrategyParamsError",
      message: 'Cannot redact "t"."c" without a placeholder: point has no default',
    },
  );
});
