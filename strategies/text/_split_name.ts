/**
 * `person_style: first_last`: fakes a detected name the way split name columns are faked, so a ticket
 * agrees with a customer row masked by `fake.first_name` and `fake.last_name`. The family name starts at
 * the first particle after the given name ("Anna van der Berg"), else it is the last word; a single word
 * is taken for a given name (as in "Hi Anna" or "Thanks, Anna").
 *
 * @module
 */
import type { BatchContext, Cell, ColumnMasker } from "../types.ts";
import { fold } from "./fold.ts";

const PARTICLES = new Set([
  "van",
  "von",
  "de",
  "der",
  "den",
  "del",
  "della",
  "di",
  "da",
  "das",
  "dos",
  "du",
  "la",
  "le",
  "ter",
  "ten",
  "bin",
  "ibn",
  "al",
  "el",
]);

/** Splits a name into its given and family parts (`family` is `""` for one word). */
export function splitName(name: string): { given: string; family: string } {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { given: words[0] ?? "", family: "" };
  let cut = words.length - 1;
  for (let i = 1; i < words.length - 1; i++) {
    if (PARTICLES.has(fold(words[i]))) {
      cut = i;
      break;
    }
  }
  return { given: words.slice(0, cut).join(" "), family: words.slice(cut).join(" ") };
}

/** A masker of full names built from a given-name masker and a family-name masker. */
export function splitNameMasker(given: ColumnMasker, family: ColumnMasker): ColumnMasker {
  return {
    async mask(values: readonly Cell[], batch: BatchContext): Promise<Cell[]> {
      const parts = values.map((v) => (v === null ? null : splitName(v)));
      const givens = await given.mask(parts.map((p) => p?.given ?? null), batch);
      const families = await family.mask(parts.map((p) => (p && p.family !== "" ? p.family : null)), batch);
      return parts.map((p, i) => {
        if (p === null) return null;
        return p.family === "" ? givens[i] : `${givens[i]} ${families[i]}`;
      });
    },
    async close() {
      await given.close?.();
      await family.close?.();
    },
  };
}
