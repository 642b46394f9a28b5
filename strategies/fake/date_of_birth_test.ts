import assert from "node:assert/strict";
import { maskValues } from "../_test_utils.ts";

Deno.test("fake.date_of_birth stays in the input's age band and keeps the type's format", async () => {
  const inputs = Array.from({ length: 200 }, (_, i) => `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`);
  const out = await maskValues("fake.date_of_birth", {}, inputs, {
    column: { family: "date", type: "date", baseType: "date" },
  });
  out.forEach((o, i) => {
    assert.match(o!, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(Math.floor(Number(o!.slice(0, 4)) / 10), Math.floor(Number(inputs[i].slice(0, 4)) / 10));
  });
  const [year] = await maskValues("fake.date_of_birth", { band_years: 1 }, ["1984-07-12"]);
  assert.ok(year!.startsWith("1984-") && year !== "1984-07-12");
  const [ts] = await maskValues("fake.date_of_birth", {}, ["1984-07-12 13:45:00+02"], {
    column: { family: "timestamp", type: "timestamp with time zone", baseType: "timestamptz" },
  });
  assert.match(ts!, /^198\d-\d{2}-\d{2} 00:00:00\+02$/);
});
