/**
 * What `deno task ner:train` trains on and how: the corpora and their roles, the seed, the learner's
 * settings and the threshold. The generated weights module records all of it, and its freshness test
 * compares the record with this file and the corpora.
 *
 * Share-alike: the CC BY-SA sources (UNER English-EWT, GUM bio and voyage) are not trained on, so the
 * shipped weights owe nothing to a share-alike licence; they are measured on instead (THIRD_PARTY_NOTICES.md).
 *
 * @module
 */

/** What a corpus file is used for. */
export type Role = "train" | "tune" | "heldout";

/** A corpus file (relative to shared/datasets/ner/corpora) and how it is read. */
export interface CorpusFile {
  path: string;
  format: "tweets" | "conll2003" | "gum" | "uner";
  role: Role;
}

/** Training settings. */
export interface TrainConfig {
  seed: number;
  bits: number;
  epochs: number;
  learningRate: number;
  /** Weight of a person token against an other token in the loss (above 1 favours recall). */
  positiveWeight: number;
  /** Folds for the first pass's out-of-fold probabilities the second pass learns from; 0 = one pass. */
  stackFolds: number;
  /**
   * How the default threshold is chosen: the lowest of {@link THRESHOLDS} at which the model alone takes
   * at most `maxOtherRemoved` of the other tokens of the "tune" files of `tuneGroup` for names. The
   * target for news-like text is at most 5% of other tokens removed by the whole scrubber; the model's
   * share is held to 3.5% so that the rules' own false hits fit in the rest.
   */
  tuneGroup: string;
  maxOtherRemoved: number;
  /**
   * The same for the threshold documented for user posts (tweets, chat): the target there allows 15% of
   * the other tokens removed, and the model's share is held to the same 70% of it as for news.
   */
  postsTuneGroup: string;
  postsMaxOtherRemoved: number;
}

/** The thresholds the tool tries. */
export const THRESHOLDS: readonly number[] = [
  0.002,
  0.003,
  0.005,
  0.007,
  0.01,
  0.02,
  0.03,
  0.04,
  0.05,
  0.07,
  0.1,
  0.15,
  0.2,
  0.25,
  0.3,
  0.4,
  0.5,
];

/** The settings of the shipped weights. */
export const FULL: TrainConfig = {
  seed: 17,
  bits: 18,
  epochs: 4,
  learningRate: 0.2,
  positiveWeight: 2,
  stackFolds: 3,
  tuneGroup: "gum_news",
  maxOtherRemoved: 0.035,
  postsTuneGroup: "btc",
  postsMaxOtherRemoved: 0.105,
};

/** A faster configuration for trying changes (`deno task ner:train --quick`); its weights are not shipped. */
export const QUICK: TrainConfig = { ...FULL, epochs: 2, stackFolds: 0 };

const GUM_NEWS_HELDOUT = ["afghan", "clock", "defector", "hackers", "korea", "nasa", "soccer", "warhol"];
const GUM_NEWS_TUNE = ["election", "iodine", "taxes"];

/** Role of a GUM file by genre and name. */
function gumRole(name: string): Role | null {
  const m = /^GUM_([a-z]+)_(.+)\.conllu$/.exec(name);
  if (!m) return null;
  const [, genre, doc] = m;
  // Wikipedia and Wikivoyage texts are CC BY-SA: measured on, never trained on.
  if (genre === "bio" || genre === "voyage") return "heldout";
  if (genre === "news" && GUM_NEWS_HELDOUT.includes(doc)) return "heldout";
  if (genre === "news" && GUM_NEWS_TUNE.includes(doc)) return "tune";
  return "train";
}

/** Every corpus file and its role, in a fixed order, given the file names of the gum folder. */
export function corpusFiles(gumNames: readonly string[]): CorpusFile[] {
  const out: CorpusFile[] = [
    { path: "wnut17/wnut17train.conll", format: "tweets", role: "train" },
    ...["a", "b", "f", "g"].map((n): CorpusFile => ({
      path: `btc/${n}.conll`,
      format: "tweets",
      role: "train",
    })),
    { path: "btc/e.conll", format: "tweets", role: "tune" },
    { path: "btc/h.conll", format: "tweets", role: "heldout" },
    { path: "sec/FIN5.txt", format: "conll2003", role: "train" },
    { path: "sec/FIN3.txt", format: "conll2003", role: "train" },
    { path: "uner_ewt/en_ewt-ud-dev.iob2", format: "uner", role: "heldout" },
    { path: "uner_ewt/en_ewt-ud-test.iob2", format: "uner", role: "heldout" },
  ];
  for (const name of [...gumNames].sort()) {
    const role = gumRole(name);
    if (role !== null) out.push({ path: `gum/${name}`, format: "gum", role });
  }
  return out;
}
