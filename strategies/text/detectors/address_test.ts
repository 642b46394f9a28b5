import assert from "node:assert/strict";
import { findAddresses } from "./address.ts";
import { found } from "./_test_find.ts";

Deno.test("findAddresses() finds English, German and Romance street forms", () => {
  assert.deepEqual(
    found(
      findAddresses,
      "Ship to 221B Baker Street, or Hauptstraße 5, or 12 rue de la Paix, or Via Roma 10.",
    ),
    [
      "address:221B Baker Street",
      "address:Hauptstraße 5",
      "address:12 rue de la Paix",
      "address:Via Roma 10",
    ],
  );
});

Deno.test("findAddresses() leaves numbers before ordinary words alone", () => {
  assert.deepEqual(found(findAddresses, "We sent 3 emails via email 2 times on Street level"), []);
});
