import assert from "node:assert/strict";
import { FEATURE_VERSION } from "../../strategies/text/_ner_features.ts";
import { NER_PROVENANCE, NER_WEIGHTS } from "../../strategies/text/_ner_weights.ts";
import { FULL } from "./config.ts";
import { build, inputDigests, sha256, WEIGHTS_PATH } from "./train.ts";

// Regenerate with `deno task ner:train` when one of these fails.

Deno.test("_ner_weights.ts records the current settings, feature version and tuned threshold", () => {
  assert.deepEqual(NER_PROVENANCE.config, FULL);
  assert.equal(NER_PROVENANCE.featureVersion, FEATURE_VERSION);
  assert.equal(NER_WEIGHTS.featureVersion, FEATURE_VERSION);
  assert.equal(NER_WEIGHTS.threshold, NER_PROVENANCE.threshold);
  assert.equal(NER_WEIGHTS.postsThreshold, NER_PROVENANCE.postsThreshold);
});

Deno.test("_ner_weights.ts was trained from the corpora, gazetteer and feature sources as they are now", async () => {
  const now = await inputDigests();
  assert.deepEqual(NER_PROVENANCE.corpora, now.corpora);
  assert.deepEqual(NER_PROVENANCE.featureSources, now.featureSources);
  assert.equal(NER_PROVENANCE.gazetteerSha256, now.gazetteerSha256);
});

Deno.test("_ner_weights.ts holds the weights its provenance records (no hand edits)", async () => {
  assert.equal(await sha256(JSON.stringify(NER_WEIGHTS.passes)), NER_PROVENANCE.weightsSha256);
});

Deno.test("deno task ner:train reproduces _ner_weights.ts byte for byte", async () => {
  const rebuilt = await build(FULL);
  assert.ok(
    rebuilt === await Deno.readTextFile(WEIGHTS_PATH),
    "retrained weights differ from the shipped ones",
  );
});
