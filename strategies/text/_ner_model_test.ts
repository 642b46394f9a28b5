import assert from "node:assert/strict";
import { gazetteer } from "./gazetteer.ts";
import {
  bucket,
  contextFeatures,
  documentMax,
  EDGE,
  OFFSETS,
  stackFeatures,
  textFacts,
  wordFeatures,
} from "./_ner_features.ts";
import { modelFrom, nerModel, personProbabilities } from "./_ner_model.ts";
import { NER_WEIGHTS } from "./_ner_weights.ts";
import { NER_THRESHOLDS } from "./_ner_thresholds.ts";
import { tokenize } from "./_tokens.ts";

const TEXTS = [
  "Yesterday Mr. Okonkwo met Ifeoma Nwachukwu in Lagos.\nRegards, Ana",
  "lol @jdoe and tobenna were at the game, TOBENNA said it was great!!",
  "The parcel for Stiriaco Sparacino's shop arrived; Sparacino signed (late).",
];

/** The probabilities from every feature string of every token, without any cache. */
function reference(text: string): number[] {
  const model = modelFrom(NER_WEIGHTS);
  const tk = tokenize(text, gazetteer().flags);
  const facts = textFacts(tk);
  let probs = new Float32Array(tk.count);
  model.passes.forEach((pass, p) => {
    const sum = (fs: string[]) => fs.reduce((z, f) => z + pass.weights[bucket(f, pass.bits)], 0);
    const docMax = documentMax(tk, probs);
    const next = new Float32Array(tk.count);
    for (let i = 0; i < tk.count; i++) {
      let z = sum(contextFeatures(text, tk, facts, i));
      for (const o of OFFSETS) {
        const j = i + o;
        const inside = j >= 0 && j < tk.count && tk.sentence[j] === tk.sentence[i];
        z += sum(
          inside ? wordFeatures(tk.word[j], tk.flags[j], tk.casing[j], o) : wordFeatures(EDGE, 0, 0, o),
        );
      }
      if (p > 0) z += sum(stackFeatures(tk, probs, docMax, i));
      next[i] = 1 / (1 + Math.exp(-z));
    }
    probs = next;
  });
  return [...probs];
}

Deno.test("personProbabilities() with its caches equals the sum over every feature string", () => {
  for (let round = 0; round < 2; round++) {
    for (const text of TEXTS) {
      const got = personProbabilities(text, tokenize(text, gazetteer().flags), nerModel());
      const want = reference(text);
      assert.equal(got.length, want.length);
      got.forEach((p, i) =>
        assert.ok(Math.abs(p - want[i]) < 1e-4, `${text}: token ${i} ${p} vs ${want[i]}`)
      );
    }
  }
});

Deno.test("personProbabilities() rates a name above the ordinary words around it", () => {
  const text = "Thanks to Tobenna for the quick reply";
  const probs = personProbabilities(text, tokenize(text, gazetteer().flags));
  assert.ok(probs[2] >= nerModel().threshold, `Tobenna ${probs[2]}`);
  for (const i of [0, 1, 3, 4, 5, 6]) assert.ok(probs[i] < probs[2], `token ${i} ${probs[i]}`);
});

Deno.test("modelFrom() refuses weights trained on another feature version", () => {
  assert.throws(
    () => modelFrom({ ...NER_WEIGHTS, featureVersion: NER_WEIGHTS.featureVersion + 1 }),
    RangeError,
  );
});

Deno.test("NER_THRESHOLDS match the shipped weights' tuned thresholds", () => {
  assert.deepEqual(NER_THRESHOLDS, {
    threshold: NER_WEIGHTS.threshold,
    postsThreshold: NER_WEIGHTS.postsThreshold,
  });
});
