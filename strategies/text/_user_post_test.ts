import assert from "node:assert/strict";
import { readsAsUserPost } from "./_user_post.ts";

Deno.test("readsAsUserPost() reads an @handle, a #hashtag or one strong cue of informal writing as a post", () => {
  for (
    const text of [
      "@jdoe saw Tobenna at the game.",
      "Gutted for Mo Salah #LFC.",
      "Went there yesterday and i loved it.",
      "kelsey you should dye your hair again.",
      "Poor old Jimmy xD.",
      "Great video, thanks 😊.",
      "Idk why Jason did that.",
      "Is Jason ok now??",
      "That was sooo good.",
      "RT Jason Kidd is back.",
    ]
  ) assert.equal(readsAsUserPost(text), true, text);
});

Deno.test("readsAsUserPost() needs two weak cues, each common in edited text", () => {
  // A lower-case first word and no final punctuation.
  assert.equal(readsAsUserPost("hope Riceball gets better"), true);
  // "!" and a link.
  assert.equal(readsAsUserPost("Watch Pyrion's new video! https://example.com/v/1."), true);
  for (
    const text of [
      "As President, I intend to keep that promise!",
      "Local municipalities in Italy ask taxes from religious schools",
      "the new one would be unique to New Zealand.",
      "See https://example.com/report for the figures.",
    ]
  ) assert.equal(readsAsUserPost(text), false, text);
});

Deno.test("readsAsUserPost() leaves edited text that only looks like a cue", () => {
  for (
    const text of [
      "garden hose",
      "blue garden hose",
      "Poor Jimmy xD",
      "Mail ana.silva@example.com about #4512.",
      "Borrower will pay Bank ( i ) all unpaid payments , i . e . the balance .",
      "Many words (e.g. colour, texture) differ. That is the point.",
      "Server b98c:81a0:f6de:fffa rejected the upload for Christina Hald.",
      "Roman numerals such as XIII and iii appear at www.example.com.",
      "The U.S. Treasury note yield.",
      "There is a time for everything ... there is time for some things to come.",
    ]
  ) assert.equal(readsAsUserPost(text), false, text);
});
