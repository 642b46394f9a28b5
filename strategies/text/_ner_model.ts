/**
 * Inference of the person-name model: a logistic regression over hashed features
 * (`_ner_features.ts`) whose int8 weights ship in the generated `_ner_weights.ts`. A word's score is a
 * bias, the weight sums of the words at −2…+2 (cached per word and offset, so a frequent word costs a
 * map lookup) and the weights of its context features. An optional second pass adds the first pass's
 * probabilities of the word and its neighbours as features (stacking).
 *
 * @module
 */
import {
  bigramFeature,
  bucket,
  type ContextParts,
  contextParts,
  documentMax,
  EDGE,
  FEATURE_VERSION,
  OFFSETS,
  partFeatures,
  stackFeaturesOf,
  stackParts,
  type TextFacts,
  textFacts,
  wordFeatures,
} from "./_ner_features.ts";
import type { Tokens } from "./_tokens.ts";
import { NER_WEIGHTS } from "./_ner_weights.ts";

/** One pass of the model: dequantised weights over `2^bits` buckets. */
export interface NerPass {
  bits: number;
  weights: Float32Array;
}

/** The model: one or two passes and the thresholds it was tuned with. */
export interface NerModel {
  passes: NerPass[];
  threshold: number;
  /** The threshold tuned on tweets, for user posts. */
  postsThreshold: number;
  /** Per pass: word text → weight sums at each of {@link OFFSETS}. */
  caches: Map<string, Float32Array>[];
  /** Per pass: weight sums of context features by their parts' key, of word bigrams, of stacking parts. */
  contextCaches: {
    context: Map<number, number>;
    /** Previous word → word → weight of their bigram feature. */
    bigram: Map<string, Map<string, number>>;
    stack: Map<number, number>;
  }[];
}

/** The shipped weights as the generated module records them. */
export interface NerWeightsRecord {
  featureVersion: number;
  threshold: number;
  /** The threshold tuned on tweets, for columns of user posts (`person_threshold`). */
  postsThreshold: number;
  passes: { bits: number; scale: number; int8: string }[];
}

const CACHE_LIMIT = 200_000;

/** Decodes one pass of int8 weights (base64) with its scale. */
export function decodePass(pass: NerWeightsRecord["passes"][number]): NerPass {
  const raw = atob(pass.int8);
  const weights = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) weights[i] = ((raw.charCodeAt(i) << 24) >> 24) * pass.scale;
  return { bits: pass.bits, weights };
}

/** Builds a model from a weights record, refusing one trained on other features. */
export function modelFrom(record: NerWeightsRecord): NerModel {
  if (record.featureVersion !== FEATURE_VERSION) {
    throw new RangeError(
      `Cannot load the person-name model as it was trained on feature version ${record.featureVersion}: current version is ${FEATURE_VERSION}`,
    );
  }
  const passes = record.passes.map(decodePass);
  return {
    passes,
    threshold: record.threshold,
    postsThreshold: record.postsThreshold,
    caches: passes.map(() => new Map()),
    contextCaches: passes.map(() => ({ context: new Map(), bigram: new Map(), stack: new Map() })),
  };
}

let shipped: NerModel | undefined;

/** The shipped model, decoded on first use and kept for the life of the thread. */
export function nerModel(): NerModel {
  shipped ??= modelFrom(NER_WEIGHTS);
  return shipped;
}

function sumOf(features: readonly string[], pass: NerPass): number {
  let s = 0;
  for (const f of features) s += pass.weights[bucket(f, pass.bits)];
  return s;
}

/** The cached weight sums of `word` at every offset. */
function wordSums(model: NerModel, p: number, tk: Tokens, j: number): Float32Array {
  const cache = model.caches[p];
  const word = j < 0 ? EDGE : tk.word[j];
  let sums = cache.get(word);
  if (sums === undefined) {
    sums = new Float32Array(OFFSETS.length);
    const flags = j < 0 ? 0 : tk.flags[j];
    const casing = j < 0 ? 0 : tk.casing[j];
    for (let k = 0; k < OFFSETS.length; k++) {
      sums[k] = sumOf(wordFeatures(word, flags, casing, OFFSETS[k]), model.passes[p]);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, sums);
  }
  return sums;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A small integer per gap class, for the context caches' keys (classes are few, the map stays small). */
const GAP_INDEX = new Map<string, number>();

function gapIndex(gap: string): number {
  let g = GAP_INDEX.get(gap);
  if (g === undefined) GAP_INDEX.set(gap, g = GAP_INDEX.size);
  return g;
}

/** The cache key of {@link ContextParts}, or -1 when a rare gap class does not fit the key. */
function contextKey(p: ContextParts): number {
  const b = gapIndex(p.before);
  const a = gapIndex(p.after);
  if (b >= 64 || a >= 64) return -1;
  let k = p.first * 4 + p.casing;
  k = (k * 64 + b) * 64 + a;
  k = ((k * 2 + p.headline) * 4 + p.position) * 5 + p.left;
  return ((k * 5 + p.right) * 2 + p.afterInitial) * 2 + p.document;
}

/** A cached weight sum: `compute` runs on the first look-up of `key` only. */
function cached<K>(cache: Map<K, number>, key: K, compute: () => number): number {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, v = compute());
  }
  return v;
}

/** Probability that each token of `tk` (tokenised from `text`) is part of a person's name. */
export function personProbabilities(text: string, tk: Tokens, model: NerModel = nerModel()): Float32Array {
  const facts: TextFacts = textFacts(tk);
  let probs = new Float32Array(tk.count);
  const parts = new Array<ContextParts>(tk.count);
  const keys = new Int32Array(tk.count);
  for (let i = 0; i < tk.count; i++) {
    parts[i] = contextParts(text, tk, facts, i);
    keys[i] = contextKey(parts[i]);
  }
  for (let p = 0; p < model.passes.length; p++) {
    const pass = model.passes[p];
    const caches = model.contextCaches[p];
    const next = new Float32Array(tk.count);
    const docMax = p > 0 ? documentMax(tk, probs) : null;
    for (let i = 0; i < tk.count; i++) {
      const part = parts[i];
      let z = keys[i] < 0
        ? sumOf(partFeatures(part), pass)
        : cached(caches.context, keys[i], () => sumOf(partFeatures(part), pass));
      const before = i === 0 || tk.sentence[i - 1] !== tk.sentence[i] ? EDGE : tk.key[i - 1];
      let after = caches.bigram.get(before);
      if (after === undefined) {
        if (caches.bigram.size >= CACHE_LIMIT) caches.bigram.clear();
        caches.bigram.set(before, after = new Map());
      }
      z += cached(after, tk.key[i], () => sumOf([bigramFeature(tk, i)], pass));
      for (let k = 0; k < OFFSETS.length; k++) {
        const j = i + OFFSETS[k];
        const inside = j >= 0 && j < tk.count && tk.sentence[j] === tk.sentence[i];
        z += wordSums(model, p, tk, inside ? j : -1)[k];
      }
      if (docMax !== null) {
        const [self, c, left, right, doc] = stackParts(tk, probs, docMax, i);
        const key = (((self * 4 + c) * 11 + left) * 11 + right) * 10 + doc;
        z += cached(caches.stack, key, () => sumOf(stackFeaturesOf([self, c, left, right, doc]), pass));
      }
      next[i] = sigmoid(z);
    }
    probs = next;
  }
  return probs;
}
