/**
 * Person, place and organisation names. Cheap rules decide most words: gazetteer names that are not also
 * ordinary words (in any casing), capitalised gazetteer names inside a sentence, the row's own names, cue
 * words (titles, greetings, sign-offs, "my name is", @handles), and chains of name-like words next to a
 * name. Only sentences that still hold an unexplained capitalised word go to compromise, which costs far
 * more per word than everything else together.
 *
 * @module
 */
import type { Span } from "./entities.ts";
import {
  CALENDAR,
  COMMON,
  ENGLISH,
  FAMILY,
  type Gazetteer,
  GIVEN,
  GREETING,
  ORG_SUFFIX,
  PARTICLE,
  PLACE,
  STOP,
  TITLE,
  WIDE,
  type WordFlags,
} from "./gazetteer.ts";
import { dropCodes } from "./_codes.ts";
import { wholeCompounds } from "./_compound_names.ts";
import { compromiseNames } from "./_nlp.ts";
import { ROLES } from "./_roles.ts";
import { type NerModel, personProbabilities } from "./_ner_model.ts";
import { LOWER, MIXED, TITLE_CASE, tokenize, type Tokens, UPPER } from "./_tokens.ts";

const NAME = GIVEN | FAMILY;
/** Phrases after which the next word is a name in any casing. */
const INTRO = new Set([
  "my name is",
  "name is",
  "this is",
  "i am",
  "i'm",
  "im",
  "call me",
  "ich bin",
  "je suis",
  "me llamo",
  "mi chiamo",
  "ik ben",
  "signed",
  "from",
]);

const PLACE_PREPOSITIONS = new Set([
  "in",
  "to",
  "from",
  "at",
  "near",
  "into",
  "via",
  "visit",
  "visiting",
  "visited",
  "around",
  "across",
  "of",
]);

/** Words after which a capitalised word no list knows is a thing, not a person. */
const DETERMINERS = new Set([
  "the",
  "a",
  "an",
  "my",
  "your",
  "his",
  "our",
  "their",
  "its",
  "this",
  "these",
  "those",
  "some",
  "any",
  "every",
  "no",
]);

/** Endings of English words the lexicon lists only in their base form ("continues", "amazing"). */
const ENGLISH_SHAPE = /(?:ing|ed|ly|tion|ness|ment|able|ful|less|ous|ive|ize|ise|(.)\1\1)$/;

/** What to look for. */
export interface NameOptions {
  person: boolean;
  location: boolean;
  organization: boolean;
  /** Run compromise on sentences the rules cannot settle (default true). */
  nlp?: boolean;
  /** Take unknown capitalised words no other rule settles for names (default true). */
  unknownAsPerson?: boolean;
  /** The person-name model and the probability from which it takes a word for a name; none: rules only. */
  model?: { ner: NerModel; threshold: number };
  /** Folded names the customer listed (`known_names`), found in any casing like the row's own names. */
  knownNames?: ReadonlySet<string>;
}

/**
 * Appends person, location and organisation spans found in `text`.
 *
 * @param rowNames folded names from the same row's columns (`names_from`), matched in any casing.
 */
