/**
 * `deno task bench:text`: quality and speed of `text.scrub`.
 *
 * Quality: token-level recall and precision per entity type on WNUT-17 dev (never trained on), person
 * recall, precision and the share of other tokens taken for names on the corpus files held out from the
 * person-name model's training (tools/ner/config.ts: eight GUM news documents, GUM bio and voyage, BTC h,
 * UNER English-EWT), each for the detector with and without the model and compromise; and the seeded
 * synthetic ticket corpus (a seed no test or tuning used) per entity type and per locale; and each of these
 * sets taken as one column, as `privaci scan` would write its policy (bench/text_scan_policy.ts). Speed: words per
 * CPU-second of the whole scrubber (worker pool on every core, `replace: tag`) with and without
 * compromise, beside detection alone (`detectSpans`, default entities, on this process's one thread, warm from
 * the quality runs) and compromise alone on one core, on the same texts. Memory: what one detector worker adds
 * to the process's resident set. ../shared/datasets is read from the repository root.
 *
 * Usage: deno task bench:text [--json] [--tickets N] [--seed S] [--words N]
 *
 * @module
 */
import nlp from "compromise";
import process from "node:process";
import { type DetectOptions, detectSpans } from "../strategies/text/detect.ts";
import { heldoutGroups, type HeldoutScore, scoreHeldout } from "./text_heldout.ts";
import { DEFAULT_ENTITIES, ENTITIES } from "../strategies/text/entities.ts";
import { ticketCorpus } from "../strategies/text/testdata/ticket_corpus.ts";
import { textScrub } from "../strategies/text/text_scrub.ts";
import { DetectorPool } from "../strategies/text/pool.ts";
import { NER_WEIGHTS } from "../strategies/text/_ner_weights.ts";
import type { Cell, ColumnInfo } from "../strategies/types.ts";
import { scoreTickets } from "./text_tickets.ts";
import { SCAN_SAMPLE, type ScanPolicy, scanPolicy } from "./text_scan_policy.ts";
import { parseConll, scoreConll } from "./text_wnut.ts";

const WNUT = new URL("../../shared/datasets/ner/wnut17.dev.conll", import.meta.url);

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i === -1 ? fallback : Number(Deno.args[i + 1]);
}

const COLUMN: ColumnInfo = {
  schema: "public",
  table: "tickets",
  column: "body",
  ordinal: 1,
  type: "text",
  baseType: "text",
  family: "string",
  elementFamily: "string",
  maxLength: null,
  notNull: false,
  unique: false,
  generated: false,
  identity: "",
};

function words(texts: readonly string[]): number {
  let n = 0;
  for (const t of texts) n += t.split(/\s+/).filter((w) => w.length > 0).length;
  return n;
}

/** Wall-clock and CPU seconds of one measured run. */
interface Timing {
  wall: number;
  cpu: number;
}

/**
 * Times `fn` by the wall clock and by the CPU time of the whole process (every thread): words per CPU
 * second is the per-core rate, and it holds even when other processes share the cores.
 */
async function timed(fn: () => Promise<void> | void): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

/** Timing of the scrubber with its worker pool, over `texts` in batches of 2,000 rows. */
async function scrubberSpeed(
  texts: string[],
  workers: number,
  extra: Record<string, unknown> = {},
): Promise<Timing> {
  const masker = await textScrub.create({
    params: textScrub.params.parse({ replace: "tag", workers, ...extra }),
    column: COLUMN,
    key: null,
    domain: "text.scrub",
    unique: false,
    resolve: () => Promise.reject(new Error("not needed for tag")),
  });
  try {
    const batch = { table: COLUMN, firstRow: 1, column: (): Cell[] => [] };
    await masker.mask(texts.slice(0, 200), batch);
    return await timed(async () => {
      for (let i = 0; i < texts.length; i += 2000) await masker.mask(texts.slice(i, i + 2000), batch);
    });
  } finally {
    await masker.close?.();
  }
}

/** Timing of `detectSpans` alone with the default entities on this thread. */
function detectionSpeed(texts: string[]): Promise<Timing> {
  const options: DetectOptions = { entities: new Set(DEFAULT_ENTITIES), nlp: DEFAULT_NLP };
  for (const t of texts.slice(0, 200)) detectSpans(t, options);
  return timed(() => {
    for (const t of texts) detectSpans(t, options);
  });
}

/** Timing of compromise alone (people, places, organisations) on one core. */
function compromiseSpeed(texts: string[]): Promise<Timing> {
  for (const t of texts.slice(0, 50)) nlp(t).people();
  return timed(() => {
    for (const t of texts) {
      const doc = nlp(t);
      doc.people().out("array");
      doc.places().out("array");
      doc.organizations().out("array");
    }
  });
}

