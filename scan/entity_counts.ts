/**
 * Runs the text.scrub detectors and person-name finder over a list of values and counts, per entity,
 * how many values are wholly that entity and how many hold it inside longer text. Only counts leave this
 * function: never a value or a span.
 *
 * @module
 */
import { detectSpans } from "../strategies/text/detect.ts";
import type { Entity } from "../strategies/text/entities.ts";

/** What the detectors found in a list of values. */
export interface EntityCounts {
  /** Values read. */
  values: number;
  /** Values that are wholly one entity (surrounding spaces and punctuation aside), by entity. */
  whole: Partial<Record<Entity, number>>;
  /** Values holding the entity inside longer text, by entity. */
  within: Partial<Record<Entity, number>>;
  /** Values holding any entity inside longer text. */
  anyWithin: number;
  /** Words per value, on average. */
  words: number;
}

const EDGE = /^[\s"'(),.;:<>[\]]*|[\s"'(),.;:<>[\]]*$/g;

/**
 * Counts entities in `values` with the cheap rules of the name finder (no compromise, no guessing
 * unknown capitalised words): a scan reads many columns and wants evidence, not recall on prose.
 */
export function countEntities(values: readonly string[], entities: readonly Entity[]): EntityCounts {
  const want = new Set(entities);
  const counts: EntityCounts = { values: values.length, whole: {}, within: {}, anyWithin: 0, words: 0 };
  let words = 0;
  for (const raw of values) {
    words += raw.split(/\s+/).filter((w) => w.length > 0).length;
    const text = raw.replace(EDGE, "");
    const spans = detectSpans(text, { entities: want, nlp: false, unknownAsPerson: false });
    if (spans.length === 0) continue;
    if (spans.length === 1 && spans[0].start === 0 && spans[0].end === text.length) {
      const e = spans[0].entity;
      counts.whole[e] = (counts.whole[e] ?? 0) + 1;
      continue;
    }
    counts.anyWithin++;
    for (const e of new Set(spans.map((s) => s.entity))) counts.within[e] = (counts.within[e] ?? 0) + 1;
  }
  counts.words = values.length === 0 ? 0 : words / values.length;
  return counts;
}
