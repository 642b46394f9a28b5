/**
 * The person-name model's features, shared by the training tool (tools/ner/) and inference
 * (`_ner_model.ts`), so both see one definition. Features are strings hashed into `2^bits` buckets.
 *
 * Most features belong to one word and the position it takes relative to the word being scored (the
 * word itself, or a neighbour at ±1, ±2): their weight sum depends only on the word's text and that
 * offset, so inference caches it per word ({@link wordFeatures}). The rest read the word's place in the
 * text: sentence start, punctuation around it, headline sentences, the casing of its neighbours, the
 * word before it, and whether the same word stands capitalised elsewhere in the text
 * ({@link contextFeatures}).
 *
 * @module
 */
import { COMMON, ENGLISH, FAMILY, GIVEN, PLACE, STOP, TITLE } from "./gazetteer.ts";
import { LOWER, TITLE_CASE, type Tokens, UPPER } from "./_tokens.ts";

/** Bumped whenever a feature changes meaning, so shipped weights trained on other features are refused. */
export const FEATURE_VERSION = 1;

/** The offsets whose word features take part in scoring a word. */
export const OFFSETS = [-2, -1, 0, 1, 2] as const;

/** The pseudo-word before a sentence's first word and after its last. */
export const EDGE = "\u0000";

const GAZ_BITS = [
  [GIVEN, "G"],
  [FAMILY, "F"],
  [COMMON, "C"],
  [PLACE, "P"],
  [TITLE, "T"],
  [STOP, "S"],
  [ENGLISH, "E"],
] as const;

/** FNV-1a over the UTF-16 code units of `s`, as an unsigned 32-bit number. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The shape of a word: letter classes, runs cut at two ("Xx", "XX", "x'x", "Xx-Xx"). */
export function shapeOf(word: string): string {
  let out = "";
  let last = "";
  let run = 0;
  for (const ch of word) {
    const c = ch !== ch.toLowerCase() ? "X" : ch !== ch.toUpperCase() ? "x" : /\d/.test(ch) ? "d" : ch;
    run = c === last ? run + 1 : 1;
    last = c;
    if (run <= 2) out += c;
  }
  return out;
}

/**
 * The features word `word` (with gazetteer flags `flags` and casing `casing`) contributes when it stands
 * at `offset` from the word being scored. {@link EDGE} stands for "no word there".
 */
