import assert from "node:assert/strict";
import { allLocales } from "@faker-js/faker";
import { FAKER_LOCALES, fakerParent, loadedLocales } from "./definitions.ts";
import { LOCALE_ALIASES, LocaleData, LOCALES } from "./locale.ts";

type Defs = Record<string, Record<string, unknown>>;
const ALL = allLocales as unknown as Record<string, Defs>;

/** How a lookup resolved when every locale was loaded up front: the first locale of the chain that has it. */
function expected(name: string, path: string): unknown {
  const faker = (LOCALE_ALIASES as Record<string, string>)[name] ?? name;
  const chain = [faker];
  const lang = faker.split("_")[0];
  if (lang !== faker && ALL[lang]) chain.push(lang);
  if (!chain.includes("en")) chain.push("en");
  chain.push("base");
  for (const defs of chain.map((l) => ALL[l])) {
    let node: unknown = defs;
    for (const p of path.split(".")) {
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[p] : undefined;
    }
    if (node !== undefined && node !== null) return node;
  }
  return undefined;
}

/** Every `category.entry` path of every locale, and `category.entry.sub` below entries that are objects. */
function allPaths(): string[] {
  const paths = new Set<string>();
  for (const defs of Object.values(ALL)) {
    for (const [category, entries] of Object.entries(defs)) {
      for (const [entry, value] of Object.entries(entries ?? {})) {
        paths.add(`${category}.${entry}`);
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
          for (const sub of Object.keys(value)) paths.add(`${category}.${entry}.${sub}`);
        }
      }
    }
  }
  return [...paths];
}

Deno.test("A locale not loaded yet is refused by name, with the call that loads it", () => {
  assert.ok(!loadedLocales().includes("yo_NG"));
  assert.throws(
    () => LocaleData.of("yo_NG"),
    /Cannot use locale "yo_NG" before its data is loaded.*LocaleData\.load\("yo_NG"\)/,
  );
});

Deno.test("An unknown locale is a RangeError, whether loaded or looked up", async () => {
  assert.throws(() => LocaleData.of("xx_YY"), RangeError);
  await assert.rejects(LocaleData.load("xx_YY"), RangeError);
  await assert.rejects(LocaleData.load("base"), RangeError);
});

Deno.test("The locale list is faker's allLocales (without base) after the short names", () => {
  assert.deepEqual([...FAKER_LOCALES].sort(), Object.keys(allLocales).sort());
  const short = Object.keys(LOCALE_ALIASES);
  assert.deepEqual(LOCALES.slice(0, short.length), short);
  assert.deepEqual(
    [...LOCALES.slice(short.length)],
    Object.keys(allLocales).filter((l) => l !== "base" && !short.includes(l)).sort(),
  );
});

Deno.test("Each faker locale falls back first to the locale fakerParent names", () => {
  assert.equal(fakerParent("base"), null);
  assert.equal(fakerParent("en"), "base");
  assert.equal(fakerParent("de"), "en");
  assert.equal(fakerParent("de_AT"), "de");
  assert.equal(fakerParent("en_AU_ocker"), "en_AU");
  assert.equal(fakerParent("pt_BR"), "en");
});

Deno.test("Locales loaded on demand give every lookup the same value as allLocales", async () => {
  const paths = allPaths();
  for (const name of LOCALES) {
    const data = await LocaleData.load(name);
    for (const path of paths) {
      assert.deepEqual(data.raw(path), expected(name, path), `${name} ${path}`);
    }
  }
});

Deno.test("Building a fake masker for one locale loads only it and its fallbacks", async () => {
  const code = `
    import { maskValues } from "./strategies/_test_utils.ts";
    import { loadedLocales } from "./strategies/fake/definitions.ts";
    const before = loadedLocales().join(",");
    await maskValues("fake.full_name", { locale: "de_AT" }, ["Anna Müller"]);
    console.log(before + "|" + loadedLocales().sort().join(","));
  `;
  const root = new URL("../../", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "|base,de,de_AT,en");
});
