/**
 * Telephone numbers. International: `+` or `00`, a country code and 7–14 more digits. National: a trunk
 * `0` and 9–11 digits in total (most of Europe, Asia), or the North American 3-3-4 plan with valid area
 * and exchange codes, or an Indian mobile number in two groups of five. Groups may be split by spaces,
 * dots, dashes, slashes or a parenthesised area code. An extension after the number ("x4587", "ext. 12",
 * "extension 301", "#22") belongs to it.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const CANDIDATE = /(?<![\w+.\/-])(?:\+|00)?\(?\d[\d\s().\/-]{4,22}\d(?![\w]|[.,-]\d)/g;
const NANP = /^(?:\+?1[\s.-]?)?(?:\(([2-9]\d\d)\)|([2-9]\d\d))[\s.-]?([2-9]\d\d)[\s.-]?(\d{4})$/;
const EXTENSION = /^,? ?(?:x|ext\.?|extn\.?|extension|durchwahl|poste|#) ?\d{1,6}(?!\d)/i;
const INDIAN_MOBILE = /^(?:\+?91[\s-]?)?[6-9]\d{4}[\s-]?\d{5}$/;
const DATE_FIRST = /^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?!\d)/;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
const THOUSANDS = /^\d{1,3}(?:[ .,]\d{3})+$/;
const CUE =
  /\b(?:phone|tel|telephone|call|called|calling|mobile|cell|contact|reach|whatsapp|sms|text|fax|ring|number|no|nr|handy|telefon|téléphone|portable|teléfono|móvil|telefono|cellulare|telefoonnummer|mobiel|telefonnummer|telefone|celular)\b[^\n\d]{0,30}$/i;

/** Appends a span for every telephone number in `text`. */
export function findPhones(text: string, out: Span[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    let raw = m[0];
    // A candidate never spans a line break or two spaces: those separate numbers, not groups.
    const cut = raw.search(/\n|\s{2}|\t/);
    if (cut !== -1) raw = raw.slice(0, cut).replace(/[\s(.\/-]+$/, "");
    // A date and a time ("08/10/2000 08:28") are no number to call.
    if (DATE_FIRST.test(raw) || /^:\d/.test(text.slice(m.index + raw.length))) continue;
    const cued = CUE.test(text.slice(Math.max(0, m.index - 40), m.index));
    if (!isPhone(raw, cued)) continue;
    const ext = raw.length === m[0].length ? EXTENSION.exec(text.slice(m.index + raw.length)) : null;
    const end = m.index + raw.length + (ext?.[0].length ?? 0);
    out.push({ start: m.index, end, entity: "phone" });
    CANDIDATE.lastIndex = Math.max(CANDIDATE.lastIndex, end);
  }
}

/**
 * True when `raw` (a candidate with its separators) reads as a telephone number. With `cued` (a word like
 * "phone" or "call" just before it) any 6 to 15 digits that are not a date or an amount will do.
 */
export function isPhone(raw: string, cued = false): boolean {
  if (DATE_LIKE.test(raw)) return false;
  if ((raw.match(/\(/g)?.length ?? 0) !== (raw.match(/\)/g)?.length ?? 0)) return false;
  const digits = raw.replace(/\D/g, "");
  const seps = raw.replace(/[\d()+]/g, "").replace(/\s+/g, " ");
  if (new Set(seps.replace(/ /g, "")).size > 1) return false;
  if (raw.startsWith("+") || raw.startsWith("00")) {
    const n = raw.startsWith("00") ? digits.length - 2 : digits.length;
    return n >= 8 && n <= 15;
  }
  if (cued && digits.length >= 6 && digits.length <= 15) return true;
  if (THOUSANDS.test(raw)) return false;
  if (NANP.test(raw)) return digits.length === 10 || digits.length === 11;
  if (INDIAN_MOBILE.test(raw)) return true;
  // Three or more groups ("941 04 61 34", "8 (980) 778-08-55"), or a bracketed area code.
  const groups = raw.split(/[\s().\/-]+/).filter((g) => g.length > 0).length;
  if ((groups >= 3 || /^\(\d{2,4}\)/.test(raw)) && digits.length >= 8 && digits.length <= 12) return true;
  if (digits[0] === "0" && digits[1] !== "0") {
    return digits.length >= 9 && digits.length <= 11 && seps.length <= 5;
  }
  return false;
}
