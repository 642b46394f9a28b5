/**
 * Golden outputs: the masked values of the keyed strategies for a fixed key and varied inputs must
 * not change, as pseudonyms already written, unique columns and the text scrubber's names depend on
 * them. Each case stores the SHA-256 (first 16 hex digits) of its outputs, one per line; a speed-up
 * that changes any output fails here.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fakeFirstName, fakeFullName, fakeLastName } from "./fake/name.ts";
import { LocaleData } from "./fake/locale.ts";
import { maskValues, mix, subkey, TEST_MASTER } from "./_test_utils.ts";
import type { ColumnInfo } from "./types.ts";

const COUNT = 2_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

const NAMES = [
  "James",
  "Mary",
  "Zoë",
  "José",
  "  JOHN   smith ",
  "Anna Müller",
  "李",
  "Ølga",
  "o'brien",
  "de Vries",
];

const INPUTS: Record<string, (i: number) => string> = {
  name: (i) => `${NAMES[mix(i, 1) % NAMES.length]} ${i % 3 === 0 ? NAMES[mix(i, 2) % NAMES.length] : ""}${i}`,
  email: (
    i,
  ) => (i % 7 === 0
    ? `Ünïcode.${i}@Exämple.com`
    : `${NAMES[mix(i, 3) % 4].toLowerCase()}.x${i}@corp.example`),
  phone: (i) =>
    [
      `+${1 + (mix(i, 4) % 89)} ${pad(mix(i, 5) % 1e9, 9)}`,
      `0${pad(mix(i, 6) % 1e10, 10)}`,
      `(415) 555-${pad(i % 10000, 4)}`,
      `12${i % 10}`,
      `+44 20 ${pad(mix(i, 7) % 1e8, 8)}`,
      `${pad(mix(i, 8), 10)}${pad(mix(i, 9), 10)}${pad(mix(i, 10), 10)}${pad(i, 6)}`,
    ][i % 6],
  street: (i) => [`${1 + (i % 250)} High Street`, `Rue de la Paix ${i}`, `  ${i} BAKER st `][i % 3],
  iban: (i) =>
    [
      `DE${pad(mix(i, 11) % 100, 2)}${pad(mix(i, 12) % 1e9, 9)}${pad(mix(i, 13) % 1e9, 9)}`,
      `GB29 NWBK 6016 ${pad(mix(i, 14) % 1e8, 8)}`,
      `FR76 ${pad(mix(i, 15) % 1e9, 9)} ${pad(mix(i, 16) % 1e9, 9)} ${pad(i % 100000, 5)}`,
      `not an iban ${i}`,
    ][i % 4],
  card: (i) =>
    [
      `4${pad(mix(i, 18) % 1e7, 7)}${pad(mix(i, 19) % 1e8, 8)}`,
      `3782 822463 ${pad(i % 1e5, 5)}`,
      `5105-1051-0510-${pad(i % 1e4, 4)}`,
      `card ${i}`,
    ][i % 4],
  ssn: (i) =>
    [
      `${pad(mix(i, 22) % 1000, 3)}-${pad(mix(i, 23) % 100, 2)}-${pad(mix(i, 24) % 10000, 4)}`,
      `AB${pad(i, 6)}C`,
    ][i % 2],
  text: (i) => (i % 5 === 0 ? `ünï ${i}` : `Person Number ${i} ${"x".repeat(i % 40)}`),
  int: (i) => String((i % 2 ? -1 : 1) * (mix(i, 30) % 2147483647)),
};

const INT4: Partial<ColumnInfo> = {
  family: "integer",
  type: "integer",
  baseType: "int4",
  elementFamily: "integer",
};

/** Strategy, params, options, inputs and the hash of the outputs. */
const CASES: [
  string,
  Record<string, unknown>,
  { unique?: boolean; column?: Partial<ColumnInfo> },
  string,
  string,
][] = [
  ["fake.first_name", {}, {}, "name", "9acc8f4f4ca88649"],
  ["fake.last_name", {}, {}, "name", "1ad9cd6aaaea568c"],
  ["fake.full_name", {}, {}, "name", "d06986a73feba005"],
  ["fake.full_name", { locale: "de" }, {}, "name", "d34bfd62148bd84c"],
  ["fake.email", {}, { unique: true }, "email", "597b45cbc98090a0"],
  ["fake.email", { unique_suffix: "token" }, { unique: true }, "email", "bb3f9389a72fff50"],
  ["fake.email", {}, {}, "email", "54de7700c3bd8f0d"],
  ["fake.phone", {}, {}, "phone", "46d95a141bcff20f"],
  ["fake.street", { locale: "fr" }, {}, "street", "2706bb744aea15a2"],
  ["fake.street", {}, {}, "street", "f7f5704ce8322d28"],
  ["fake.iban", {}, {}, "iban", "5a32011712372466"],
  ["fake.card", {}, {}, "card", "984985b2dcd11a61"],
  ["fake.ssn", {}, {}, "ssn", "873cafd2c47bdd60"],
  ["hash", {}, {}, "text", "8ebe1b4b764d038f"],
  ["hash", { format: "base32" }, { unique: true }, "text", "857c5928e66426b3"],
  ["hash", {}, { column: INT4 }, "int", "2ef3e1693f4cb173"],
];

async function digest(lines: readonly unknown[]): Promise<string> {
  const bytes = new TextEncoder().encode(lines.map(String).join("\n"));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("Keyed strategies give the same outputs as when their golden hashes were recorded", async () => {
  for (const [strategy, params, options, input, expected] of CASES) {
    const values = Array.from({ length: COUNT }, (_, i) => INPUTS[input](i));
    const hash = await digest(await maskValues(strategy, params, values, options));
    assert.equal(hash, expected, `${strategy} ${JSON.stringify(params)} ${JSON.stringify(options)}`);
  }
});

Deno.test("The scrubber's name functions give the same outputs as when their golden hash was recorded", async () => {
  await Promise.all(["en", "de", "fr"].map((l) => LocaleData.load(l)));
  const key = await subkey(TEST_MASTER, "text.scrub");
  const lines = Array.from({ length: COUNT }, (_, i) => {
    const v = INPUTS.name(i);
    return `${fakeFirstName(key, v)}/${fakeLastName(key, v, "de")}/${fakeFullName(key, v, "fr")}`;
  });
  assert.equal(await digest(lines), "988e4c71167eafaa");
});
