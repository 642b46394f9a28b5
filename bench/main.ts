/**
 * `deno task bench [--scale S] [--quick] [--runs N] [--jobs J] [--out FILE] [--skip-profile] [--skip-verify]
 * [--verify-sample N] [--scenarios keep_all,level1,text_scrub] [--targets cheap,realistic]`:
 * PrivaCI against the physical limit. Seeds a deterministic source on the local PostgreSQL, then, in
 * rounds that alternate the order, times the psql pipe and `privaci run` (keep-all, Level 1, Level 2)
 * into a cheap and a realistic target, profiles keep-all and Level 1, prints a table and writes
 * bench/results.json. `--scenarios` and `--targets` narrow a round to some policies and targets (the pipe
 * always runs, as every ratio needs it). Every database it makes is dropped at the end. See bench/README.md.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { builtinStrategies } from "../strategies/builtins.ts";
import { compromiseSpeed } from "./_compromise.ts";
import {
  benchFile,
  createDb,
  dbUrl,
  dropDb,
  resetTarget,
  scalar,
  seedSource,
  serverVersion,
  shapeTarget,
  tableFacts,
  TABLES,
  TARGET_KINDS,
  type TargetKind,
  ticketWords,
} from "./_db.ts";
import { timePipe, timePrivaci } from "./_measure.ts";
import { formatVerify, timeVerify, type VerifyTiming } from "./_verify.ts";
import { policyFile, resolveLevel1 } from "./_policies.ts";
import { formatProfile, type ProfiledRun, profileRun } from "./_profile_run.ts";
import { formatTable, type Sample, type Scenario, type ScenarioResult, scenarioResult } from "./_report.ts";

/** A fixed key for the bench's keyed strategies: it protects nothing, the data is synthetic. */
const BENCH_KEY = "hex:" + "5a".repeat(32);

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    scale: { type: "string" },
    quick: { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    jobs: { type: "string", default: "1" },
    out: { type: "string" },
    "skip-profile": { type: "boolean", default: false },
    "skip-verify": { type: "boolean", default: false },
    "verify-sample": { type: "string" },
    scenarios: { type: "string" },
    targets: { type: "string" },
  },
});
const scale = Number(args.scale ?? (args.quick ? "0.02" : "1"));
const runs = Number(args.runs);
const jobs = Number(args.jobs);
if (!(scale > 0 && scale <= 10)) {
  throw new RangeError(`Cannot run the bench as --scale is out of range: ${args.scale}`);
}
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  throw new RangeError(`Cannot run the bench as --runs must be an integer from 1 to 50: ${args.runs}`);
}
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
  throw new RangeError(`Cannot run the bench as --jobs must be an integer from 1 to 64: ${args.jobs}`);
}
const wantedScenarios = listArg(args.scenarios, ["keep_all", "level1", "text_scrub"], "--scenarios");
const wantedTargets = listArg(args.targets, [...TARGET_KINDS], "--targets") as TargetKind[];
const out = args.out ?? benchFile("results.json");
const log = (s: string) => console.error(s);

const work = await Deno.makeTempDir({ prefix: "privaci_bench_" });
const dbs: string[] = [];
try {
  await main();
} finally {
  for (const db of dbs) await dropDb(db).catch((e) => log(`warning: ${(e as Error).message}`));
  await Deno.remove(work, { recursive: true });
}

