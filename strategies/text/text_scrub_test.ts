import assert from "node:assert/strict";
import { MaskerFactory } from "../../plan/maskers.ts";
import { fakeFirstNameStrategy, fakeFullNameStrategy, fakeLastNameStrategy } from "../fake/name.ts";
import { Keyring } from "../keyed/keyring.ts";
import { StrategyRegistry } from "../registry.ts";
import { StrategyParamsError } from "../errors.ts";
import type { BatchContext, Cell, ColumnInfo, ColumnMasker } from "../types.ts";
import { textScrub } from "./text_scrub.ts";

const MASTER = new TextEncoder().encode("text-scrub-test-master-key-0123456789");
const OTHER = new TextEncoder().encode("text-scrub-other-master-key-0123456789");

const COLUMN: ColumnInfo = {
  schema: "public",
  table: "tickets",
  column: "body",
  ordinal: 2,
  type: "text",
  baseType: "text",
  family: "string",
  elementFamily: "string",
  maxLength: null,
  notNull: false,
  unique: false,
  generated: false,
  identity: "",
};

async function masker(
  params: Record<string, unknown>,
  master = MASTER,
  column = COLUMN,
): Promise<ColumnMasker> {
  const registry = new StrategyRegistry().add(textScrub).add(fakeFullNameStrategy);
  const factory = new MaskerFactory(registry, await Keyring.create(master));
  return await factory.create({ strategy: "text.scrub", workers: 0, ...params }, column);
}

function batch(columns: Record<string, Cell[]> = {}): BatchContext {
  return { table: { schema: "public", table: "tickets" }, firstRow: 1, column: (name) => columns[name] };
}

const TICKET = "Hi, I'm Giulia Bianchi (giulia.b@example.com), card 4111 1111 1111 1111. Thanks!";

Deno.test("text.scrub with replace: tag keeps the text around each tag byte for byte", async () => {
  const m = await masker({ workers: 1 });
  try {
    assert.deepEqual(await m.mask([TICKET, null, "", "nothing to see"], batch()), [
      "Hi, I'm [PERSON] ([EMAIL]), card [CARD]. Thanks!",
      null,
      "",
      "nothing to see",
    ]);
  } finally {
    await m.close?.();
  }
});

Deno.test("text.scrub with replace: hash is deterministic per key and per value", async () => {
  const a = await masker({ replace: "hash" });
  const b = await masker({ replace: "hash" });
  const c = await masker({ replace: "hash" }, OTHER);
  const [x] = await a.mask([TICKET], batch());
  const [y] = await b.mask([TICKET.replace("Giulia Bianchi", "GIULIA  BIANCHI")], batch());
  const [z] = await c.mask([TICKET], batch());
  assert.match(
    x!,
    /^Hi, I'm \[PERSON:[0-9a-f]{10}\] \(\[EMAIL:[0-9a-f]{10}\]\), card \[CARD:[0-9a-f]{10}\]\. Thanks!$/,
  );
  assert.equal(y, x);
  assert.notEqual(z, x);
});

