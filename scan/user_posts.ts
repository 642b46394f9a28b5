/**
 * Whether a column of free text holds user posts (comments, chat lines, reviews): a share of its sampled
 * texts that read as user posts, each by its own writing (strategies/text/_user_post.ts), at or above a
 * cut. A column is homogeneous, so the whole column then gets the user-posts threshold of the person-name
 * model, a well-formed row too; the decision is made once, from the sample, and written into the policy,
 * so a run reads every row the same way whatever its chunking, workers or shards.
 *
 * @module
 */
import { hasWriting, readsAsUserPost } from "../strategies/text/_user_post.ts";
import type { StrategySpec } from "../strategies/types.ts";
import { POSTS_CHOSEN, POSTS_PARAMS, THRESHOLDS } from "./heuristics.ts";

/** How many of a column's sampled texts have writing to read, and how many of those read as user posts. */
export interface UserPostCounts {
  /** Texts with writing: four words or more, or an @handle or a #hashtag. */
  texts: number;
  /** Of those, the ones that read as user posts. */
  posts: number;
}

/** Counts the texts of `values` that have writing and the ones that read as user posts. */
export function countUserPosts(values: Iterable<string>): UserPostCounts {
  const counts: UserPostCounts = { texts: 0, posts: 0 };
  for (const v of values) {
    if (!hasWriting(v)) continue;
    counts.texts++;
    if (readsAsUserPost(v)) counts.posts++;
  }
  return counts;
}

/**
 * Whether counted texts make a column of user posts: at least {@link THRESHOLDS.userPostsMinTexts} texts
 * with writing, of which at least the share {@link THRESHOLDS.userPosts} read as user posts.
 */
export function holdsUserPosts(counts: UserPostCounts): boolean {
  return counts.texts >= THRESHOLDS.userPostsMinTexts && counts.posts / counts.texts >= THRESHOLDS.userPosts;
}

/** The evidence of {@link countUserPosts}, in counts only. */
export function userPostEvidence(counts: UserPostCounts): string {
  const verdict = counts.texts < THRESHOLDS.userPostsMinTexts
    ? "too few to judge"
    : holdsUserPosts(counts)
    ? "user posts, so every row gets the user-posts name threshold"
    : "not user posts";
  return `${counts.posts}/${counts.texts} sampled texts (4+ words or a handle) read as user posts, cut ${
    Math.round(THRESHOLDS.userPosts * 100)
  }%: ${verdict}`;
}

/**
 * The user-posts params to suggest for a policy's own rule `existing`, when scan's `proposed` rule for
 * the column has them and `existing` is of the same strategy and has not chosen its threshold; else
 * `null`. The policy's rule is never rewritten: the suggestion goes into a comment.
 */
export function postsSuggestion(
  existing: StrategySpec,
  proposed: StrategySpec,
): Record<string, unknown> | null {
  if (existing.strategy !== proposed.strategy || POSTS_CHOSEN.some((k) => k in existing)) return null;
  const holds = Object.entries(POSTS_PARAMS).every(([k, v]) => proposed[k] === v);
  return holds ? { ...POSTS_PARAMS } : null;
}