async function main(): Promise<void> {
  const started = new Date();
  const source = await createDb("src");
  dbs.push(source);
  const sourceUrl = dbUrl(source);
  log(`seeding the source at scale ${scale} …`);
  const t0 = performance.now();
  await seedSource(sourceUrl, scale);
  const seedMs = performance.now() - t0;
  const targets = {} as Record<TargetKind, string>;
  for (const kind of wantedTargets) {
    const db = await createDb(kind);
    dbs.push(db);
    targets[kind] = dbUrl(db);
    await shapeTarget(targets[kind], kind);
  }
  const data = { tables: await tableFacts(sourceUrl), ticketWords: await ticketWords(sourceUrl) };
  log(
    `seeded in ${(seedMs / 1000).toFixed(1)} s: ${
      TABLES.map((t) => `${t} ${data.tables[t].rows}`).join(", ")
    }`,
  );

  const registry = builtinStrategies();
  const notNull = new Set(
    (await scalar(
      sourceUrl,
      "select string_agg(attname, ',') from pg_attribute where attrelid = 'customers'::regclass and attnotnull and attnum > 0",
    )).split(","),
  );
  const level1 = await resolveLevel1(registry, notNull);
  const level1File = `${work}/level1.yaml`;
  await Deno.writeTextFile(level1File, level1.text);
  const scrub = registry.has("text.scrub");
  const skipped: { scenario: Scenario; reason: string }[] = [];
  if (level1.masked === 0) {
    skipped.push({ scenario: "level1", reason: "no Level 1 strategy is registered yet" });
  }
  if (!scrub) skipped.push({ scenario: "text_scrub", reason: "text.scrub is not registered yet" });
  const policies: Partial<Record<Scenario, string>> = { keep_all: policyFile("keep_all.yaml") };
  if (level1.masked > 0) policies.level1 = level1File;
  if (scrub) policies.text_scrub = policyFile("text_scrub.yaml");
  for (const scenario of Object.keys(policies) as Scenario[]) {
    if (!wantedScenarios.includes(scenario)) delete policies[scenario];
  }
  const scenarios = ["pipe", ...Object.keys(policies)] as Scenario[];

  const samples = new Map<string, Sample[]>();
  const failures: { scenario: Scenario; target: TargetKind; round: number; error: string }[] = [];
  const loadBefore = await loadAverage();
  for (let round = 1; round <= runs; round++) {
    const order = round % 2 === 1 ? scenarios : [...scenarios].reverse();
    const kinds = round % 2 === 1 ? wantedTargets : [...wantedTargets].reverse();
    for (const scenario of order) {
      for (const kind of kinds) {
        await resetTarget(targets[kind]);
        let sample: Sample;
        try {
          sample = await timeOne(scenario, kind, round);
        } catch (e) {
          if (scenario === "pipe") throw e;
          failures.push({ scenario, target: kind, round, error: (e as Error).message });
          log(`round ${round}/${runs} ${scenario} → ${kind}: failed: ${(e as Error).message}`);
          continue;
        }
        samples.set(`${scenario}/${kind}`, [...(samples.get(`${scenario}/${kind}`) ?? []), sample]);
        const parts = sample.startupMs === undefined
          ? ""
          : ` (start-up ${secs(sample.startupMs)}, plan and finish ${secs(sample.overheadMs!)})`;
        log(`round ${round}/${runs} ${scenario} → ${kind}: ${secs(sample.total)}${parts}`);
      }
    }
  }

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    for (const kind of wantedTargets) {
      const s = samples.get(`${scenario}/${kind}`);
      if (!s) continue;
      results.push(scenarioResult(scenario, kind, s, samples.get(`pipe/${kind}`)!, data));
    }
  }

  // verify after a run of each masking policy into the realistic target, timed beside that run.
  const verifications: VerifyTiming[] = [];
  if (!args["skip-verify"] && wantedTargets.includes("realistic")) {
    for (const scenario of ["level1", "text_scrub"] as const) {
      const policy = policies[scenario];
      if (!policy) continue;
      await resetTarget(targets.realistic);
      log(`verify ${scenario} → realistic: running, then verifying …`);
      const ran = await timePrivaci({
        policy,
        report: `${work}/report.json`,
        env: envFor(targets.realistic),
        jobs,
      });
      const sample = args["verify-sample"] ? Number(args["verify-sample"]) : undefined;
      verifications.push(
        await timeVerify({
          scenario,
          target: "realistic",
          policy,
          env: envFor(targets.realistic),
          runMs: ran.total,
          ...(sample ? { sample } : {}),
        }),
      );
      log(formatVerify(verifications.slice(-1)));
    }
  }

  log("timing compromise alone on the ticket bodies …");
  const compromise = await compromiseSpeed(sourceUrl, {
    limit: 5000,
    budgetMs: args.quick ? 5000 : 20_000,
  });

  const profiles: Record<string, ProfiledRun> = {};
  if (!args["skip-profile"] && wantedTargets.includes("cheap")) {
    for (const scenario of ["keep_all", "level1"] as const) {
      const policy = policies[scenario];
      if (!policy) continue;
      log(`profiling ${scenario} → cheap …`);
      await resetTarget(targets.cheap);
      profiles[scenario] = await profileRun({ policy, work, env: envFor(targets.cheap), jobs });
    }
  }

  const results_json = {
    command: `deno task bench ${Deno.args.join(" ")}`.trim(),
    date: started.toISOString(),
    machine: await machine(sourceUrl),
    loadAverage: { before: loadBefore, after: await loadAverage() },
    scale,
    runs,
    jobs,
    data: { ...data, seedMs },
    level1: { masked: level1.masked, rules: level1.rules },
    skipped,
    failures,
    results,
    compromise,
    verify: verifications,
    profiles,
  };
  await Deno.writeTextFile(out, JSON.stringify(results_json, null, 2) + "\n");
  console.log(formatTable(results));
  console.log(
    `\nlevel1 strategies (${level1.masked} of ${level1.rules.length} columns masked): ${
      level1.rules.map((r) => `${r.column}=${r.used}${r.used === r.wanted ? "" : ` (wanted ${r.wanted})`}`)
        .join(", ")
    }`,
  );
  for (const s of skipped) console.log(`skipped ${s.scenario}: ${s.reason}`);
  for (const f of failures) console.log(`failed ${f.scenario} → ${f.target} in round ${f.round}: ${f.error}`);
  console.log(
    `compromise alone (people/places/organizations, 1 core): ${
      Math.round(compromise.wordsPerSecond).toLocaleString("en-US")
    } words/s over ${compromise.texts} tickets`,
  );
  for (const r of results.filter((r) => r.scenario === "text_scrub")) {
    const wps = r.figures.find((f) => f.part === "support_tickets")!.wordsPerSecond!;
    const cores = navigator.hardwareConcurrency;
    console.log(
      `text.scrub → ${r.target}: ${Math.round(wps).toLocaleString("en-US")} words/s on ${cores} cores (${
        Math.round(wps / cores).toLocaleString("en-US")
      } per core)`,
    );
  }
  if (verifications.length > 0) console.log(formatVerify(verifications));
  for (const [scenario, p] of Object.entries(profiles)) console.log(formatProfile(scenario, p));
  console.log(`results written to ${out}`);

  async function timeOne(scenario: Scenario, kind: TargetKind, round: number): Promise<Sample> {
    if (scenario === "pipe") return { round, ...(await timePipe(sourceUrl, targets[kind])) };
    const t = await timePrivaci({
      policy: policies[scenario]!,
      report: `${work}/report.json`,
      env: envFor(targets[kind]),
      jobs,
    });
    return { round, ...t };
  }

  function envFor(target: string): Record<string, string> {
    return {
      BENCH_SOURCE_URL: sourceUrl,
      BENCH_TARGET_URL: target,
      BENCH_KEY,
      PRIVACI_SOURCE_URL: "",
      PRIVACI_TARGET_URL: "",
    };
  }
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The 1, 5 and 15 minute load averages: the bench shares the machine with whatever else runs. */
async function loadAverage(): Promise<number[]> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).map(Number);
}

async function machine(url: string) {
  const meminfo = await Deno.readTextFile("/proc/meminfo");
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
  return {
    cores: navigator.hardwareConcurrency,
    cpu: cpuinfo.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown",
    memoryBytes: Number(meminfo.match(/^MemTotal:\s+(\d+) kB/m)?.[1] ?? 0) * 1024,
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    postgres: await serverVersion(url),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
  };
}

/** A comma-separated option's values, each one of `allowed` (all of them when the option is absent). */
function listArg(value: string | undefined, allowed: readonly string[], name: string): string[] {
  if (value === undefined) return [...allowed];
  const got = value.split(",").map((v) => v.trim()).filter((v) => v !== "");
  const bad = got.filter((v) => !allowed.includes(v));
  if (bad.length > 0 || got.length === 0) {
    throw new RangeError(`Cannot run the bench as ${name} takes some of ${allowed.join(", ")}: ${value}`);
  }
  return got;
}
