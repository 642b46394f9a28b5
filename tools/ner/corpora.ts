/**
 * Readers for the labelled corpora in shared/datasets/ner/corpora: each file becomes texts with the
 * character ranges of person names, in one shape whatever the file's format. Tokens are joined with
 * single spaces (as the WNUT bench does), except where the corpus records that no space followed.
 *
 * Conventions: an @mention is no person (WNUT's rule; the Broad Twitter Corpus tags it and is relabelled
 * here), and in GUM only the proper nouns of a person mention count (GUM marks every mention, "the
 * pilgrims" and "he" included).
 *
 * @module
 */

import { ROLES } from "../../strategies/text/_roles.ts";

/** One text of a corpus with its person ranges. */
export interface LabelledText {
  text: string;
  /** `[start, end)` UTF-16 ranges of person-name tokens. */
  persons: [number, number][];
}

/** Builds texts token by token. */
class TextBuilder {
  text = "";
  persons: [number, number][] = [];
  #space = false;

  add(token: string, person: boolean, spaceAfter = true): void {
    if (this.#space && this.text.length > 0) this.text += " ";
    const start = this.text.length;
    this.text += token;
    if (person) this.persons.push([start, this.text.length]);
    this.#space = spaceAfter;
  }

  /** Starts a new sentence inside the same text. */
  breakLine(): void {
    if (this.text.length > 0) this.text += "\n";
    this.#space = false;
  }

  take(): LabelledText | null {
    const out = this.text.length > 0 ? { text: this.text, persons: this.persons } : null;
    this.text = "";
    this.persons = [];
    this.#space = false;
    return out;
  }
}

/** Splits a token-per-line file into sentences of column arrays; `skip` drops comment or marker lines. */
function sentences(text: string, sep: RegExp, skip: (line: string) => boolean): string[][][] {
  const out: string[][][] = [];
  let cur: string[][] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (cur.length > 0) out.push(cur);
      cur = [];
      continue;
    }
    if (skip(line)) continue;
    cur.push(line.split(sep));
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * `word\tTAG` files (WNUT-17, Broad Twitter Corpus): one text per tweet. A lone "@" followed by a word
 * is one @mention, as the tweet had it.
 */
export function readTweets(text: string, personTags: readonly string[]): LabelledText[] {
  const out: LabelledText[] = [];
  for (const s of sentences(text, /\t/, () => false)) {
    const b = new TextBuilder();
    for (let i = 0; i < s.length; i++) {
      let word = s[i][0];
      if (word === "@" && i + 1 < s.length) word += s[++i][0];
      const tag = s[i][s[i].length - 1].replace(/^[BI]-/, "");
      b.add(word, personTags.includes(tag) && word.charCodeAt(0) !== 64);
    }
    const t = b.take();
    if (t) out.push(t);
  }
  return out;
}

/** CoNLL-2003 columns (SEC filings): texts of `perText` sentences each, one sentence a line. */
export function readConll2003(text: string, perText: number): LabelledText[] {
  const out: LabelledText[] = [];
  const b = new TextBuilder();
  let n = 0;
  for (const s of sentences(text, / /, (l) => l.startsWith("-DOCSTART-"))) {
    for (const cols of s) b.add(cols[0], /PER$/.test(cols[cols.length - 1]));
    if (++n % perText === 0) {
      const t = b.take();
      if (t) out.push(t);
    } else b.breakLine();
  }
  const t = b.take();
  if (t) out.push(t);
  return out;
}

/** Universal NER IOB2 files (English Web Treebank): one text per sentence; the tag is the third column. */
export function readUner(text: string): LabelledText[] {
  const out: LabelledText[] = [];
  for (const s of sentences(text, /\t/, (l) => l.startsWith("#"))) {
    const b = new TextBuilder();
    for (const cols of s) b.add(cols[1], /PER$/.test(cols[2]));
    const t = b.take();
    if (t) out.push(t);
  }
  return out;
}

const ENTITY_PART = /\(([^()]+?)(\))?(?=\(|\)|$)|(\d+)\)/g;

interface OpenEntity {
  person: boolean;
  /** 1-based positions of the mention's minimal span (its name words) inside the mention. */
  minspan: Set<number>;
  seen: number;
}

/**
 * GUM CoNLL-U: texts of `perText` sentences each (one line each). A word is a person token when it is a
 * proper noun inside the minimal span of a person mention and inside no other mention nested in it (GUM's
 * `Entity=` brackets in MISC give each mention's type and minimal span: "Afghan Ambassador Hamdullah
 * Mohib" → "Hamdullah Mohib"); roles ("President") are left out, as the detector leaves them.
 */
export function readGum(text: string, perText: number): LabelledText[] {
  const out: LabelledText[] = [];
  const b = new TextBuilder();
  const open = new Map<string, OpenEntity>();
  let n = 0;
  for (const s of sentences(text, /\t/, (l) => l.startsWith("#"))) {
    let rangeEnd = -1;
    let rangeSpace = true;
    for (const cols of s) {
      const id = cols[0];
      if (id.includes("-")) {
        rangeEnd = Number(id.split("-")[1]);
        rangeSpace = !cols[9].includes("SpaceAfter=No");
        continue;
      }
      if (id.includes(".")) continue;
      const misc = cols[9];
      const closing: string[] = [];
      const entity = misc.split("|").find((f) => f.startsWith("Entity="))?.slice(7) ?? "";
      ENTITY_PART.lastIndex = 0;
      for (let m = ENTITY_PART.exec(entity); m !== null; m = ENTITY_PART.exec(entity)) {
        if (m[1] !== undefined) {
          const [eid, type, , , , minspan] = m[1].split("-");
          open.set(eid, {
            person: type === "person",
            minspan: new Set((minspan ?? "").split(",").map(Number)),
            seen: 0,
          });
          if (m[2]) closing.push(eid);
        } else closing.push(m[3]);
      }
      // The innermost open mention decides: "Frederick Fung of ADPL" is a person whose minimal span
      // holds an organisation, and ADPL belongs to the organisation.
      let inner: OpenEntity | undefined;
      for (const e of open.values()) {
        e.seen++;
        inner = e;
      }
      const person = inner !== undefined && inner.person && inner.minspan.has(inner.seen);
      const num = Number(id);
      const space = rangeEnd === -1 ? !misc.includes("SpaceAfter=No") : num === rangeEnd ? rangeSpace : false;
      if (num >= rangeEnd) rangeEnd = -1;
      // Plural proper nouns ("Muslims", "Afghans") name groups, not a person.
      b.add(
        cols[1],
        person && cols[3] === "PROPN" && cols[4] !== "NNPS" && !ROLES.has(cols[1].toLowerCase()),
        space,
      );
      for (const c of closing) open.delete(c);
    }
    if (++n % perText === 0) {
      const t = b.take();
      if (t) out.push(t);
    } else b.breakLine();
  }
  const t = b.take();
  if (t) out.push(t);
  return out;
}
