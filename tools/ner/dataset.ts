/**
 * Turns labelled texts into training examples: the texts are tokenised exactly as the detector does
 * (`tokenize` with the gazetteer), a token is a person token when it overlaps a labelled person range
 * (titles and @mentions excepted), and each token gets the buckets of its word and context features.
 *
 * @module
 */
import { gazetteer, TITLE } from "../../strategies/text/gazetteer.ts";
import { tokenize, type Tokens } from "../../strategies/text/_tokens.ts";
import {
  bucket,
  contextFeatures,
  documentMax,
  EDGE,
  OFFSETS,
  stackFeatures,
  textFacts,
  wordFeatures,
} from "../../strategies/text/_ner_features.ts";
import type { LabelledText } from "./corpora.ts";

/** Examples of a set of texts: token `t`'s buckets are `feats[offsets[t] .. offsets[t + 1])`. */
export interface Examples {
  feats: Int32Array;
  offsets: Int32Array;
  labels: Uint8Array;
  /** The texts' tokens, and the first example of each text. */
  tokens: Tokens[];
  firstToken: Int32Array;
}

/** Labels of `tk`'s tokens from person ranges. */
export function labelsOf(text: LabelledText, tk: Tokens): Uint8Array {
  const out = new Uint8Array(tk.count);
  for (let i = 0; i < tk.count; i++) {
    if (tk.flags[i] & TITLE || tk.key[i].charCodeAt(0) === 64) continue;
    for (const [s, e] of text.persons) if (s < tk.end[i] && e > tk.start[i]) out[i] = 1;
  }
  return out;
}

/** Tokenises, labels and featurises `texts` for a table of `2^bits` buckets. */
export function examplesOf(texts: readonly LabelledText[], bits: number): Examples {
  const flags = gazetteer().flags;
  const cache = new Map<string, Int32Array[]>();
  const wordBuckets = (tk: Tokens, j: number): Int32Array[] => {
    const word = j < 0 ? EDGE : tk.word[j];
    let b = cache.get(word);
    if (b === undefined) {
      b = OFFSETS.map((o) =>
        Int32Array.from(
          wordFeatures(word, j < 0 ? 0 : tk.flags[j], j < 0 ? 0 : tk.casing[j], o),
          (f) => bucket(f, bits),
        )
      );
      cache.set(word, b);
    }
    return b;
  };
  const feats: number[] = [];
  const offsets: number[] = [0];
  const labels: number[] = [];
  const tokens: Tokens[] = [];
  const firstToken: number[] = [];
  for (const t of texts) {
    const tk = tokenize(t.text, flags);
    tokens.push(tk);
    firstToken.push(labels.length);
    const facts = textFacts(tk);
    const y = labelsOf(t, tk);
    for (let i = 0; i < tk.count; i++) {
      for (const f of contextFeatures(t.text, tk, facts, i)) feats.push(bucket(f, bits));
      for (let k = 0; k < OFFSETS.length; k++) {
        const j = i + OFFSETS[k];
        const inside = j >= 0 && j < tk.count && tk.sentence[j] === tk.sentence[i];
        for (const b of wordBuckets(tk, inside ? j : -1)[k]) feats.push(b);
      }
      offsets.push(feats.length);
      labels.push(y[i]);
    }
  }
  firstToken.push(labels.length);
  return {
    feats: Int32Array.from(feats),
    offsets: Int32Array.from(offsets),
    labels: Uint8Array.from(labels),
    tokens,
    firstToken: Int32Array.from(firstToken),
  };
}

/** `ex` with each token's stacking features (from first-pass probabilities `probs`) appended. */
export function withStack(ex: Examples, probs: Float32Array, bits: number): Examples {
  const feats: number[] = [];
  const offsets: number[] = [0];
  for (let d = 0; d < ex.tokens.length; d++) {
    const tk = ex.tokens[d];
    const base = ex.firstToken[d];
    const p = probs.subarray(base, base + tk.count);
    const docMax = documentMax(tk, p);
    for (let i = 0; i < tk.count; i++) {
      const t = base + i;
      for (let k = ex.offsets[t]; k < ex.offsets[t + 1]; k++) feats.push(ex.feats[k]);
      for (const f of stackFeatures(tk, p, docMax, i)) feats.push(bucket(f, bits));
      offsets.push(feats.length);
    }
  }
  return { ...ex, feats: Int32Array.from(feats), offsets: Int32Array.from(offsets) };
}

/** The examples of texts `[from, to)` of `ex` (by text index). */
export function sliceTexts(ex: Examples, pick: (d: number) => boolean): Examples {
  const feats: number[] = [];
  const offsets: number[] = [0];
  const labels: number[] = [];
  const tokens: Tokens[] = [];
  const firstToken: number[] = [];
  for (let d = 0; d < ex.tokens.length; d++) {
    if (!pick(d)) continue;
    tokens.push(ex.tokens[d]);
    firstToken.push(labels.length);
    for (let t = ex.firstToken[d]; t < ex.firstToken[d + 1]; t++) {
      for (let k = ex.offsets[t]; k < ex.offsets[t + 1]; k++) feats.push(ex.feats[k]);
      offsets.push(feats.length);
      labels.push(ex.labels[t]);
    }
  }
  firstToken.push(labels.length);
  return {
    feats: Int32Array.from(feats),
    offsets: Int32Array.from(offsets),
    labels: Uint8Array.from(labels),
    tokens,
    firstToken: Int32Array.from(firstToken),
  };
}
