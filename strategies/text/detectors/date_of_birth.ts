/**
 * Dates of birth: a date (numeric, ISO, or with an English, German, French or Spanish month name) that
 * follows a birth cue ("born", "DOB", "date of birth", "geboren", "né le", "fecha de nacimiento"...) within
 * a few words. A date without such a cue is left alone.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const CUE =
  /\b(?:born(?: on| in)?|d\.?o\.?b\.?|date of birth|birth ?date|birthday|geboren(?: am)?|geburtsdatum|n[ée]e? le|date de naissance|fecha de nacimiento|nacid[oa] el|data di nascita|nato il|nata il)\b/gi;
const MONTH =
  "(?:jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[ée]vr(?:ier)?|m[aä]r(?:ch|z|s)?|apr(?:il)?|avr(?:il)?|may|mai|jun[ei]?|juin|jul[iy]?|juil(?:let)?|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember|embre)?)?|o[ck]t(?:ober|obre)?|nov(?:ember|embre)?|de[cz](?:ember|embre)?|d[ée]c(?:embre)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\\.?";
const DATE = new RegExp(
  [
    "\\d{4}-\\d{1,2}-\\d{1,2}",
    "\\d{1,2}[./-]\\d{1,2}[./-](?:\\d{4}|\\d{2})",
    `\\d{1,2}(?:st|nd|rd|th|er)?\\.? (?:of |de )?${MONTH},? \\d{4}`,
    `${MONTH} \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}`,
  ].join("|"),
  "iy",
);

/** Appends a span for the date that follows each birth cue in `text`. */
export function findDatesOfBirth(text: string, out: Span[]): void {
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m !== null; m = CUE.exec(text)) {
    // Skip up to 24 characters of filler (": ", " is ", " on the ") to the date.
    const from = m.index + m[0].length;
    const window = text.slice(from, from + 24);
    for (let i = 0; i < window.length; i++) {
      if (!/\d|[A-Za-z]/.test(window[i]) || (i > 0 && /[\dA-Za-z]/.test(window[i - 1]))) continue;
      DATE.lastIndex = from + i;
      const d = DATE.exec(text);
      if (d !== null) {
        out.push({ start: d.index, end: d.index + d[0].length, entity: "date_of_birth" });
        break;
      }
    }
  }
}
