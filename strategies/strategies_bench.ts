/**
 * Values per second of every built-in strategy, masking batches of 2,000 values through the production
 * registry path. Two inputs per strategy: all-distinct values (the memo never hits, the cost of the
 * strategy itself) and a column with 1,000 distinct values (the common case the memo serves).
 *
 * Run with: deno task bench:strategies
 */
import { builtinStrategies } from "./builtins.ts";
import { exampleColumn } from "./_example_column.ts";
import { batchOf, makeMasker } from "./_test_utils.ts";
import type { ColumnInfo } from "./types.ts";

const BATCH = 2_000;

/** A different day for each `i` up to about 100 years. */
function dateOf(i: number): string {
  return new Date(Date.UTC(1930, 0, 1) + (i % 36_500) * 86_400_000).toISOString().slice(0, 10);
}
const registry = builtinStrategies();

/** A source value of row `i` for a strategy's first column type, and its example params. */
const INPUTS: Record<string, { params?: Record<string, unknown>; value: (i: number) => string }> = {
  "fake.card": { value: (i) => `4111 1111 ${String(i).padStart(8, "0")}` },
  "fake.iban": { value: (i) => `DE89 3704 0044 ${String(i).padStart(10, "0")}` },
  "fake.ip": { value: (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  "fake.phone": { value: (i) => `+1 415 ${String(i).padStart(7, "0")}` },
  "fake.ssn": { value: (i) => String(100_000_000 + i).replace(/^(\d{3})(\d{2})/, "$1-$2-") },
  "fake.date_of_birth": { value: dateOf },
  "date.shift": { value: dateOf },
  "date.truncate": { value: dateOf },
  "number.noise": { params: { ratio: 0.1 }, value: (i) => `${i}.25` },
  "number.round": { params: { to: 10 }, value: (i) => `${i}.25` },
  "number.bucket": { params: { width: 10 }, value: (i) => `${i}.25` },
  "postcode.truncate": { params: { keep: 4 }, value: (i) => `SW${i} 1AA` },
  "date.age_band": { params: { as_of: "2025-01-01" }, value: dateOf },
  "constant": { params: { value: "x" }, value: (i) => `v${i}` },
  "template": {
    params: { template: "{{fake.first_name}}.{{hash:6}}@example.com" },
    value: (i) => `user${i}`,
  },
  "regex": { params: { pattern: "\\d", replace: "#" }, value: (i) => `Flat ${i}, Baker St` },
  "json": {
    params: { paths: { "$.email": "fake.email", "$.tags[*]": "redact" }, others: "keep" },
    value: (i) => `{"email": "u${i}@corp.example", "tags": ["a", "b"], "n": ${i}}`,
  },
  "array": { params: { element: "fake.email" }, value: (i) => `{u${i}@corp.example,v${i}@corp.example}` },
  "text.scrub": {
    value: (i) => `Call Ana Lopez on +1 415 555 ${String(i % 10000).padStart(4, "0")} about ticket ${i}`,
  },
};

/** `i` as five upper-case letters: a customer code such as `ALFKI`. */
function code(i: number): string {
  let s = "";
  for (let k = 0; k < 5; k++, i = Math.floor(i / 26)) s = String.fromCharCode(65 + (i % 26)) + s;
  return s;
}

/** Modes of a strategy the registry loop does not reach: params and `unique: true`. */
const VARIANTS: {
  title: string;
  name: string;
  params: Record<string, unknown>;
  value: (i: number) => string;
}[] = [
  {
    title: "hash format shape (unique)",
    name: "hash",
    params: { format: "shape" },
    value: (i) => code(i * 7),
  },
  {
    title: "fake.email unique (digits)",
    name: "fake.email",
    params: {},
    value: (i) => `person${i}@corp.example`,
  },
  {
    title: "fake.email unique (token)",
    name: "fake.email",
    params: { unique_suffix: "token" },
    value: (i) => `person${i}@corp.example`,
  },
  { title: "fake.username unique (digits)", name: "fake.username", params: {}, value: (i) => `user${i}` },
  // A number outside North America, beside the registry loop's `+1 415 …`.
  {
    title: "fake.phone +44 20 (unique)",
    name: "fake.phone",
    params: {},
    value: (i) => `+44 20 ${String(i).padStart(8, "0")}`,
  },
];

function bench(
  title: string,
  name: string,
  params: Record<string, unknown>,
  options: { column: Partial<ColumnInfo>; unique: boolean; value: (i: number) => string },
): void {
  for (const [label, distinct] of [["distinct", 1_000_000_000], ["1k distinct", 1_000]] as const) {
    // Each iteration masks one batch with a fresh offset, so "distinct" never repeats a value.
    let masker: Awaited<ReturnType<typeof makeMasker>> | null = null;
    let round = 0;
    const batch = batchOf({ customer_id: Array.from({ length: BATCH }, (_, i) => String(i % 100)) });
    Deno.bench({
      name: `${title} (${label})`,
      group: label,
      n: 20,
      warmup: 5,
      async fn(b) {
        masker ??= await makeMasker(name, params, { column: options.column, unique: options.unique });
        const values = Array.from(
          { length: BATCH },
          (_, i) => options.value(distinct === 1_000 ? i % distinct : round * BATCH + i),
        );
        round++;
        b.start();
        await masker.mask(values, batch);
        b.end();
      },
    });
  }
}

// text.scrub has its own bench (deno task bench:text): free text is measured per document, not per value.
for (const def of registry.list().filter((d) => d.meta.name !== "text.scrub")) {
  const name = def.meta.name;
  const params = INPUTS[name]?.params ?? (def.meta.examples?.[0]?.params ?? {});
  const value = INPUTS[name]?.value ?? ((i: number) => `Person Number ${i}`);
  bench(name, name, params, { column: exampleColumn(def), unique: false, value });
}
for (const v of VARIANTS) {
  bench(v.title, v.name, v.params, {
    column: exampleColumn(registry.get(v.name)!),
    unique: true,
    value: v.value,
  });
}

// Rules that read their row, beside the plain strategies above (group "row"): the locale of each row from
// a country column (five locales, all-distinct values), and a template filled from the row's masked names.
const COUNTRIES = ["DE", "FR", "GB", "it_IT", "Narnia"];
const ROW_CASES: { name: string; strategy: string; params: Record<string, unknown> }[] = [
  { name: "fake.full_name", strategy: "fake.full_name", params: {} },
  {
    name: "fake.full_name locale_from: (5 countries)",
    strategy: "fake.full_name",
    params: { locale_from: "country" },
  },
  { name: "fake.postcode", strategy: "fake.postcode", params: {} },
  {
    name: "fake.postcode locale_from: (5 countries)",
    strategy: "fake.postcode",
    params: { locale_from: "country" },
  },
  {
    name: "template from 2 masked columns of the row, ascii-folded",
    strategy: "template",
    params: { template: "{{first_name|ascii}}.{{last_name|ascii}}@example.com" },
  },
];
for (const c of ROW_CASES) {
  let masker: Awaited<ReturnType<typeof makeMasker>> | null = null;
  let round = 0;
  const batch = batchOf(
    { country: Array.from({ length: BATCH }, (_, i) => COUNTRIES[i % COUNTRIES.length]) },
    {
      first_name: Array.from({ length: BATCH }, (_, i) => `Émilie${i % 97}`),
      last_name: Array.from({ length: BATCH }, (_, i) => `O'Connor${i % 89}`),
    },
  );
  Deno.bench({
    name: `${c.name} (row)`,
    group: "row",
    n: 20,
    warmup: 5,
    async fn(b) {
      masker ??= await makeMasker(c.strategy, c.params);
      const values = Array.from({ length: BATCH }, (_, i) => `Person Number ${round * BATCH + i}`);
      round++;
      b.start();
      await masker.mask(values, batch);
      b.end();
    },
  });
}
