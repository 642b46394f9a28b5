import assert from "node:assert/strict";
import { maskValues } from "../_test_utils.ts";

Deno.test("postcode.truncate keeps the first characters and drops or fills the rest", async () => {
  assert.deepEqual(await maskValues("postcode.truncate", {}, ["75008", " 10115", "AB", "SW1A 1AA"]), [
    "750",
    "101",
    "AB",
    "SW1",
  ]);
  assert.deepEqual(
    await maskValues("postcode.truncate", { keep: 5 }, ["SW1A 1AA"]),
    ["SW1A"],
    "no trailing space",
  );
  assert.deepEqual(
    await maskValues("postcode.truncate", { keep: 4, fill: "X" }, ["SW1A 1AA", "12345-6789"]),
    ["SW1A XXX", "1234X-XXXX"],
  );
  const out = await maskValues("postcode.truncate", { keep: 2, fill: "0" }, ["75008"], {
    column: { type: "character varying(5)", baseType: "varchar", maxLength: 5 },
  });
  assert.deepEqual(out, ["75000"]);
  await assert.rejects(() => maskValues("postcode.truncate", { fill: "ab" }, ["1"]));
});
