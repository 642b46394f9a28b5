import assert from "node:assert/strict";
import { modelThreshold } from "./detect.ts";
import { nerModel } from "./_ner_model.ts";

Deno.test("modelThreshold() reads a text with an @handle or a #hashtag as a user post", () => {
  const model = nerModel();
  assert.ok(model.postsThreshold < model.threshold);
  assert.equal(modelThreshold("@jdoe saw tobenna at the game", undefined), model.postsThreshold);
  assert.equal(modelThreshold("gutted for mo salah #LFC", undefined), model.postsThreshold);
  assert.equal(modelThreshold("Mail ana.silva@example.com about #4512", undefined), model.threshold);
  assert.equal(modelThreshold("Ana Silva called about her order.", undefined), model.threshold);
});

Deno.test("modelThreshold() reads a text without handles or hashtags as a user post by its casing and cues", () => {
  const model = nerModel();
  assert.equal(modelThreshold("saw tobenna at the game yesterday", undefined), model.postsThreshold);
  assert.equal(modelThreshold("Poor old Jimmy xD", undefined), model.postsThreshold);
  assert.equal(modelThreshold("garden hose", undefined), model.threshold);
  assert.equal(modelThreshold("Jimmy was there, as the minutes record.", undefined), model.threshold);
});

Deno.test("modelThreshold() keeps a threshold the policy sets for every text", () => {
  assert.equal(modelThreshold("@jdoe saw tobenna", 0.3), 0.3);
  assert.equal(modelThreshold("Ana Silva called.", 0.3), 0.3);
});
