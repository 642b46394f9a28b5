/**
 * Family names of several words ("Le gall", "van der Meer", "Da silva"): faker writes some with the second
 * word in lower case, where it reads as an ordinary word ("gall") and a span would stop before it.
 *
 * @module
 */
import type { Tokens } from "./_tokens.ts";

/**
 * Marks the whole of every family name of several words that `compounds` (by first word) knows, in any
 * casing, when `name` already marks one of its words: "Le gall" whole, not "Le". A possessive "'s" on the
 * last word is allowed ("Le gall's").
 */
export function wholeCompounds(
  tk: Tokens,
  name: Uint8Array,
  covered: Uint8Array,
  compounds: ReadonlyMap<string, readonly (readonly string[])[]>,
): void {
  for (let i = 0; i < tk.count; i++) {
    const list = compounds.get(tk.key[i]);
    if (list === undefined) continue;
    for (const parts of list) {
      const last = i + parts.length - 1;
      if (last >= tk.count) continue;
      let match = true;
      let marked = false;
      for (let k = 0; k < parts.length && match; k++) {
        const j = i + k;
        const key = k === parts.length - 1 ? tk.key[j].replace(/'s$/, "") : tk.key[j];
        match = key === parts[k] && !covered[j] && (k === 0 || tk.joined[j]);
        marked ||= name[j] === 1;
      }
      if (!match || !marked) continue;
      for (let j = i; j <= last; j++) name[j] = 1;
    }
  }
}
