import assert from "node:assert/strict";
import { findDatesOfBirth } from "./date_of_birth.ts";
import { found } from "./_test_find.ts";

Deno.test("findDatesOfBirth() finds dates after a birth cue in several languages", () => {
  assert.deepEqual(
    found(
      findDatesOfBirth,
      "DOB: 1985-03-12. Born on March 4, 1990. Geboren am 12.03.1985, née le 3 mai 1970",
    ),
    [
      "date_of_birth:1985-03-12",
      "date_of_birth:March 4, 1990",
      "date_of_birth:12.03.1985",
      "date_of_birth:3 mai 1970",
    ],
  );
});

Deno.test("findDatesOfBirth() leaves dates without a birth cue alone", () => {
  assert.deepEqual(found(findDatesOfBirth, "Shipped 2024-03-02, invoice due March 4, 2024"), []);
});