Deno.test("text.scrub takes a replacement mode per entity, tag for the ones left out", async () => {
  const m = await masker({
    replace: { email: "redact", card: "hash" },
    entities: ["email", "card", "person"],
  });
  const [out] = await m.mask([TICKET], batch());
  assert.match(out!, /^Hi, I'm \[PERSON\] \(\[REDACTED\]\), card \[CARD:[0-9a-f]{10}\]\. Thanks!$/);
});

Deno.test("text.scrub with replace: fake writes what fake.full_name gives for the same name", async () => {
  const registry = new StrategyRegistry().add(textScrub).add(fakeFullNameStrategy);
  const factory = new MaskerFactory(registry, await Keyring.create(MASTER));
  const scrub = await factory.create({
    strategy: "text.scrub",
    workers: 0,
    entities: ["person"],
    replace: "fake",
  }, COLUMN);
  const names = await factory.create({ strategy: "fake.full_name" }, COLUMN);
  const [fake] = await names.mask(["Giulia Bianchi"], batch());
  assert.equal(typeof fake, "string");
  const out = await scrub.mask(["Call giulia BIANCHI now", "Giulia Bianchi called"], batch());
  assert.deepEqual(out, [`Call ${fake} now`, `${fake} called`]);
});

Deno.test("text.scrub with person_style: first_last writes what the split name columns get", async () => {
  const registry = new StrategyRegistry().add(textScrub).add(fakeFirstNameStrategy).add(fakeLastNameStrategy);
  const factory = new MaskerFactory(registry, await Keyring.create(MASTER));
  const scrub = await factory.create(
    { strategy: "text.scrub", workers: 0, entities: ["person"], replace: "fake", person_style: "first_last" },
    COLUMN,
  );
  const first = await factory.create({ strategy: "fake.first_name" }, COLUMN);
  const last = await factory.create({ strategy: "fake.last_name" }, COLUMN);
  const [f] = await first.mask(["Giulia"], batch());
  const [l] = await last.mask(["Bianchi"], batch());
  const out = await scrub.mask(["Call giulia BIANCHI now", "Thanks, Giulia"], batch());
  assert.deepEqual(out, [`Call ${f} ${l} now`, `Thanks, ${f}`]);
});

Deno.test("text.scrub refuses replace: fake for an entity whose fake strategy is missing", async () => {
  await assert.rejects(
    () => masker({ entities: ["email"], replace: "fake" }),
    (e: Error) => {
      assert.match(
        e.message,
        /^Cannot use replace "fake" for email in text\.scrub as strategy "fake\.email" is not usable: /,
      );
      assert.match(e.message, /'fake\.email'/);
      return true;
    },
  );
});

Deno.test("text.scrub refuses replace: hash without a key", async () => {
  await assert.rejects(
    async () =>
      await textScrub.create({
        params: textScrub.params.parse({ replace: "hash", workers: 0 }),
        column: COLUMN,
        key: null,
        domain: "text.scrub",
        unique: false,
        resolve: () => Promise.reject(new Error("unused")),
      }),
    StrategyParamsError,
    'Cannot use replace "hash" in text.scrub as the policy has no key',
  );
});

Deno.test("text.scrub finds the row's own names from names_from columns in any casing", async () => {
  const m = await masker({
    names_from: ["first_name", "last_name"],
    entities: ["person"],
    person_model: false,
  });
  assert.deepEqual(m.reads, ["first_name", "last_name"]);
  const out = await m.mask(
    ["ask quorin about it", "ask quorin about it"],
    batch({ first_name: ["Quorin", "Ana"], last_name: ["Blathwick", null] }),
  );
  assert.deepEqual(out, ["ask [PERSON] about it", "ask quorin about it"]);
});

Deno.test("text.scrub cuts the result to the column's maximum length", async () => {
  const m = await masker({ entities: ["email"] }, MASTER, { ...COLUMN, maxLength: 12 });
  assert.deepEqual(await m.mask(["a@bc.io x", "mail me: a@bc.io"], batch()), ["[EMAIL] x", "mail me: [EM"]);
});

Deno.test("text.scrub finds the customer's known_names in any casing, in every row", async () => {
  const m = await masker({ known_names: ["Quorin Blathwick"], entities: ["person"], person_model: false });
  const out = await m.mask(["ask QUORIN about it", "blathwick called"], batch());
  assert.deepEqual(out, ["ask [PERSON] about it", "[PERSON] called"]);
});

Deno.test("text.scrub finds with its model names no word list holds", async () => {
  const text = "Yesterday Mr. Okonkwo-Baptiste and Ifeoma Adaeze Nwachukwu visited the branch.";
  const withModel = await masker({ entities: ["person"], nlp: false, unknown_as_person: false });
  assert.equal(
    (await withModel.mask([text], batch()))[0],
    "Yesterday Mr. [PERSON] and [PERSON] visited the branch.",
  );
});
