/**
 * Splits text into word tokens with what the name detector needs about each: folded key, gazetteer
 * flags, casing, whether it opens a sentence, and what separates it from the previous token.
 *
 * @module
 */
import { fold } from "./fold.ts";
import type { WordFlags } from "./_word_table.ts";
import { TITLE } from "./gazetteer.ts";

/** Casing of a token. */
export const LOWER = 0;
/** First letter upper case, some lower case after it ("Maria", "McDonald"). */
export const TITLE_CASE = 1;
/** Every letter upper case, at least two letters ("MARIA"). */
export const UPPER = 2;
/** Anything else ("iPhone", "mARIA", a lone capital "J"). */
export const MIXED = 3;

/** Tokens of one text, as parallel arrays. */
export interface Tokens {
  count: number;
  start: number[];
  end: number[];
  /** The token's text as written. */
  word: string[];
  key: string[];
  flags: number[];
  casing: number[];
  /** First token of a sentence, a line, or after a colon. */
  sentenceStart: boolean[];
  /** Joined to the previous token by up to three spaces or a hyphen only, so both can belong to one name. */
  joined: boolean[];
  /** The previous token is a single capital letter followed by "." and a space ("John F. Kennedy"). */
  afterInitial: boolean[];
  /** 0-based sentence number of each token. */
  sentence: number[];
}

const TOKEN = /@[\p{L}\p{N}_]{2,}|[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;
const BREAK = /[.!?…\n\r:;|•"“”()[\]{}<>]/;
const JOIN = /^(?:[ \t\u00a0]{1,3}|-)$/;
const UPPER_RE = /^[^\p{Ll}]*$/u;

/** Tokenises `text`, looking each token up in `flagsOf` (folded word → flags). */
export function tokenize(text: string, flagsOf: WordFlags): Tokens {
  const t: Tokens = {
    count: 0,
    start: [],
    end: [],
    word: [],
    key: [],
    flags: [],
    casing: [],
    sentenceStart: [],
    joined: [],
    afterInitial: [],
    sentence: [],
  };
  let prevEnd = 0;
  let sentence = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const word = m[0];
    const gap = text.slice(prevEnd, m.index);
    const first = t.count === 0;
    const n = t.count;
    const initial = n > 0 && t.end[n - 1] - t.start[n - 1] === 1 && t.casing[n - 1] === MIXED &&
      /^\. ?$/.test(gap);
    // "Mr. Leiva", "Dr. Bailey": the full stop of a title ends no sentence.
    const afterTitle = n > 0 && (t.flags[n - 1] & TITLE) !== 0 && /^\. ?$/.test(gap);
    const breaks = !initial && !afterTitle && BREAK.test(gap);
    if (breaks && !first) sentence++;
    t.start.push(m.index);
    t.end.push(m.index + word.length);
    t.word.push(word);
    const key = word.charCodeAt(0) === 64 ? word : fold(word);
    t.key.push(key);
    t.flags.push(flagsFor(word, key, flagsOf));
    t.casing.push(casingOf(word));
    t.sentenceStart.push(first || breaks);
    t.joined.push(!first && (gap === " " || JOIN.test(gap) || initial || afterTitle));
    t.afterInitial.push(initial);
    t.sentence.push(sentence);
    t.count++;
    prevEnd = m.index + word.length;
  }
  return t;
}

// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const NAME_FLAGS = 3;
const ENGLISH_ONLY = 4 | 64 | 2048;

/**
 * The gazetteer flags of a word. A hyphenated word unknown as a whole is a name when all its parts are;
 * a word with letters beyond ASCII is never an ordinary English word, whatever its folded form says.
 */
function flagsFor(word: string, key: string, flagsOf: WordFlags): number {
  let f = flagsOf.get(key);
  if (f === undefined && key.includes("-")) {
    const parts = key.split("-").map((p) => flagsOf.get(p) ?? 0);
    f = parts.every((p) => p & NAME_FLAGS) ? parts.reduce((a, b) => a | (b & NAME_FLAGS), 0) : 0;
  }
  f ??= 0;
  if (f & ENGLISH_ONLY && !ASCII.test(word)) f &= ~ENGLISH_ONLY;
  return f;
}

/** The casing class of a word. */
export function casingOf(word: string): number {
  const c = word.charCodeAt(0);
  if (c === 64) return MIXED;
  const head = word[0];
  const headUpper = head !== head.toLowerCase();
  if (!headUpper) return word === word.toLowerCase() ? LOWER : MIXED;
  if (word.length === 1) return MIXED;
  if (UPPER_RE.test(word)) return UPPER;
  return TITLE_CASE;
}
