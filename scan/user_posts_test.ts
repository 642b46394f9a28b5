import assert from "node:assert/strict";
import { THRESHOLDS } from "./heuristics.ts";
import { countUserPosts, holdsUserPosts, userPostEvidence } from "./user_posts.ts";

const PROSE = "The committee approved the budget on Tuesday.";
const POST = "lol i cant believe this happened again";

Deno.test("countUserPosts() counts only texts with writing, and the user posts among them", () => {
  assert.deepEqual(countUserPosts([PROSE, POST, "ok", "lol", "@ana thanks", ""]), { texts: 3, posts: 2 });
});

Deno.test("holdsUserPosts() needs enough texts with writing and a share of posts at the cut", () => {
  const min = THRESHOLDS.userPostsMinTexts;
  // At the cut (20 of 100) is enough; one fewer is not.
  assert.equal(THRESHOLDS.userPosts, 0.2);
  assert.equal(holdsUserPosts({ texts: 100, posts: 20 }), true);
  assert.equal(holdsUserPosts({ texts: 100, posts: 19 }), false);
  assert.equal(holdsUserPosts({ texts: min - 1, posts: min - 1 }), false);
  assert.equal(holdsUserPosts(countUserPosts([...Array(min).fill(POST)])), true);
  assert.equal(holdsUserPosts(countUserPosts([...Array(min).fill(PROSE)])), false);
});

Deno.test("userPostEvidence() gives counts, the cut and the verdict, never a value", () => {
  assert.equal(
    userPostEvidence({ texts: 50, posts: 30 }),
    "30/50 sampled texts (4+ words or a handle) read as user posts, cut 20%: user posts, so every row gets the user-posts name threshold",
  );
  assert.match(userPostEvidence({ texts: 3, posts: 3 }), /too few to judge$/);
  assert.match(userPostEvidence({ texts: 50, posts: 2 }), /: not user posts$/);
});
