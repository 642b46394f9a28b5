/**
 * `deno task ner:train`: trains the person-name model from shared/datasets/ner/corpora and writes
 * strategies/text/_ner_weights.ts, recording the corpora's digests, the digests of the files that define
 * the features, the settings (tools/ner/config.ts) and a digest of the weights. Same inputs, same bytes.
 *
 * Usage: deno task ner:train [--quick] [--out FILE] [--corpora DIR]
 *   --quick  fewer epochs and no second pass, for trying changes; prints scores, writes nothing unless
 *            --out is given.
 *
 * It prints person-token scores of the model alone on the "tune" and "heldout" files at each threshold,
 * and picks the default threshold on the tune files (see `TrainConfig.tuneGroup`).
 *
 * @module
 */
import { WORDS } from "../../strategies/text/_gazetteer_data.ts";
import { FEATURE_VERSION } from "../../strategies/text/_ner_features.ts";
import { denoFmt } from "../deno_fmt.ts";
import {
  type CorpusFile,
  corpusFiles,
  FULL,
  QUICK,
  type Role,
  THRESHOLDS,
  type TrainConfig,
} from "./config.ts";
import { type LabelledText, readConll2003, readGum, readTweets, readUner } from "./corpora.ts";
import { type Examples, examplesOf, sliceTexts, withStack } from "./dataset.ts";
import { learn, predict, quantise, type Quantised } from "./learner.ts";

/** Where the generated weights module lives. */
export const WEIGHTS_PATH: URL = new URL("../../strategies/text/_ner_weights.ts", import.meta.url);
/** The corpora, from the repository root's sibling `shared` folder (as in CI). */
export const CORPORA_DIR: URL = new URL("../../../shared/datasets/ner/corpora/", import.meta.url);
/** Source files whose contents decide the features; their digests are recorded. */
export const FEATURE_SOURCES: readonly string[] = [
  "strategies/text/_ner_features.ts",
  "strategies/text/_tokens.ts",
  "strategies/text/fold.ts",
];
const ROOT = new URL("../../", import.meta.url);

/** SHA-256 of bytes, hex. */
export async function sha256(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The corpus files in use, in their fixed order. */
export function listCorpora(dir: URL = CORPORA_DIR): CorpusFile[] {
  const gum = [...Deno.readDirSync(new URL("gum/", dir))].map((e) => e.name);
  return corpusFiles(gum);
}

/** What the generated module records about how its weights were made. */
export interface Provenance {
  featureVersion: number;
  config: TrainConfig;
  /** The tuned default threshold. */
  threshold: number;
  /** The threshold tuned for user posts. */
  postsThreshold: number;
  corpora: { path: string; role: Role; sha256: string }[];
  featureSources: { path: string; sha256: string }[];
  gazetteerSha256: string;
  weightsSha256: string;
}

/** Digests of every input that decides the weights. */
export async function inputDigests(
  dir: URL = CORPORA_DIR,
): Promise<Omit<Provenance, "config" | "weightsSha256" | "featureVersion" | "threshold" | "postsThreshold">> {
  const corpora = [];
  for (const f of listCorpora(dir)) {
    corpora.push({
      path: f.path,
      role: f.role,
      sha256: await sha256(await Deno.readFile(new URL(f.path, dir))),
    });
  }
  const featureSources = [];
  for (const path of FEATURE_SOURCES) {
    featureSources.push({ path, sha256: await sha256(await Deno.readFile(new URL(path, ROOT))) });
  }
  return { corpora, featureSources, gazetteerSha256: await sha256(WORDS) };
}

function read(f: CorpusFile, text: string): LabelledText[] {
  switch (f.format) {
    case "tweets":
      return readTweets(text, f.path.startsWith("wnut17") ? ["person"] : ["PER"]);
    case "conll2003":
      return readConll2003(text, 5);
    case "gum":
      return readGum(text, 5);
    case "uner":
      return readUner(text);
  }
}

/** Token-level scores of probabilities against labels at a threshold. */
export interface Scores {
  persons: number;
  recall: number;
  precision: number;
  /** Share of the other tokens taken for names. */
  otherRemoved: number;
}

/** Scores `probs` against `labels` at `threshold`. */
export function score(labels: Uint8Array, probs: Float32Array, threshold: number): Scores {
  let gold = 0, hit = 0, pred = 0, others = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i] >= threshold;
    if (labels[i]) gold++;
    else others++;
    if (p) pred++;
    if (p && labels[i]) hit++;
  }
  return {
    persons: gold,
    recall: gold === 0 ? 1 : hit / gold,
    precision: pred === 0 ? 1 : hit / pred,
    otherRemoved: others === 0 ? 0 : (pred - hit) / others,
  };
}

