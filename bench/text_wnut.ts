/**
 * Token-level scoring of `text.scrub` detection on a CoNLL file (WNUT-17): each sentence's tokens are
 * joined with single spaces, detected, and a token counts as predicted for an entity type when a span of
 * that type overlaps it.
 *
 * @module
 */
import type { Entity, Span } from "../strategies/text/entities.ts";

/** One CoNLL sentence: tokens and their BIO tags without the B-/I- prefix ("O" for none). */
export interface ConllSentence {
  tokens: string[];
  tags: string[];
}

/** Reads a token-per-line CoNLL file with blank lines between sentences. */
export function parseConll(text: string): ConllSentence[] {
  const out: ConllSentence[] = [];
  let cur: ConllSentence = { tokens: [], tags: [] };
  for (const line of text.split("\n")) {
    const cols = line.split("\t");
    if (line.trim() === "" || cols.length < 2) {
      if (cur.tokens.length > 0) out.push(cur);
      cur = { tokens: [], tags: [] };
      continue;
    }
    cur.tokens.push(cols[0]);
    cur.tags.push(cols[cols.length - 1].replace(/^[BI]-/, ""));
  }
  if (cur.tokens.length > 0) out.push(cur);
  return out;
}

/** Which gold tags count as which entity type. */
export const WNUT_GOLD: Readonly<Partial<Record<Entity, readonly string[]>>> = {
  person: ["person"],
  location: ["location"],
  organization: ["corporation", "group"],
};

/** Recall and precision counts of one entity type. */
export interface Score {
  gold: number;
  predicted: number;
  hit: number;
  recall: number;
  precision: number;
}

/** Scores `detect` on the sentences for every entity type in {@link WNUT_GOLD}. */
export function scoreConll(
  sentences: readonly ConllSentence[],
  detect: (texts: string[]) => Span[][],
): Record<string, Score> {
  const texts = sentences.map((s) => s.tokens.join(" "));
  const spans = detect(texts);
  const counts: Record<string, { gold: number; predicted: number; hit: number }> = {};
  for (const [entity, tags] of Object.entries(WNUT_GOLD)) {
    const c = { gold: 0, predicted: 0, hit: 0 };
    sentences.forEach((s, k) => {
      let at = 0;
      for (let i = 0; i < s.tokens.length; i++) {
        const start = at;
        const end = at + s.tokens[i].length;
        at = end + 1;
        const gold = tags!.includes(s.tags[i]);
        const pred = spans[k].some((p) => p.entity === entity && p.start < end && p.end > start);
        if (gold) c.gold++;
        if (pred) c.predicted++;
        if (gold && pred) c.hit++;
      }
    });
    counts[entity] = c;
  }
  return Object.fromEntries(
    Object.entries(counts).map(([e, c]) => [e, {
      ...c,
      recall: c.gold === 0 ? 1 : c.hit / c.gold,
      precision: c.predicted === 0 ? 1 : c.hit / c.predicted,
    }]),
  );
}
