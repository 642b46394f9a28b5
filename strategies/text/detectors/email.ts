/**
 * E-mail addresses: a dot-atom local part, `@`, and a domain with at least one dot and an alphabetic TLD.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const EMAIL =
  /[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/** Appends a span for every e-mail address in `text`. */
export function findEmails(text: string, out: Span[]): void {
  if (!text.includes("@")) return;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
    let start = m.index;
    // Quotes and apostrophes are legal in a local part but in prose they are punctuation around it.
    while (start < m.index + m[0].length && (text[start] === "'" || text[start] === "`")) start++;
    out.push({ start, end: m.index + m[0].length, entity: "email" });
  }
}