/** A trained model: the quantised passes. */
export interface Trained {
  passes: Quantised[];
}

/** Probabilities of every token of `ex` under the model. */
export function probabilities(model: Trained, ex: Examples, bits: number): Float32Array {
  let probs = predict(ex, model.passes[0]);
  for (let p = 1; p < model.passes.length; p++) probs = predict(withStack(ex, probs, bits), model.passes[p]);
  return probs;
}

/** Trains one or two passes on `train` as `config` says; `log` hears progress. */
export function trainModel(train: Examples, config: TrainConfig, log: (msg: string) => void): Trained {
  const options = {
    bits: config.bits,
    epochs: config.epochs,
    learningRate: config.learningRate,
    seed: config.seed,
    positiveWeight: config.positiveWeight,
  };
  const first = quantise(learn(train, options));
  log("pass 1 trained");
  if (config.stackFolds === 0) return { passes: [first] };
  // The second pass learns from first-pass probabilities the first pass did not see the labels of.
  const oof = new Float32Array(train.labels.length);
  const k = config.stackFolds;
  for (let fold = 0; fold < k; fold++) {
    const model = quantise(learn(sliceTexts(train, (d) => d % k !== fold), options));
    const held = sliceTexts(train, (d) => d % k === fold);
    const probs = predict(held, model);
    let at = 0;
    for (let d = 0; d < train.tokens.length; d++) {
      if (d % k !== fold) continue;
      const n = train.firstToken[d + 1] - train.firstToken[d];
      oof.set(probs.subarray(at, at + n), train.firstToken[d]);
      at += n;
    }
    log(`fold ${fold + 1}/${k} trained`);
  }
  const second = quantise(learn(withStack(train, oof, config.bits), { ...options, seed: config.seed + 1 }));
  log("pass 2 trained");
  return { passes: [first, second] };
}

