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
import { THRESHOLDS } from "./heuristics.ts";

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
