/**
 * The shipped person-name model's tuned thresholds, for `text.scrub`'s parameter description. They live
 * apart from the weights module (720 KB of source) so the masking thread, which only describes and checks
 * the parameter while detector workers run the model, does not load the weights; _ner_model_test.ts fails
 * when these and the weights disagree (after `deno task ner:train`, copy its two thresholds here).
 *
 * @module
 */

/** The default threshold (news-like text) and the one for user posts (see `_user_post.ts`). */
export const NER_THRESHOLDS = { threshold: 0.04, postsThreshold: 0.005 } as const;
