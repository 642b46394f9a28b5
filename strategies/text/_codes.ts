/**
 * Country, currency and state codes in running text ("Shipping to DE please", "Paid in EUR", "NY"): the
 * model and the name rules take many of them for names, since several are short surnames too (Ng, Li, Do,
 * Oh). Written in upper or lower case, a code stays a name only on a real cue.
 *
 * @module
 */
import { GIVEN, PARTICLE, STOP, WIDE } from "./gazetteer.ts";
import { LOWER, type Tokens, UPPER } from "./_tokens.ts";

/** What may sit between two words of one name besides {@link Tokens.joined}: a spaced hyphen ("al - Sadr"). */
const SPACED_HYPHEN = /^ ?- ?$/;

/**
 * Unmarks every code in `name` that no cue marked (`cued`: a title, greeting, introduction, name-question
 * answer, the row's own or the customer's names) and that no other name word joins: "LI Wei", "Wei LI",
 * "ANNA NG", "MC Hammer" stay names, "DE" and "US CA" do not. A code in Title case ("Ng", "Li") is left
 * alone, since codes are written in capitals; so is a code that is also a widely known given name and no
 * particle or function word ("Ben", "Ken", "Guy"), which alone is more often the person.
 */
export function dropCodes(
  tk: Tokens,
  text: string,
  name: Uint8Array,
  cued: Uint8Array,
  codes: ReadonlySet<string>,
): void {
  const code = (i: number) =>
    (tk.casing[i] === UPPER || tk.casing[i] === LOWER) && tk.key[i].length <= 3 && codes.has(tk.key[i]) &&
    (tk.flags[i] & (GIVEN | WIDE | PARTICLE | STOP)) !== (GIVEN | WIDE);
  const linked = (j: number) => tk.joined[j] || SPACED_HYPHEN.test(text.slice(tk.end[j - 1], tk.start[j]));
  const drop: number[] = [];
  for (let i = 0; i < tk.count; i++) {
    if (!name[i] || cued[i] || !code(i)) continue;
    let a = i;
    while (a > 0 && name[a - 1] && linked(a)) a--;
    let b = i;
    while (b + 1 < tk.count && name[b + 1] && linked(b + 1)) b++;
    let full = false;
    for (let j = a; j <= b && !full; j++) {
      full = j !== i && (cued[j] === 1 || (!code(j) && tk.key[j].charCodeAt(0) !== 64));
    }
    if (!full) drop.push(i);
  }
  for (const i of drop) name[i] = 0;
}
