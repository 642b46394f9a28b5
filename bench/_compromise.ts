/**
 * The Level 2 reference point: compromise alone (its person, place and organisation finders) on the
 * same support ticket bodies the scrubber gets, on one core, in words per second.
 *
 * @module
 */
import nlp from "compromise";
import { psql } from "./_db.ts";

/** Words per second of compromise alone. */
export interface CompromiseSpeed {
  texts: number;
  words: number;
  ms: number;
  wordsPerSecond: number;
}

/**
 * Runs compromise over the first `limit` ticket bodies, stopping early after `budgetMs`.
 *
 * @param url the source database.
 * @param options how many texts at most and for how long.
 */
export async function compromiseSpeed(
  url: string,
  options: { limit: number; budgetMs: number },
): Promise<CompromiseSpeed> {
  const out = await psql(url, [
    "-A",
    "-t",
    "-c",
    `select body from support_tickets order by id limit ${options.limit}`,
  ]);
  const texts = out.split("\n").filter((t) => t.length > 0);
  const warm = Math.min(50, texts.length);
  for (let i = 0; i < warm; i++) find(texts[i]);
  let words = 0;
  let done = 0;
  const started = performance.now();
  for (const text of texts) {
    find(text);
    words += countWords(text);
    done++;
    if (performance.now() - started > options.budgetMs) break;
  }
  const ms = performance.now() - started;
  return { texts: done, words, ms, wordsPerSecond: words / (ms / 1000) };
}

/** Whitespace-separated words, as the bench counts them everywhere. */
export function countWords(text: string): number {
  const m = text.trim().match(/\s+/g);
  return text.trim() === "" ? 0 : (m?.length ?? 0) + 1;
}

function find(text: string): number {
  const doc = nlp(text);
  return doc.people().length + doc.places().length + doc.organizations().length;
}
