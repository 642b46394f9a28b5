/**
 * Logistic regression over hashed features, trained by AdaGrad in a seeded order, and int8 quantisation
 * of its weights. Written here rather than taken from a library: the npm learners we looked at either
 * want dense matrices (a 2^18-wide dense design matrix of ~300k rows does not fit) or are not
 * deterministic across runs, and the byte-for-byte retrain check needs both properties.
 *
 * @module
 */
import type { Examples } from "./dataset.ts";

/** mulberry32: a small seeded generator, so the order of examples is the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Settings of one training run. */
export interface LearnOptions {
  bits: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** Weight of a person token's gradient against an other token's 1. */
  positiveWeight: number;
}

/** Trains float weights on `ex`. */
export function learn(ex: Examples, options: LearnOptions): Float64Array {
  const w = new Float64Array(1 << options.bits);
  const g2 = new Float64Array(1 << options.bits);
  const n = ex.labels.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rand = mulberry32(options.seed);
  const { feats, offsets, labels } = ex;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let k = 0; k < n; k++) {
      const t = order[k];
      let z = 0;
      for (let f = offsets[t]; f < offsets[t + 1]; f++) z += w[feats[f]];
      const y = labels[t];
      const g = (1 / (1 + Math.exp(-z)) - y) * (y ? options.positiveWeight : 1);
      if (g > -1e-4 && g < 1e-4) continue;
      for (let f = offsets[t]; f < offsets[t + 1]; f++) {
        const b = feats[f];
        g2[b] += g * g;
        w[b] -= options.learningRate * g / Math.sqrt(g2[b]);
      }
    }
  }
  return w;
}

/** Int8 weights and the scale that turns them back into floats. */
export interface Quantised {
  scale: number;
  int8: Int8Array;
}

/** Quantises weights to int8 with one scale, the largest weight mapping to ±127. */
export function quantise(w: Float64Array): Quantised {
  let max = 0;
  for (const x of w) max = Math.max(max, Math.abs(x));
  const scale = max === 0 ? 1 : Math.fround(max / 127);
  const int8 = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) int8[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
  return { scale, int8 };
}

/** Probabilities of every example of `ex` under int8 weights `q`, as the detector computes them. */
export function predict(ex: Examples, q: Quantised): Float32Array {
  const out = new Float32Array(ex.labels.length);
  for (let t = 0; t < out.length; t++) {
    let z = 0;
    for (let f = ex.offsets[t]; f < ex.offsets[t + 1]; f++) z += Math.fround(q.int8[ex.feats[f]] * q.scale);
    out[t] = 1 / (1 + Math.exp(-z));
  }
  return out;
}
