/**
 * Test helper: the texts of the spans a detector finds.
 *
 * @module
 */
import type { Span } from "../entities.ts";

/** Runs `find` on `text` and returns `entity:matched text` for each span. */
export function found(find: (text: string, out: Span[]) => void, text: string): string[] {
  const out: Span[] = [];
  find(text, out);
  return out.map((s) => `${s.entity}:${text.slice(s.start, s.end)}`);
}