export function wordFeatures(word: string, flags: number, casing: number, offset: number): string[] {
  const o = `${offset}|`;
  if (word === EDGE) return [`${o}edge`];
  const lower = word.toLowerCase();
  const names = `${flags & GIVEN ? "G" : ""}${flags & FAMILY ? "F" : ""}${flags & COMMON ? "C" : ""}${
    flags & ENGLISH ? "E" : ""
  }`;
  if (offset !== 0) {
    const near = [`${o}w:${lower}`, `${o}c:${casing}`];
    if (offset === -1 || offset === 1) {
      near.push(`${o}s:${shapeOf(word)}`, `${o}n:${names}:${casing}`);
      if (flags & TITLE) near.push(`${o}title`);
    }
    return near;
  }
  const out = [
    `w:${lower}`,
    `c:${casing}`,
    `s:${shapeOf(word)}`,
    `n:${names}:${casing}`,
    `L:${Math.min(word.length, 12)}`,
  ];
  if (word.charCodeAt(0) === 64) out.push("handle");
  for (let k = 1; k <= 3 && k <= lower.length; k++) out.push(`p${k}:${lower.slice(0, k)}`);
  for (let k = 1; k <= 4 && k <= lower.length; k++) out.push(`x${k}:${lower.slice(-k)}`);
  for (const [bit, tag] of GAZ_BITS) if (flags & bit) out.push(`g${tag}:${casing}`);
  if (/['’]/.test(word)) out.push("apos");
  if (word.includes("-")) out.push("hyphen");
  return out;
}

/** What kind of gap lies between two tokens: a class letter, "^" at the text's edge. */
function gapClass(gap: string): string {
  if (gap === " ") return "_";
  if (gap.includes("\n")) return "n";
  const t = gap.replace(/[ \t\u00a0]/g, "");
  if (t === "") return gap === "" ? "0" : "_";
  if (/\d/.test(t)) return "d";
  return /[.!?…]/.test(t)
    ? "."
    : /[,;:]/.test(t)
    ? t[0]
    : /[-–—]/.test(t)
    ? "-"
    : /["“”'‘’()[\]]/.test(t)
    ? "q"
    : "o";
}

/** Per text: facts about every token that the context features read. */
export interface TextFacts {
  /** Token i's sentence is a headline or shouted (its ordinary words mostly capitalised). */
  headline: Uint8Array;
  /** Folded words that stand title-cased somewhere in the text other than at a sentence's start. */
  capitalisedInside: Set<string>;
}

/** Gathers the {@link TextFacts} of one tokenised text. */
export function textFacts(tk: Tokens): TextFacts {
  const headline = new Uint8Array(tk.count);
  const capitalisedInside = new Set<string>();
  let from = 0;
  for (let i = 0; i <= tk.count; i++) {
    if (i === tk.count || tk.sentence[i] !== tk.sentence[from]) {
      let words = 0;
      let caps = 0;
      for (let j = from; j < i; j++) {
        if (tk.sentenceStart[j] || !(tk.flags[j] & COMMON)) continue;
        words++;
        if (tk.casing[j] === TITLE_CASE || tk.casing[j] === UPPER) caps++;
      }
      if (words >= 2 && caps / words >= 0.75) headline.fill(1, from, i);
      from = i;
    }
    if (i < tk.count && !tk.sentenceStart[i] && tk.casing[i] === TITLE_CASE) capitalisedInside.add(tk.key[i]);
  }
  return { headline, capitalisedInside };
}

/** What the context features of one token are made of (all but the word bigram). */
export interface ContextParts {
  /** 1 when the token opens its sentence. */
  first: number;
  casing: number;
  /** Gap classes before and after the token. */
  before: string;
  after: string;
  headline: number;
  /** Tokens before it in its sentence, at most 3. */
  position: number;
  /** Casing of the neighbours in the sentence, 4 for none. */
  left: number;
  right: number;
  afterInitial: number;
  /** 1 when the same word stands title-cased inside a sentence elsewhere in the text. */
  document: number;
}

/** The {@link ContextParts} of token `i`. */
export function contextParts(text: string, tk: Tokens, facts: TextFacts, i: number): ContextParts {
  const c = tk.casing[i];
  const first = i === 0 || tk.sentence[i - 1] !== tk.sentence[i];
  const last = i + 1 >= tk.count || tk.sentence[i + 1] !== tk.sentence[i];
  let k = 0;
  while (k < 3 && i - k - 1 >= 0 && tk.sentence[i - k - 1] === tk.sentence[i]) k++;
  return {
    first: first ? 1 : 0,
    casing: c,
    before: i === 0 ? "^" : gapClass(text.slice(tk.end[i - 1], tk.start[i])),
    after: i + 1 >= tk.count ? "^" : gapClass(text.slice(tk.end[i], tk.start[i + 1])),
    headline: facts.headline[i],
    position: k,
    left: first ? 4 : tk.casing[i - 1],
    right: last ? 4 : tk.casing[i + 1],
    afterInitial: tk.afterInitial[i] ? 1 : 0,
    document: c !== LOWER && facts.capitalisedInside.has(tk.key[i]) ? 1 : 0,
  };
}

/** The context features that {@link ContextParts} decide. */
export function partFeatures(p: ContextParts): string[] {
  const c = p.casing;
  const side = (x: number) => (x === 4 ? "e" : String(x));
  const out = [
    "bias",
    `ss:${p.first}:${c}`,
    `gb:${p.before}:${c}`,
    `ga:${p.after}`,
    `hd:${p.headline}:${c}`,
    `pos:${p.position}:${c}`,
    `ct:${side(p.left)}${c}${side(p.right)}`,
  ];
  if (p.afterInitial) out.push("afterInitial");
  if (p.document) out.push(`doc:${p.first}:${c}`);
  return out;
}

/** The word bigram feature of token `i`: the word before it in its sentence and the word itself. */
export function bigramFeature(tk: Tokens, i: number): string {
  const first = i === 0 || tk.sentence[i - 1] !== tk.sentence[i];
  return `bi:${first ? EDGE : tk.key[i - 1]}_${tk.key[i]}`;
}

/** The features of token `i` that depend on its place in the text rather than on one word alone. */
export function contextFeatures(text: string, tk: Tokens, facts: TextFacts, i: number): string[] {
  return [...partFeatures(contextParts(text, tk, facts, i)), bigramFeature(tk, i)];
}

/** Per token: the highest first-pass probability of the same folded word anywhere in the text. */
export function documentMax(tk: Tokens, probs: Float32Array): Float32Array {
  const best = new Map<string, number>();
  for (let i = 0; i < tk.count; i++) best.set(tk.key[i], Math.max(best.get(tk.key[i]) ?? 0, probs[i]));
  const out = new Float32Array(tk.count);
  for (let i = 0; i < tk.count; i++) out[i] = best.get(tk.key[i])!;
  return out;
}

function decile(p: number): number {
  return Math.min(9, Math.floor(p * 10));
}

/**
 * The second pass's extra features of token `i`: the first pass's probability of the token, of its
 * neighbours in the sentence and of the same word elsewhere in the text, in tenths.
 */
export function stackFeatures(tk: Tokens, probs: Float32Array, docMax: Float32Array, i: number): string[] {
  return stackFeaturesOf(stackParts(tk, probs, docMax, i));
}

/** The tenths the second pass reads for token `i`: itself, left and right neighbours (10: none), text-wide. */
export function stackParts(tk: Tokens, probs: Float32Array, docMax: Float32Array, i: number): number[] {
  const at = (j: number) =>
    j >= 0 && j < tk.count && tk.sentence[j] === tk.sentence[i] ? decile(probs[j]) : 10;
  return [decile(probs[i]), tk.casing[i], at(i - 1), at(i + 1), decile(docMax[i])];
}

/** The second pass's features from {@link stackParts}. */
export function stackFeaturesOf([self, c, left, right, doc]: readonly number[]): string[] {
  const side = (x: number) => (x === 10 ? "e" : String(x));
  return [
    `q0:${self}:${c}`,
    `q-1:${side(left)}`,
    `q1:${side(right)}`,
    `q-1+1:${side(left)}${self}${side(right)}`,
    `qd:${doc}:${c}`,
  ];
}

/** Bucket of a feature string in a table of `2^bits` weights. */
export function bucket(feature: string, bits: number): number {
  return hash(feature) & ((1 << bits) - 1);
}
