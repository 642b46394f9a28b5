import assert from "node:assert/strict";
import {
  COMMON,
  ENGLISH,
  FAMILY,
  gazetteer,
  GIVEN,
  PARTICLE,
  PLACE,
  STOP,
  TITLE,
  WIDE,
} from "./gazetteer.ts";

Deno.test("gazetteer() reads names of many locales, places, titles and ordinary words from the generated module", () => {
  const g = gazetteer();
  assert.ok(g.flags.size > 50_000, `${g.flags.size} words`);
  for (const locale of ["de", "en", "en_IN", "fr", "it", "ru", "tr", "vi"]) {
    assert.ok(g.locales.includes(locale), locale);
  }
  const has = (word: string, flag: number) => assert.ok((g.flags.get(word) ?? 0) & flag, `${word} & ${flag}`);
  has("giulia", GIVEN);
  has("nguyen", FAMILY);
  has("yilmaz", FAMILY);
  has("maria", GIVEN | WIDE);
  has("berlin", PLACE);
  has("dr", TITLE);
  has("printer", COMMON);
  has("the", STOP);
  assert.equal(g.flags.get("printer")! & (GIVEN | FAMILY), 0);
  // The English dictionary: frequent words are ordinary even when some list holds them as names.
  for (const w of ["job", "chase", "mark", "beer"]) has(w, COMMON | ENGLISH);
  assert.equal(g.flags.get("job")! & COMMON, COMMON);
  // Rare dictionary words are known, not ordinary; particles stay particles.
  assert.equal(g.flags.get("manslaughter")! & ENGLISH, ENGLISH);
  has("van", PARTICLE);
});

Deno.test("gazetteer() holds country, currency and state codes and family names of two words, apart from the word flags", () => {
  const g = gazetteer();
  for (const code of ["de", "deu", "eur", "ny", "nsw"]) assert.ok(g.codes.has(code), code);
  assert.ok(!g.codes.has("anna"));
  const le = (g.compounds.get("le") ?? []).map((parts) => parts.join(" "));
  assert.ok(le.includes("le gall") && le.includes("le roux"), le.join(", "));
  assert.ok((g.compounds.get("van") ?? []).some((parts) => parts.join(" ") === "van der meer"));
});
