/**
 * What `privaci scan` would write for a data set taken as one column: the user-posts decision of
 * scan/user_posts.ts over a deterministic sample (the first {@link SCAN_SAMPLE} texts), and the person
 * threshold text.scrub then gives every text (`text: posts`, or the per-text default).
 *
 * @module
 */
import { POSTS_PARAMS } from "../scan/heuristics.ts";
import { countUserPosts, holdsUserPosts, type UserPostCounts } from "../scan/user_posts.ts";
import { personThreshold, textScrub } from "../strategies/text/text_scrub.ts";

/** Texts of a data set read for the decision, as scan reads at most its sample of rows. */
export const SCAN_SAMPLE = 1000;

/** Scan's decision for a data set and the threshold it leads to. */
export interface ScanPolicy {
  counts: UserPostCounts;
  /** The column holds user posts: the rule gets `text: posts`. */
  posts: boolean;
  /** The person threshold for every text, or `undefined` for the per-text default. */
  threshold: number | undefined;
}

/** The policy scan would write for `texts` taken as one column. */
export function scanPolicy(texts: readonly string[]): ScanPolicy {
  const counts = countUserPosts(texts.slice(0, SCAN_SAMPLE));
  const posts = holdsUserPosts(counts);
  const params = textScrub.params.parse(posts ? POSTS_PARAMS : {});
  return { counts, posts, threshold: personThreshold(params) };
}
