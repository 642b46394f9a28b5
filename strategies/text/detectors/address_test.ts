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

Deno.test("findAddresses() finds streets of many locales with their flat, postcode and town", () => {
  const text = [
    "Send it to 41282 Pearl Park Apt. 294, 90637 Kerluketon.",
    "Neue Adresse: Alfred-Delp-Str. 19c\n08137 Passau\nDanke",
    "Envoyez à 6711 Rue d'Orsel, 08886 Les Abymes.",
    "Dirección: Riera María de los Ángeles 5 1º A, 20692 Gerona.",
    "Adres: ul. Palacz 9/6 m. 12, 28-064 Osiek.",
    "Adresa: K Topolům 12, 54628 Bílovec.",
    "Adres: Sağlık Sokak 82, 76070 Bursa.",
    "Адрес: Полтавская наб., 368 кв. 578, 320436 Каменск-Уральский.",
    "Address: 25 Evert Gate\nHP2 9GG Upton Harber\nThanks",
  ].join(" ");
  assert.deepEqual(found(findAddresses, text), [
    "address:41282 Pearl Park Apt. 294, 90637 Kerluketon",
    "address:Alfred-Delp-Str. 19c\n08137 Passau",
    "address:6711 Rue d'Orsel, 08886 Les Abymes",
    "address:Riera María de los Ángeles 5 1º A, 20692 Gerona",
    "address:ul. Palacz 9/6 m. 12, 28-064 Osiek",
    "address:K Topolům 12, 54628 Bílovec",
    "address:Sağlık Sokak 82, 76070 Bursa",
    "address:Полтавская наб., 368 кв. 578, 320436 Каменск-Уральский",
    "address:25 Evert Gate\nHP2 9GG Upton Harber",
  ]);
});

Deno.test("findAddresses() takes no count of things, size or version for a street", () => {
  assert.deepEqual(
    found(findAddresses, "3 Ways to win, size 6 Casual Flat shoes, 18 K Gold, version 2 K Download"),
    [],
  );
});