export function findNames(
  text: string,
  out: Span[],
  options: NameOptions & { gazetteer: Gazetteer; rowNames?: ReadonlySet<string> },
): void {
  const tk = tokenize(text, options.gazetteer.flags);
  const n = tk.count;
  if (n === 0) return;
  const headline = headlineSentences(tk);
  // Lower-case words, and every word of a headline, carry no casing cue.
  const plain = (i: number) => tk.casing[i] === LOWER || headline.has(tk.sentence[i]);
  const name = new Uint8Array(n);
  // Words a cue makes names (a title, greeting or introduction before, a name question, the row's names).
  const cued = new Uint8Array(n);
  const rowNames = options.rowNames;
  // Words inside an e-mail address, URL or number found earlier are not names of their own.
  const covered = new Uint8Array(n);
  if (out.length > 0) {
    for (let i = 0; i < n; i++) {
      for (const s of out) if (s.start < tk.end[i] && s.end > tk.start[i]) covered[i] = 1;
    }
  }

  // A name word that is no ordinary word; alone it is a name only when widely known, or next to another.
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = tk.flags[i];
    if (f & NAME && !(f & (COMMON | STOP | TITLE | CALENDAR)) && tk.key[i].length >= 2) {
      candidate[i] = 1;
    }
  }
  for (let i = 0; i < n; i++) {
    const f = tk.flags[i];
    const key = tk.key[i];
    const casing = tk.casing[i];
    if (covered[i]) continue;
    if (key.charCodeAt(0) === 64) {
      name[i] = 1;
      continue;
    }
    if (
      (rowNames?.has(key) || options.knownNames?.has(key)) && (casing !== LOWER || !(f & COMMON))
    ) {
      name[i] = 1;
      cued[i] = 1;
      continue;
    }
    if (!(f & NAME) || f & (STOP | TITLE | CALENDAR)) continue;
    if (candidate[i]) {
      // A well-known name that is also a place ("Davis", "Jordan") is a place only after "in", "to"...
      if (
        f & PLACE && casing === TITLE_CASE && !plain(i) &&
        (!(f & WIDE) || (i > 0 && PLACE_PREPOSITIONS.has(tk.key[i - 1])))
      ) {
        continue;
      }
      const paired = (i > 0 && candidate[i - 1] && tk.joined[i]) ||
        (i + 1 < n && candidate[i + 1] && tk.joined[i + 1]);
      // An upper-case word alone must be long enough not to be an acronym ("IBAN", "LEE" alone are not).
      const inside = (casing === TITLE_CASE || (casing === UPPER && key.length >= 5)) &&
        !tk.sentenceStart[i] &&
        !plain(i);
      if (paired || inside || (f & WIDE && !(f & PLACE) && (casing !== LOWER || key.length >= 3))) {
        name[i] = 1;
      }
    } else if (
      casing === TITLE_CASE && !plain(i) && !(f & PLACE) && (!tk.sentenceStart[i] || subjectOf(tk, i))
    ) {
      // Capitalised inside a sentence, or opening it as the subject of a verb ("Bill is from …").
      name[i] = 1;
    }
  }
  pairs(tk, name, candidate, covered);
  cues(text, tk, name, cued, plain, (i) => stretched(tk.key[i], options.gazetteer.flags));
  // A lower-case word no list knows that opens its sentence as the subject of a verb ("momo is the best").
  for (let i = 0; i < n; i++) {
    if (
      tk.sentenceStart[i] && tk.casing[i] === LOWER && tk.flags[i] === 0 && !covered[i] &&
      tk.key[i].length >= 3 && !ENGLISH_SHAPE.test(tk.key[i]) && subjectOf(tk, i)
    ) name[i] = 1;
  }
  if (options.model) {
    modelNames(text, tk, name, covered, options.model);
    answers(text, tk, name, cued, covered);
    possessives(tk, name, covered, options.gazetteer.flags);
  }
  chains(text, tk, name, plain);

  // Capitalised words the rules could not settle: compromise decides for the sentences holding them.
  const open = new Set<number>();
  const unsettled: number[] = [];
  const orgs: Span[] = [];
  for (let i = 0; i < n; i++) {
    if (name[i] || plain(i) || covered[i]) continue;
    const f = tk.flags[i];
    if (tk.casing[i] !== TITLE_CASE && tk.casing[i] !== UPPER) continue;
    // Acronyms and ids ("IBAN", "ORD-12345", "E38145") are neither names nor places.
    if (tk.casing[i] === UPPER && tk.end[i] - tk.start[i] <= 5) continue;
    if (/^[-_/#]?\d/.test(text.slice(tk.end[i], tk.end[i] + 2))) continue;
    if (f & PLACE && options.location) {
      if (!(f & COMMON) || !tk.sentenceStart[i]) {
        out.push({ start: tk.start[i], end: tk.end[i], entity: "location" });
      }
      continue;
    }
    // A sentence's first word is capitalised anyway, and the word lists miss many ordinary words.
    // A sentence's first word is capitalised anyway: only one that no word list knows at all stays open.
    if (f & (COMMON | STOP | CALENDAR | TITLE | GREETING)) continue;
    if (
      tk.sentenceStart[i] && ((f & ~ENGLISH) !== 0 || ENGLISH_SHAPE.test(tk.key[i]) || !subjectOf(tk, i))
    ) continue;
    // Shouting and stretched words ("ITTTTTTT", "Awwwww") are no names, whatever compromise makes of them.
    if (stretched(tk.key[i], options.gazetteer.flags)) continue;
    if (f & ORG_SUFFIX) {
      if (options.organization) orgBefore(tk, i, orgs);
      continue;
    }
    unsettled.push(i);
    open.add(tk.sentence[i]);
  }
  const others: Span[] = [];
  if (open.size > 0 && options.nlp !== false) {
    const found = compromiseNames(text, windows(tk, unsettled));
    for (const s of found) {
      if (s.entity !== "person") others.push(s);
      else {
        for (let i = 0; i < n; i++) {
          if (tk.start[i] < s.start || tk.end[i] > s.end || tk.flags[i] & STOP || covered[i]) continue;
          if (tk.flags[i] & COMMON && (tk.casing[i] === LOWER || tk.sentenceStart[i] || plain(i))) continue;
          name[i] = 1;
        }
      }
    }
  }
  // An unknown capitalised word inside a sentence that compromise did not call a place or organisation is
  // taken for a name: a missed name leaks, a masked product name does not.
  if (options.unknownAsPerson !== false) {
    for (const i of unsettled) {
      if (others.some((s) => s.start < tk.end[i] && s.end > tk.start[i])) continue;
      const word = text.slice(tk.start[i], tk.end[i]);
      // Plurals ("Titans"), camel-case brands ("SpaceX", "FakeNews") and word fragments are seldom people.
      if (/[^s]s$|\p{Ll}\p{Lu}|-$/u.test(word) && !(tk.flags[i] & NAME)) continue;
      // After "the", "a", "my", "your": a thing ("the Kenworth", "my Galaxy"), not a person.
      if (i > 0 && DETERMINERS.has(tk.key[i - 1]) && !(tk.flags[i] & NAME)) continue;
      // Shouting ("YASSSS", "OMFG") is no name.
      if (tk.casing[i] === UPPER && !(tk.flags[i] & NAME)) continue;
      // A dictionary word inside a run of capitalised words is part of a title or product ("Undead
      // Nightmare", "Dodge Demon"); alone it is more often a name or nickname ("Trump", "Jinx").
      if (
        tk.flags[i] & ENGLISH && !(tk.flags[i] & NAME) &&
        (capitalNeighbour(tk, i, -1) || capitalNeighbour(tk, i, 1))
      ) continue;
      name[i] = 1;
    }
  }
  coordinated(tk, name, covered);
  chains(text, tk, name, plain);
  wholeCompounds(tk, name, covered, options.gazetteer.compounds);
  dropCodes(tk, text, name, cued, options.gazetteer.codes);
  // A legal-entity suffix makes the words before it a company, whatever they looked like alone.
  for (const o of orgs) {
    for (let i = 0; i < n; i++) if (tk.start[i] >= o.start && tk.end[i] <= o.end) name[i] = 0;
    out.push(o);
  }
  // compromise's places and organisations, unless the rules made a person of one of their words.
  for (const o of others) {
    if (
      (o.entity === "location" && !options.location) || (o.entity === "organization" && !options.organization)
    ) continue;
    let clash = false;
    for (let i = 0; i < n && !clash; i++) clash = name[i] === 1 && tk.start[i] < o.end && tk.end[i] > o.start;
    if (!clash && !orgs.some((g) => g.start < o.end && g.end > o.start)) out.push(o);
  }
  if (!options.person) return;
  for (let i = 0; i < n; i++) {
    if (!name[i]) continue;
    let j = i;
    while (j + 1 < n && name[j + 1] && tk.joined[j + 1]) j++;
    out.push({ start: tk.start[i], end: tk.end[j], entity: "person" });
    i = j;
  }
}

/**
 * The model probability a dictionary word with no casing cue (lower-case, or opening its sentence) needs,
 * whatever the threshold, to be taken for a name.
 */
const DICTIONARY_WORD_PROBABILITY = 0.5;

/** A word joined to a number by a hyphen or "#": the prefix of an id ("ORD-16628", "T-1", "INV#7"). */
const ID_PREFIX = /^[-#]\d/;

/**
 * Marks the words the model gives at least `threshold`, except titles, greetings, function words and
 * id prefixes.
 */
function modelNames(
  text: string,
  tk: Tokens,
  name: Uint8Array,
  covered: Uint8Array,
  model: { ner: NerModel; threshold: number },
): void {
  const probs = personProbabilities(text, tk, model.ner);
  for (let i = 0; i < tk.count; i++) {
    if (name[i] || covered[i] || probs[i] < model.threshold) continue;
    if (ID_PREFIX.test(text.slice(tk.end[i], tk.end[i] + 2))) continue;
    const f = tk.flags[i];
    if ((f & (TITLE | GREETING | CALENDAR) || ROLES.has(tk.key[i])) && !(f & NAME)) continue;
    // A title some list also holds as a surname, before a capitalised word: "Frau Evers", "Pani Nowak".
    if (
      f & TITLE && i + 1 < tk.count && tk.joined[i + 1] &&
      (tk.casing[i + 1] === TITLE_CASE || tk.casing[i + 1] === UPPER)
    ) continue;
    if (f & STOP && (tk.casing[i] === LOWER || !(f & NAME))) continue;
    if (article(tk, i)) continue;
    // A dictionary word that is lower-case or capitalised only because it opens a sentence needs the
    // model's confidence, not just its recall-minded threshold ("Password reset …", "Ticket T-1 …");
    // so does one after a greeting ("Hello Team") or before an id ("Order ORD-12345").
    const uncased = tk.casing[i] === LOWER || tk.sentenceStart[i] || (i > 0 && tk.flags[i - 1] & GREETING) ||
      beforeId(text, tk, i);
    if (uncased && f & (COMMON | ENGLISH) && !(f & NAME) && probs[i] < DICTIONARY_WORD_PROBABILITY) continue;
    name[i] = 1;
  }
}

/**
 * Marks a capitalised possessive whose stem is a name and no ordinary word, or a word no list knows
 * ("Sparacino's parcel", "Hudson's order"): the "'s" stays inside the span.
 */
function possessives(tk: Tokens, name: Uint8Array, covered: Uint8Array, flags: WordFlags): void {
  for (let i = 0; i < tk.count; i++) {
    if (name[i] || covered[i] || tk.casing[i] !== TITLE_CASE || !/['’]s$/.test(tk.key[i])) continue;
    const stem = flags.get(tk.key[i].slice(0, -2)) ?? 0;
    if ((stem & NAME && !(stem & COMMON)) || (stem === 0 && tk.key[i].length >= 5)) name[i] = 1;
  }
}

/** "What's your last name?" and the like: the answer after the question is a name, in any casing. */
const NAME_QUESTION = /\b(?:name|surname|spell)\b[^?\n]{0,20}\?/gi;

/**
 * Marks up to three words answering a question for a name: the first words after the question mark
 * (past a speaker label such as "Customer:") that are name words or words no list knows.
 */
function answers(text: string, tk: Tokens, name: Uint8Array, cued: Uint8Array, covered: Uint8Array): void {
  if (!text.includes("?")) return;
  NAME_QUESTION.lastIndex = 0;
  for (let m = NAME_QUESTION.exec(text); m !== null; m = NAME_QUESTION.exec(text)) {
    const after = m.index + m[0].length;
    let i = 0;
    while (i < tk.count && tk.start[i] < after) i++;
    // A speaker label ("Customer: …", "A: …") opens the answer.
    if (i + 1 < tk.count && /^\s*:/.test(text.slice(tk.end[i], tk.start[i + 1]))) i++;
    for (let k = 0; k < 3 && i < tk.count; k++, i++) {
      const f = tk.flags[i];
      if (covered[i] || (k > 0 && !tk.joined[i])) break;
      if (f & (STOP | GREETING | COMMON | ENGLISH | TITLE) && !(f & NAME)) break;
      name[i] = 1;
      cued[i] = 1;
    }
  }
}

/**
 * Sentences whose ordinary words are capitalised (headlines, ALL-CAPS shouting): casing says nothing there.
 * Only ordinary words count, so a sentence full of names is not taken for a headline.
 */
function headlineSentences(tk: Tokens): Set<number> {
  const out = new Set<number>();
  let s = -1;
  let words = 0;
  let caps = 0;
  for (let i = 0; i <= tk.count; i++) {
    if (i === tk.count || tk.sentence[i] !== s) {
      if (words >= 2 && caps / words >= 0.75) out.add(s);
      if (i === tk.count) break;
      s = tk.sentence[i];
      words = 0;
      caps = 0;
    }
    if (tk.sentenceStart[i] || !(tk.flags[i] & COMMON)) continue;
    words++;
    if (tk.casing[i] === TITLE_CASE || tk.casing[i] === UPPER) caps++;
  }
  return out;
}

/**
 * Marks a given name followed by a family name (particles between) when one of them is a name and no
 * ordinary word, in any one casing: "sally retzke", "vena hand", "daisy de ruiter", "SAGE POWLOWSKI".
 */
function pairs(tk: Tokens, name: Uint8Array, candidate: Uint8Array, covered: Uint8Array): void {
  const nameWord = (j: number) =>
    !covered[j] && tk.flags[j] & NAME && !(tk.flags[j] & (STOP | TITLE | CALENDAR | GREETING)) &&
    tk.key[j].length >= 2 && tk.key[j].charCodeAt(0) !== 64;
  for (let i = 0; i < tk.count; i++) {
    if (!candidate[i] || covered[i]) continue;
    for (const step of [-1, 1]) {
      let j = i + step;
      while (j >= 0 && j < tk.count && tk.flags[j] & PARTICLE && !candidate[j] && Math.abs(j - i) <= 2) {
        j += step;
      }
      if (j < 0 || j >= tk.count || !nameWord(j)) continue;
      let joined = true;
      for (let x = Math.min(i, j) + 1; x <= Math.max(i, j); x++) joined &&= tk.joined[x];
      // Given name first, family name last, both in one casing: "baby Vanessa" and "said tana" are no pair.
      const [a, b] = i < j ? [i, j] : [j, i];
      if (!joined || !(tk.flags[a] & GIVEN) || !(tk.flags[b] & FAMILY) || tk.casing[a] !== tk.casing[b]) {
        continue;
      }
      for (let x = i; x !== j + step; x += step) name[x] = 1;
    }
  }
}

/**
 * A word with a letter four times in a row ("ITTTTTTT"), or three times and an ordinary word once the run
 * is cut to one letter ("Awwwww").
 */
function stretched(key: string, flags: WordFlags): boolean {
  if (!/(.)\1\1/.test(key)) return false;
  if (/(.)\1\1\1/.test(key)) return true;
  const f = flags.get(key.replace(/(.)\1{2,}/g, "$1")) ?? 0;
  return (f & (COMMON | ENGLISH | STOP)) !== 0 && !(f & NAME);
}

/** Words that join two names ("Emma and Kaite"). */
const AND = new Set(["and", "or", "und", "et", "y", "e", "en", "och", "i", "ve", "và"]);

/** Marks a word no list knows that is joined by "and" to a name ("emma and kaite", "butler and klay"). */
function coordinated(tk: Tokens, name: Uint8Array, covered: Uint8Array): void {
  for (let i = 0; i < tk.count; i++) {
    if (!name[i] || tk.key[i].charCodeAt(0) === 64) continue;
    for (const step of [-2, 2]) {
      const j = i + step;
      const mid = i + step / 2;
      if (j < 0 || j >= tk.count || name[j] || covered[j] || !AND.has(tk.key[mid])) continue;
      if (tk.sentence[j] !== tk.sentence[i] || !tk.joined[mid] || !tk.joined[Math.max(mid + 1, j)]) continue;
      const f = tk.flags[j];
      if (f & (COMMON | STOP | ENGLISH | TITLE | GREETING | CALENDAR) || tk.key[j].length < 3) continue;
      if (tk.casing[j] === UPPER || tk.casing[j] !== tk.casing[i] && tk.casing[j] !== TITLE_CASE) continue;
      name[j] = 1;
    }
  }
}

/** Whether the word joined to `i` on side `step` is capitalised and no name word. */
function capitalNeighbour(tk: Tokens, i: number, step: -1 | 1): boolean {
  const j = i + step;
  if (j < 0 || j >= tk.count || !tk.joined[Math.max(i, j)] || tk.flags[j] & NAME) return false;
  return tk.casing[j] === TITLE_CASE || tk.casing[j] === UPPER;
}

/** Marks the word after a title, greeting, sign-off or introduction, in `name` and in `cued`. */
function cues(
  text: string,
  tk: Tokens,
  name: Uint8Array,
  cued: Uint8Array,
  plain: (i: number) => boolean,
  noise: (i: number) => boolean,
): void {
  const mark = (i: number) => {
    name[i] = 1;
    cued[i] = 1;
  };
  for (let i = 1; i < tk.count; i++) {
    if (noise(i)) continue;
    const f = tk.flags[i];
    if (f & (STOP | CALENDAR | GREETING | TITLE) && !(f & NAME)) continue;
    if (f & GREETING) continue;
    // A greeting or sign-off reaches over a comma or a line break ("Regards,\nAna"), not over a full stop.
    if (
      tk.sentence[i - 1] !== tk.sentence[i] &&
      (!(tk.flags[i - 1] & GREETING) || /[.!?]/.test(text.slice(tk.end[i - 1], tk.start[i])))
    ) continue;
    const prev = tk.flags[i - 1];
    const capital = tk.casing[i] === TITLE_CASE || (tk.casing[i] === UPPER && !plain(i));
    const unknown = !(f & (COMMON | STOP)) && (capital || !(f & ENGLISH));
    const role = ROLES.has(tk.key[i - 1]) && tk.casing[i - 1] !== LOWER &&
      tk.sentence[i - 1] === tk.sentence[i];
    if (prev & TITLE && (capital || f & NAME || unknown)) mark(i);
    else if (role && ((capital && !(f & (COMMON | PLACE))) || (f & NAME && !(f & COMMON)))) mark(i);
    else if (prev & GREETING && !(f & STOP) && (capital || (unknown && f & NAME)) && !addressee(f)) {
      mark(i);
    } else if (unknown || capital) {
      const two = i >= 2 ? `${tk.key[i - 2]} ${tk.key[i - 1]}` : "";
      const three = i >= 3 ? `${tk.key[i - 3]} ${two}` : "";
      if (INTRO.has(tk.key[i - 1]) || INTRO.has(two) || INTRO.has(three)) {
        // "from DE" names a place as often as a sender: a name, yet no cue a code can lean on.
        if (tk.key[i - 1] === "from") {
          if (capital) name[i] = 1;
        } else mark(i);
      }
    }
  }
}

/**
 * A dictionary word no name list holds, after a greeting or sign-off: a group addressed or signing
 * ("Hi Support", "Dear Customer", "Thanks Team", "Regards, Customer Service"), not a person.
 */
function addressee(f: number): boolean {
  return (f & (COMMON | ENGLISH)) !== 0 && !(f & NAME);
}

/** Articles and possessives that open a noun phrase: capitalised before a lower-case word, no name part. */
const ARTICLES = new Set(["the", "my", "your", "our", "their", "this", "these", "those"]);

/** "Nehir Alyanak The printer …": an article before a lower-case word opens the next clause. */
function article(tk: Tokens, i: number): boolean {
  return ARTICLES.has(tk.key[i]) && i + 1 < tk.count && tk.casing[i + 1] === LOWER &&
    tk.sentence[i + 1] === tk.sentence[i];
}

/** An id or a number: the word after a common word that names the thing ("Order ORD-12345", "Card 4111 …"). */
const ID_NEXT = /^[\s:#]+(?:\p{Lu}{1,5}-?)?\d/u;

/** Whether word `i` is followed by an id or a number ({@link ID_NEXT}). */
function beforeId(text: string, tk: Tokens, i: number): boolean {
  return ID_NEXT.test(text.slice(tk.end[i], tk.end[i] + 12));
}

/** Grows every name to the name-like words joined to it, both ways, until nothing changes. */
function chains(text: string, tk: Tokens, name: Uint8Array, plain: (i: number) => boolean): void {
  const fits = (j: number, anchor: number): boolean => {
    const f = tk.flags[j];
    // A middle initial ("Anna K. Nowak", "Ganaka M. Sethi"), whatever word lists say of the letter.
    if (j + 1 < tk.count && tk.afterInitial[j + 1]) return true;
    if (f & (TITLE | GREETING | ORG_SUFFIX)) return false;
    // A role before a name ("Senator Inabo") is not part of it.
    if (ROLES.has(tk.key[j]) && !(f & NAME)) return false;
    // A function word some locale lists as a name ("An", "Do") joins a name only inside a sentence and
    // capitalised: "Nguyễn Văn An", not "That rick roll".
    if (f & STOP && (tk.sentenceStart[j] || !(f & NAME && tk.casing[j] !== LOWER))) return false;
    if (article(tk, j)) return false;
    if (f & CALENDAR && !(f & NAME && tk.casing[j] !== LOWER)) return false;
    if (tk.key[j].charCodeAt(0) === 64 || (tk.key[j].length < 2 && tk.casing[j] === LOWER)) return false;
    const capital = (tk.casing[j] === TITLE_CASE || tk.casing[j] === MIXED || tk.casing[j] === UPPER) &&
      !plain(j);
    if (tk.afterInitial[j] || (tk.casing[j] === MIXED && tk.end[j] - tk.start[j] === 1)) return true;
    if (f & NAME) return tk.casing[j] !== LOWER || !(f & COMMON);
    // A capitalised ordinary word right after a capitalised given name that is no ordinary word is its
    // family name ("Alan Watts", "Martin Short").
    if (f & COMMON) {
      const a = tk.flags[anchor];
      // Not a word that names the id after it ("Thanks, Işılay Order ORD-12345 shipped").
      return j === anchor + 1 && tk.casing[j] === TITLE_CASE && tk.casing[anchor] === TITLE_CASE &&
        !plain(j) && !beforeId(text, tk, j) &&
        (a & GIVEN) !== 0 && !(a & (COMMON | STOP)) && !(f & STOP);
    }
    if (capital) return true;
    // An unknown lower-case word right after a lower-case name: a family name no list holds.
    return j === anchor + 1 && !(f & ENGLISH) && tk.key[j].length >= 3 &&
      tk.key[anchor].charCodeAt(0) !== 64 &&
      (tk.flags[anchor] & NAME) !== 0;
  };
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    for (let i = 0; i < tk.count; i++) {
      if (!name[i]) continue;
      for (const j of [i - 1, i + 1]) {
        if (j < 0 || j >= tk.count || name[j]) continue;
        if (!tk.joined[Math.max(i, j)]) continue;
        if (tk.flags[j] & PARTICLE) {
          // "de", "van den", "bin": particles count only with a name on their far side.
          const step = j - i;
          let k = j;
          while (k >= 0 && k < tk.count && tk.flags[k] & PARTICLE && Math.abs(k - j) < 3) k += step;
          if (
            k >= 0 && k < tk.count && tk.joined[Math.max(k, k - step)] &&
            (name[k] || fits(k, i) || afterParticle(tk, k))
          ) {
            for (let x = j; x !== k + step; x += step) name[x] = 1;
            changed = true;
            continue;
          }
        }
        if (tk.flags[j] & PARTICLE && !(tk.flags[j] & NAME)) {
          continue;
        } else if (fits(j, i)) {
          name[j] = 1;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}

/** After "van de", "da", "bin": any name word, even one that is also an ordinary word ("van de Berg"). */
function afterParticle(tk: Tokens, k: number): boolean {
  const f = tk.flags[k];
  return (f & NAME) !== 0 && !(f & (STOP | TITLE | GREETING | CALENDAR));
}

/** An organisation: the capitalised words before a legal-entity suffix ("Acme Widgets GmbH"). */
function orgBefore(tk: Tokens, suffix: number, out: Span[]): void {
  let i = suffix;
  while (i - 1 >= 0 && tk.joined[i] && tk.casing[i - 1] !== LOWER && suffix - i < 4) i--;
  if (i < suffix) out.push({ start: tk.start[i], end: tk.end[suffix], entity: "organization" });
}

/** Words of context compromise gets on each side of an unsettled word. */
const WINDOW = 4;

/**
 * `[start, end)` ranges of text around each unsettled word: up to {@link WINDOW} words each side within its
 * sentence, overlapping ranges merged. compromise's cost grows with the words it reads, so it reads these.
 */
function windows(tk: Tokens, words: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let lastTo = -1;
  for (const i of words) {
    let a = i;
    while (a > 0 && i - a < WINDOW && tk.sentence[a - 1] === tk.sentence[i]) a--;
    let b = i;
    while (b + 1 < tk.count && b - i < WINDOW && tk.sentence[b + 1] === tk.sentence[i]) b++;
    if (out.length > 0 && a <= lastTo + 1 && tk.sentence[a] === tk.sentence[lastTo]) {
      out[out.length - 1][1] = tk.end[b];
    } else {
      out.push([tk.start[a], tk.end[b]]);
    }
    lastTo = b;
  }
  return out;
}

export { rowNameSet } from "./row_names.ts";

/** Verbs and joins after which a sentence's first word reads as the person it is about ("Kimmel is …"). */
const SUBJECT_NEXT = new Set([
  "is",
  "was",
  "has",
  "had",
  "and",
  "said",
  "says",
  "should",
  "would",
  "will",
  "can",
  "could",
  "did",
  "does",
  "knew",
  "looks",
  "sounds",
  "needs",
  "just",
  "never",
  "always",
  "really",
]);

/** Whether word `i` is followed by a verb or join that makes it the subject of its sentence. */
function subjectOf(tk: Tokens, i: number): boolean {
  if (i + 1 >= tk.count || tk.sentence[i + 1] !== tk.sentence[i]) return false;
  const next = tk.key[i + 1];
  return SUBJECT_NEXT.has(next) || (next === "s" && tk.joined[i + 1] === false);
}