function base64(bytes: Int8Array): string {
  const u = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let s = "";
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The generated module's text. */
export async function renderWeights(
  model: Trained,
  provenance: Omit<Provenance, "weightsSha256">,
): Promise<string> {
  const passes = model.passes.map((q) => ({
    bits: provenance.config.bits,
    scale: q.scale,
    int8: base64(q.int8),
  }));
  const weightsSha256 = await sha256(JSON.stringify(passes));
  const record = {
    featureVersion: FEATURE_VERSION,
    threshold: provenance.threshold,
    postsThreshold: provenance.postsThreshold,
    passes,
  };
  const text = `// Generated by tools/ner/train.ts from shared/datasets/ner/corpora: do not edit.
// Regenerate: deno task ner:train
import type { NerWeightsRecord } from "./_ner_model.ts";

/** How these weights were made: settings, digests of every input, and of the weights themselves. */
export const NER_PROVENANCE = ${JSON.stringify({ ...provenance, weightsSha256 }, null, 2)} as const;

/** The person-name model's int8 weights (base64) per pass, their scales and the tuned thresholds. */
export const NER_WEIGHTS: NerWeightsRecord = ${JSON.stringify(record)};
`;
  return await denoFmt(text, "ts", "the person-name weights module");
}

function fmt(s: Scores): string {
  return `recall ${s.recall.toFixed(3)}  precision ${s.precision.toFixed(3)}  other removed ${
    (100 * s.otherRemoved).toFixed(1)
  }%  (${s.persons} person tokens)`;
}

/** Reads every corpus file: the training texts, and the other texts by role and group. */
export async function readCorpora(
  dir: URL = CORPORA_DIR,
): Promise<{ train: LabelledText[]; groups: Map<string, LabelledText[]> }> {
  const groups = new Map<string, LabelledText[]>();
  const train: LabelledText[] = [];
  for (const f of listCorpora(dir)) {
    const texts = read(f, await Deno.readTextFile(new URL(f.path, dir)));
    if (f.role === "train") train.push(...texts);
    else {
      const group = `${f.role} ${f.path.replace(/\/.*$/, "")}${
        f.path.startsWith("gum/") ? `_${f.path.split("_")[1]}` : ""
      }`;
      groups.set(group, [...(groups.get(group) ?? []), ...texts]);
    }
  }
  return { train, groups };
}

/** The lowest threshold at which the model takes at most `maxOtherRemoved` of a tune group's other tokens. */
export function tuneThreshold(labels: Uint8Array, probs: Float32Array, maxOtherRemoved: number): number {
  for (const t of THRESHOLDS) if (score(labels, probs, t).otherRemoved <= maxOtherRemoved) return t;
  return THRESHOLDS[THRESHOLDS.length - 1];
}

/** Trains from the corpora in `dir` and renders the weights module; `report` hears scores per group. */
export async function build(
  config: TrainConfig,
  options: { dir?: URL; log?: (msg: string) => void; report?: (group: string, lines: string[]) => void } = {},
): Promise<string> {
  const dir = options.dir ?? CORPORA_DIR;
  const log = options.log ?? (() => {});
  const { train, groups } = await readCorpora(dir);
  const trainEx = examplesOf(train, config.bits);
  log(`${train.length} training texts, ${trainEx.labels.length} tokens`);
  const model = trainModel(trainEx, config, log);
  let threshold: number | null = null;
  let postsThreshold: number | null = null;
  for (const [group, texts] of [...groups].sort()) {
    const ex = examplesOf(texts, config.bits);
    const probs = probabilities(model, ex, config.bits);
    if (group === `tune ${config.tuneGroup}`) {
      threshold = tuneThreshold(ex.labels, probs, config.maxOtherRemoved);
    }
    if (group === `tune ${config.postsTuneGroup}`) {
      postsThreshold = tuneThreshold(ex.labels, probs, config.postsMaxOtherRemoved);
    }
    options.report?.(
      group,
      THRESHOLDS.map((t) => `threshold ${t.toFixed(2)}  ${fmt(score(ex.labels, probs, t))}`),
    );
  }
  if (threshold === null || postsThreshold === null) {
    throw new RangeError(
      `Cannot tune the thresholds as group "tune ${
        threshold === null ? config.tuneGroup : config.postsTuneGroup
      }" is empty`,
    );
  }
  log(`threshold ${threshold}, for user posts ${postsThreshold}`);
  const provenance = {
    featureVersion: FEATURE_VERSION,
    config,
    threshold,
    postsThreshold,
    ...(await inputDigests(dir)),
  };
  return await renderWeights(model, provenance);
}

async function main(): Promise<void> {
  const quick = Deno.args.includes("--quick");
  const outArg = Deno.args.indexOf("--out");
  const dirArg = Deno.args.indexOf("--corpora");
  const cwd = `file://${Deno.cwd()}/`;
  const dir = dirArg === -1 ? CORPORA_DIR : new URL(Deno.args[dirArg + 1].replace(/\/?$/, "/"), cwd);
  const t0 = performance.now();
  const log = (msg: string) => console.error(`${((performance.now() - t0) / 1000).toFixed(1)}s ${msg}`);
  const report = (group: string, lines: string[]) => console.log(`${group}\n  ${lines.join("\n  ")}`);
  const text = await build(quick ? QUICK : FULL, { dir, log, report });
  const out = outArg !== -1 ? new URL(Deno.args[outArg + 1], cwd) : quick ? null : WEIGHTS_PATH;
  if (out === null) return;
  await Deno.writeTextFile(out, text);
  log(`wrote ${out.pathname}`);
}

if (import.meta.main) await main();
