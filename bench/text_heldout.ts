/**
 * Person-token scoring on the corpus files the person-name model never trained on (role "heldout" in
 * tools/ner/config.ts): word pieces (runs of letters and digits) inside a labelled person range are
 * person tokens; a piece is predicted when a person span overlaps it. "Other removed" is the share of the
 * remaining pieces that a person span covers. The "s" of a possessive and @mentions (masked by design,
 * no person in these corpora' convention) count neither way.
 *
 * @module
 */
import type { Span } from "../strategies/text/entities.ts";
import { CORPORA_DIR, listCorpora } from "../tools/ner/train.ts";
import { type LabelledText, readGum, readTweets, readUner } from "../tools/ner/corpora.ts";

/** Person scores of one held-out group. */
export interface HeldoutScore {
  persons: number;
  recall: number;
  precision: number;
  otherRemoved: number;
}

const PIECE = /[\p{L}\p{M}\p{N}]+/gu;

/** The held-out texts by group: GUM news, GUM bio and voyage (Wikipedia/Wikivoyage), BTC h, UNER EWT. */
export async function heldoutGroups(dir: URL = CORPORA_DIR): Promise<Map<string, LabelledText[]>> {
  const out = new Map<string, LabelledText[]>();
  for (const f of listCorpora(dir)) {
    if (f.role !== "heldout") continue;
    const text = await Deno.readTextFile(new URL(f.path, dir));
    const texts = f.format === "gum"
      ? readGum(text, 5)
      : f.format === "uner"
      ? readUner(text)
      : readTweets(text, ["PER"]);
    const group = f.format === "gum"
      ? `gum ${f.path.split("_")[1]}`
      : f.path.replace(/\/.*$/, "") + (f.format === "tweets" ? " tweets" : "");
    out.set(group, [...(out.get(group) ?? []), ...texts]);
  }
  return out;
}

/** Scores person spans (one list per text) against the labelled person ranges. */
export function scoreHeldout(texts: readonly LabelledText[], detected: readonly Span[][]): HeldoutScore {
  let gold = 0, others = 0, pred = 0, hit = 0;
  texts.forEach((t, k) => {
    const persons = detected[k].filter((s) => s.entity === "person");
    for (const m of t.text.matchAll(PIECE)) {
      const s = m.index;
      const e = s + m[0].length;
      // A possessive's "s" belongs to the name's span; an @mention is masked by design (neither counts).
      const prev = t.text[s - 1];
      if ((m[0] === "s" && (prev === "'" || prev === "’")) || prev === "@") continue;
      const isGold = t.persons.some(([a, b]) => a < e && b > s);
      const isPred = persons.some((p) => p.start < e && p.end > s);
      if (isGold) gold++;
      else others++;
      if (isPred) pred++;
      if (isPred && isGold) hit++;
    }
  });
  return {
    persons: gold,
    recall: gold === 0 ? 1 : hit / gold,
    precision: pred === 0 ? 1 : hit / pred,
    otherRemoved: others === 0 ? 0 : (pred - hit) / others,
  };
}
