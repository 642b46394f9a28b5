/**
 * The compromise side of name detection: runs compromise on the given sentences only and returns its
 * people, places and organisations as spans, minus the id-like false positives it is known for
 * ("ORD-12345" read as a place or an acronym).
 *
 * @module
 */
import nlp from "compromise";
import type { Entity, Span } from "./entities.ts";

interface Term {
  text: string;
  offset: { start: number; length: number };
}
interface Match {
  terms: Term[];
}

const ID_LIKE = /\d|^[A-Z]{1,5}-?$/;

/** compromise's people, places and organisations inside the `[start, end)` ranges of `text`. */
export function compromiseNames(text: string, ranges: readonly [number, number][]): Span[] {
  const out: Span[] = [];
  for (const [from, to] of ranges) {
    const doc = nlp(text.slice(from, to));
    collect(doc.people().json({ offset: true }) as Match[], "person", from, out);
    collect(doc.places().json({ offset: true }) as Match[], "location", from, out);
    collect(doc.organizations().json({ offset: true }) as Match[], "organization", from, out);
  }
  return out;
}

function collect(matches: Match[], entity: Entity, base: number, out: Span[]): void {
  for (const m of matches) {
    const terms = m.terms.filter((t) => t.text.length > 0 && !ID_LIKE.test(t.text));
    if (terms.length === 0 || terms.length !== m.terms.length) continue;
    // compromise keeps "-" or "'s" inside a term's text; the span covers only the word itself.
    const first = terms[0];
    const last = terms[terms.length - 1];
    const start = base + first.offset.start;
    let end = base + last.offset.start + last.offset.length;
    const tail = /(?:'s|’s|[^\p{L}\p{M}\p{N}]+)$/u.exec(last.text);
    if (tail) end -= tail[0].length;
    if (end > start) out.push({ start, end, entity });
  }
}