const fmt = (x: number) => x.toFixed(3);
/** Whether text.scrub runs compromise by default (its `nlp` param). */
const DEFAULT_NLP = textScrub.params.parse({}).nlp;
const json = Deno.args.includes("--json");
const entities = new Set(ENTITIES);

/** The detector configurations compared on every labelled set. */
const VARIANTS: Record<string, DetectOptions> = {
  "model + rules + compromise (default)": { entities, nlp: true },
  [`same, user-posts threshold ${NER_WEIGHTS.postsThreshold}`]: {
    entities,
    nlp: true,
    threshold: NER_WEIGHTS.postsThreshold,
  },
  "model + rules, no compromise": { entities, nlp: false },
  "model + rules, no unknown_as_person": { entities, nlp: DEFAULT_NLP, unknownAsPerson: false },
  "rules + compromise (no model)": { entities, nlp: true, model: false },
};
const sentences = parseConll(await Deno.readTextFile(WNUT));
const wnut = Object.fromEntries(
  Object.entries(VARIANTS).map((
    [name, o],
  ) => [name, scoreConll(sentences, (texts) => texts.map((t) => detectSpans(t, o)))]),
);
const heldout: Record<string, Record<string, HeldoutScore>> = {};
for (const [group, texts] of await heldoutGroups()) {
  heldout[group] = Object.fromEntries(
    Object.entries(VARIANTS).map((
      [name, o],
    ) => [name, scoreHeldout(texts, texts.map((t) => detectSpans(t.text, o)))]),
  );
}
const seed = arg("--seed", 20261202);
const tickets = ticketCorpus(arg("--tickets", 2600), seed);
const ticketScores = scoreTickets(
  tickets,
  tickets.map((t) => detectSpans(t.text, VARIANTS["model + rules + compromise (default)"])),
);

/** One data set as scan would write its policy: scan's decision and the person scores under it. */
interface AsScan {
  policy: ScanPolicy;
  persons: number;
  recall: number;
  precision: number;
  otherRemoved?: number;
}
const scanOptions = (p: ScanPolicy): DetectOptions => ({ entities, nlp: true, threshold: p.threshold });
const asScan: Record<string, AsScan> = {};
{
  const texts = sentences.map((s) => s.tokens.join(" "));
  const policy = scanPolicy(texts);
  const s = scoreConll(sentences, (ts) => ts.map((t) => detectSpans(t, scanOptions(policy)))).person;
  asScan["wnut17 dev"] = { policy, persons: s.gold, recall: s.recall, precision: s.precision };
}
for (const [group, texts] of await heldoutGroups()) {
  const policy = scanPolicy(texts.map((t) => t.text));
  const s = scoreHeldout(texts, texts.map((t) => detectSpans(t.text, scanOptions(policy))));
  asScan[group] = { policy, ...s };
}
{
  const policy = scanPolicy(tickets.map((t) => t.text));
  const s =
    scoreTickets(tickets, tickets.map((t) => detectSpans(t.text, scanOptions(policy)))).entities.person;
  asScan["tickets"] = { policy, persons: s.gold, recall: s.recall, precision: s.precision };
}

const pool: string[] = [...tickets.map((t) => t.text), ...sentences.map((s) => s.tokens.join(" "))];
const target = arg("--words", 300_000);
const speedTexts: string[] = [];
for (let i = 0, n = 0; n < target; i++) {
  const t = pool[i % pool.length];
  speedTexts.push(t);
  n += t.split(/\s+/).length;
}
const cores = navigator.hardwareConcurrency;
const scrub = await scrubberSpeed(speedTexts, cores, { nlp: true });
const scrubNoNlp = await scrubberSpeed(speedTexts, cores, { nlp: false });
const detection = await detectionSpeed(speedTexts);
const aloneTexts = speedTexts.slice(0, Math.min(speedTexts.length, 6000));
const alone = await compromiseSpeed(aloneTexts);
const scrubWords = words(speedTexts);
const aloneWords = words(aloneTexts);

