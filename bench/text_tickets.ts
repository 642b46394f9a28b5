/**
 * Token-level scoring on the synthetic ticket corpus: word pieces (runs of letters and digits) inside a
 * gold span are gold for its entity type; a piece is predicted when a detected span of that type overlaps
 * it. Also the share of full-name mentions whose every piece was found, per locale.
 *
 * @module
 */
import type { Span } from "../strategies/text/entities.ts";
import type { Ticket } from "../strategies/text/testdata/ticket_corpus.ts";
import type { Score } from "./text_wnut.ts";

/** Scores of the ticket corpus. */
export interface TicketScores {
  entities: Record<string, Score>;
  /** Per locale: person-token recall and the share of person mentions found in full. */
  locales: Record<string, { recall: number; fullNames: number; mentions: number }>;
}

const PIECE = /[\p{L}\p{M}\p{N}]+/gu;

/** Scores detected spans (one list per ticket) against the corpus' gold spans. */
export function scoreTickets(tickets: readonly Ticket[], detected: readonly Span[][]): TicketScores {
  const counts = new Map<string, { gold: number; predicted: number; hit: number }>();
  const loc = new Map<string, { gold: number; hit: number; full: number; mentions: number }>();
  const bump = (e: string) => {
    let c = counts.get(e);
    if (!c) counts.set(e, c = { gold: 0, predicted: 0, hit: 0 });
    return c;
  };
  tickets.forEach((t, k) => {
    const l = loc.get(t.locale) ?? { gold: 0, hit: 0, full: 0, mentions: 0 };
    loc.set(t.locale, l);
    const pieces = [...t.text.matchAll(PIECE)].map((m) => [m.index, m.index + m[0].length]);
    const found = (entity: string, s: number, e: number) =>
      detected[k].some((p) => p.entity === entity && p.start < e && p.end > s);
    for (const [s, e] of pieces) {
      const gold = t.spans.find((g) => g.start <= s && g.end >= e)?.entity;
      if (gold) {
        const c = bump(gold);
        c.gold++;
        const hit = found(gold, s, e);
        if (hit) c.hit++;
        if (gold === "person") {
          l.gold++;
          if (hit) l.hit++;
        }
      }
      for (const p of detected[k]) {
        if (p.start < e && p.end > s) {
          bump(p.entity).predicted++;
          break;
        }
      }
    }
    for (const g of t.spans) {
      if (g.entity !== "person") continue;
      l.mentions++;
      const inside = pieces.filter(([s, e]) => s >= g.start && e <= g.end);
      if (inside.every(([s, e]) => found("person", s, e))) l.full++;
    }
  });
  const entities: Record<string, Score> = {};
  for (const [e, c] of [...counts].sort()) {
    entities[e] = {
      ...c,
      recall: c.gold === 0 ? 1 : c.hit / c.gold,
      precision: c.predicted === 0 ? 1 : c.hit / c.predicted,
    };
  }
  const locales: TicketScores["locales"] = {};
  for (const [name, l] of [...loc].sort()) {
    locales[name] = {
      recall: l.gold === 0 ? 1 : l.hit / l.gold,
      fullNames: l.mentions === 0 ? 1 : l.full / l.mentions,
      mentions: l.mentions,
    };
  }
  return { entities, locales };
}
