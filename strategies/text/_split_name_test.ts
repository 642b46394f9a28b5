import assert from "node:assert/strict";
import { splitName } from "./_split_name.ts";

Deno.test("splitName() takes the last word, or everything from the first particle, as the family name", () => {
  assert.deepEqual(splitName("Maria Rossi"), { given: "Maria", family: "Rossi" });
  assert.deepEqual(splitName("Anna Maria  Rossi"), { given: "Anna Maria", family: "Rossi" });
  assert.deepEqual(splitName("Kasper van den Broek"), { given: "Kasper", family: "van den Broek" });
  assert.deepEqual(splitName("Maria"), { given: "Maria", family: "" });
});