const memory = await workerMemory();
const result = {
  wnut,
  heldout,
  tickets: { seed, ...ticketScores },
  asScan,
  speed: {
    cores,
    words: scrubWords,
    scrubberWordsPerSecond: Math.round(scrubWords / scrub.wall),
    scrubberWordsPerCpuSecond: Math.round(scrubWords / scrub.cpu),
    scrubberNoCompromiseWordsPerSecond: Math.round(scrubWords / scrubNoNlp.wall),
    scrubberNoCompromiseWordsPerCpuSecond: Math.round(scrubWords / scrubNoNlp.cpu),
    detectionWordsPerCpuSecond: Math.round(scrubWords / detection.cpu),
    compromiseWords: aloneWords,
    compromiseWordsPerSecond: Math.round(aloneWords / alone.wall),
    compromiseWordsPerCpuSecond: Math.round(aloneWords / alone.cpu),
    loadAverage: Deno.loadavg()[0],
  },
  memory,
};
const line = (
  name: string,
  s: { recall: number; precision: number; gold?: number; persons?: number },
  extra = "",
) =>
  console.log(
    `  ${name.padEnd(38)} recall ${fmt(s.recall)}  precision ${fmt(s.precision)}${extra}  (gold ${
      s.gold ?? s.persons
    })`,
  );
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log("WNUT-17 dev (token level; never trained on)");
  for (const [variant, scores] of Object.entries(wnut)) {
    console.log(` ${variant}`);
    for (const [e, s] of Object.entries(scores)) line(e, s);
  }
  console.log("Held-out corpus files (tools/ner/config.ts role heldout), person tokens");
  for (const [group, variants] of Object.entries(heldout)) {
    console.log(` ${group}`);
    for (const [variant, s] of Object.entries(variants)) {
      line(variant, s, `  other removed ${(100 * s.otherRemoved).toFixed(1)}%`);
    }
  }
  console.log(
    `As scan would write the policy (first ${SCAN_SAMPLE} texts of each set as one column's sample), person tokens`,
  );
  for (const [set, a] of Object.entries(asScan)) {
    const c = a.policy.counts;
    line(
      `${set}: ${a.policy.posts ? "text: posts" : "per text"} (${c.posts}/${c.texts})`,
      a,
      a.otherRemoved === undefined ? "" : `  other removed ${(100 * a.otherRemoved).toFixed(1)}%`,
    );
  }
  console.log(`Synthetic tickets (${tickets.length}, seed ${seed}, token level)`);
  for (const [e, s] of Object.entries(ticketScores.entities)) line(e, s);
  console.log("Persons per locale");
  for (const [l, s] of Object.entries(ticketScores.locales)) {
    console.log(
      `  ${l.padEnd(6)} recall ${fmt(s.recall)}  full names ${fmt(s.fullNames)}  (${s.mentions} mentions)`,
    );
  }
  const sp = result.speed;
  console.log(`Speed: ${cores} cores, load average ${sp.loadAverage.toFixed(1)} (per CPU-second = per core)`);
  console.log(
    `  text.scrub, nlp: true   ${sp.scrubberWordsPerSecond} words/s wall, ${sp.scrubberWordsPerCpuSecond} words per CPU-second (${sp.words} words)`,
  );
  console.log(
    `  text.scrub, nlp: false  ${sp.scrubberNoCompromiseWordsPerSecond} words/s wall, ${sp.scrubberNoCompromiseWordsPerCpuSecond} words per CPU-second`,
  );
  console.log(`  detection alone, one thread  ${sp.detectionWordsPerCpuSecond} words per CPU-second`);
  console.log(
    `  compromise alone  ${sp.compromiseWordsPerSecond} words/s wall, ${sp.compromiseWordsPerCpuSecond} words per CPU-second (${sp.compromiseWords} words, one thread)`,
  );
  console.log(
    `Memory per detector worker: ${
      memory.perWorkerMiB.toFixed(0)
    } MiB RSS (process RSS with 0 and 2 workers loaded: ${memory.rssNoWorkersMiB.toFixed(0)} and ${
      memory.rssTwoWorkersMiB.toFixed(0)
    } MiB)`,
  );
}

/**
 * Memory one detector worker adds: the process's resident set with a pool of two warmed-up workers,
 * after detecting the bench texts, minus the same process before the pool, halved.
 */
async function workerMemory(): Promise<
  { rssNoWorkersMiB: number; rssTwoWorkersMiB: number; perWorkerMiB: number }
> {
  const MiB = 1024 * 1024;
  const before = Deno.memoryUsage().rss;
  const pool = await DetectorPool.create({ size: 2, entities: [...entities], nlp: DEFAULT_NLP });
  try {
    await pool.detect(speedTexts.slice(0, 4000));
    const after = Deno.memoryUsage().rss;
    return {
      rssNoWorkersMiB: before / MiB,
      rssTwoWorkersMiB: after / MiB,
      perWorkerMiB: (after - before) / 2 / MiB,
    };
  } finally {
    pool.close();
  }
}
