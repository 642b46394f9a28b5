import assert from "node:assert/strict";
import { validFor } from "./_valid.ts";
import { column } from "./_test_utils.ts";
import { ADMIN_URL, connect } from "../tests/_pg.ts";

const DATES = [
  "2024-02-29",
  "2023-02-29",
  "2024-04-31",
  "0001-01-01",
  "12345-06-30",
  "12345-02-29",
  "12344-02-29",
  "5874897-12-31",
  "5874898-01-01",
  "0001-01-01 BC",
  "0001-02-29 BC",
  "0005-02-29 BC",
  "4714-11-24 BC",
  "4714-11-23 BC",
  "infinity",
  "-infinity",
  "2024-13-01",
  "2024-00-10",
  "24-01-01",
];
const TIMESTAMPS = [
  "2024-02-29 10:00:00",
  "2023-02-29 10:00:00",
  "12345-06-30 23:59:59.5+02",
  "294276-12-31 00:00:00",
  "294277-01-01 00:00:00",
  "0044-03-15 12:00:00 BC",
  "infinity",
];

Deno.test("validFor() accepts the dates and timestamps PostgreSQL accepts, five-digit years included", async () => {
  const sql = connect(ADMIN_URL);
  try {
    for (const [type, values] of [["date", DATES], ["timestamp", TIMESTAMPS]] as const) {
      const col = column({ family: type, type, baseType: type });
      for (const v of values) {
        const pg = await sql.unsafe(`select $1::text::${type}`, [v]).then(() => true, () => false);
        assert.equal(validFor(col, v), pg, `${type} ${v}: PostgreSQL says ${pg ? "valid" : "invalid"}`);
      }
    }
  } finally {
    await sql.end();
  }
});
