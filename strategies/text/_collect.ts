/**
 * The collector of a thread that detects entities (a detector worker, or the masking thread with
 * `workers: 0`): each batch's texts, tokens and compromise documents outlive a few young-generation
 * collections, so they fill the old generation, which V8 collects late; a full collection once per MiB of
 * text keeps the thread's heap near what it holds for good (word lists, compromise, the model).
 *
 * @module
 */
import { Collector } from "../../core/collector.ts";

/** Characters of text detected between two full collections. */
const COLLECT_CHARS = 2 ** 20;
/** Largest share of the thread's time spent collecting. */
const COLLECT_SHARE = 0.1;

let collector: Collector | undefined;

/** Counts the characters of one detected batch, collecting when due (see {@link Collector}). */
export function detected(texts: readonly (string | null)[]): void {
  let chars = 0;
  for (const t of texts) chars += t?.length ?? 0;
  collector ??= new Collector({ everyBytes: COLLECT_CHARS, maxShare: COLLECT_SHARE });
  collector.handled(chars);
}
