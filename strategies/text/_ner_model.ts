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
  bucket,
  contextFeatures,
  documentMax,
  EDGE,
  FEATURE_VERSION,
  OFFSETS,
  stackFeatures,
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

/** The model: one or two passes and the threshold it was tuned with. */
export interface NerModel {
  passes: NerPass[];
  threshold: number;
  /** Per pass: word text → weight sums at each of {@link OFFSETS}. */
  caches: Map<string, Float32Array>[];
}

/** The shipped weights as the generated module records them. */
export interface NerWeightsRecord {
  featureVersion: number;
  threshold: number;
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
  return { passes, threshold: record.threshold, caches: passes.map(() => new Map()) };
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

/** Probability that each token of `tk` (tokenised from `text`) is part of a person's name. */
export function personProbabilities(text: string, tk: Tokens, model: NerModel = nerModel()): Float32Array {
  const facts: TextFacts = textFacts(tk);
  let probs = new Float32Array(tk.count);
  const context = new Array<string[]>(tk.count);
  for (let i = 0; i < tk.count; i++) context[i] = contextFeatures(text, tk, facts, i);
  for (let p = 0; p < model.passes.length; p++) {
    const pass = model.passes[p];
    const next = new Float32Array(tk.count);
    const docMax = p > 0 ? documentMax(tk, probs) : null;
    for (let i = 0; i < tk.count; i++) {
      let z = sumOf(context[i], pass);
      for (let k = 0; k < OFFSETS.length; k++) {
        const j = i + OFFSETS[k];
        const inside = j >= 0 && j < tk.count && tk.sentence[j] === tk.sentence[i];
        z += wordSums(model, p, tk, inside ? j : -1)[k];
      }
      if (docMax !== null) z += sumOf(stackFeatures(tk, probs, docMax, i), pass);
      next[i] = sigmoid(z);
    }
    probs = next;
  }
  return probs;
}
