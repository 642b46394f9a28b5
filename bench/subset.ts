/**
 * `deno task bench:subset [--scale S] [--runs N] [--graph-tables T] [--graph-rows R] [--out FILE]`:
 * subsetting beside the full copy. Seeds the bench source at scale S (default 1), then, in rounds that
 * alternate the order, times `privaci run` of every row (keep_all.yaml) and of a 1% subset rooted at
 * customers with `follow: all` (their orders and tickets) into a realistic target: wall time, peak RSS,
 * rows copied. Then builds a generated graph of T tables (default 100) in a deep foreign-key chain with a
 * self-reference and a long cycle, and times planning its subset (catalog and closure SQL), computing the
 * closure as a run does (once, the kept rows of every table written to files) and copying it. Writes bench/results_subset.json; every
 * database it makes is dropped at the end. See bench/README.md.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import { createDb, dbUrl, dropDb, psql, resetTarget, scalar, sourceAndTarget, TABLES } from "./_db.ts";
import { measureDeno, timePrivaci } from "./_measure.ts";
import { benchFile } from "./_db.ts";
import { policyFile } from "./_policies.ts";
import { parsePolicy } from "../config/load.ts";
import { introspect } from "../pg/introspect.ts";
import { SourceSnapshot } from "../pg/source.ts";
import { planSubset } from "../subset/plan.ts";
import { KeptRows } from "../subset/kept.ts";
import { deepGraphSql, graphTable } from "../tests/fixtures/subset/deep_graph.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    scale: { type: "string", default: "1" },
    runs: { type: "string", default: "2" },
    "graph-tables": { type: "string", default: "100" },
    "graph-rows": { type: "string", default: "1000" },
    out: { type: "string" },
  },
});
const scale = Number(args.scale);
const runs = Number(args.runs);
const graph = { tables: Number(args["graph-tables"]), rows: Number(args["graph-rows"]) };
if (!(scale > 0 && scale <= 10)) throw new RangeError(`Cannot run as --scale is out of range: ${args.scale}`);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  throw new RangeError(`Cannot run as --runs must be an integer from 1 to 20: ${args.runs}`);
}
if (!Number.isInteger(graph.tables) || graph.tables < 10 || graph.tables > 1000) {
  throw new RangeError(
    `Cannot run as --graph-tables must be an integer from 10 to 1000: ${args["graph-tables"]}`,
  );
}
const log = (s: string) => console.error(s);
const loadavg = async () => (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).map(Number);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

const dbs: string[] = [];
const work = await Deno.makeTempDir({ prefix: "privaci_bench_subset_" });
try {
  const loadBefore = await loadavg();
  const { sourceUrl, targetUrl } = await sourceAndTarget(scale, dbs, log);
  const env = {
    BENCH_SOURCE_URL: sourceUrl,
    BENCH_TARGET_URL: targetUrl,
    PRIVACI_SOURCE_URL: "",
    PRIVACI_TARGET_URL: "",
  };
  const full = policyFile("keep_all.yaml");
  const doc = parse(await Deno.readTextFile(full)) as Record<string, unknown>;
  doc.subset = { roots: { "public.customers": { percent: 1 } }, follow: "all" };
  const subset = `${work}/subset.yaml`;
  await Deno.writeTextFile(subset, stringify(doc, { lineWidth: 0 }));

  const samples: Record<string, { total: number; peakRss: number; rows: Record<string, number> }[]> = {
    full: [],
    subset: [],
  };
  for (let round = 1; round <= runs; round++) {
    const order = round % 2 === 1 ? ["full", "subset"] : ["subset", "full"];
    for (const scenario of order) {
      await resetTarget(targetUrl);
      const policy = scenario === "full" ? full : subset;
      const t = await timePrivaci({ policy, report: `${work}/report.json`, env, jobs: 1 });
      const rows: Record<string, number> = {};
      for (const table of TABLES) {
        rows[table] = Number(await scalar(targetUrl, `select count(*) from ${table}`));
      }
      samples[scenario].push({ total: t.total, peakRss: t.peakRss, rows });
      log(
        `round ${round}/${runs} ${scenario}: ${secs(t.total)}, peak RSS ${mib(t.peakRss)}, rows ${
          JSON.stringify(rows)
        }`,
      );
    }
  }

  log(`building a ${graph.tables}-table graph of ${graph.rows} rows per table …`);
  const graphSource = await createDb("graph_src");
  dbs.push(graphSource);
  const graphTarget = await createDb("graph_dst");
  dbs.push(graphTarget);
  const sqlFile = `${work}/graph.sql`;
  await Deno.writeTextFile(sqlFile, deepGraphSql(graph));
  await psql(dbUrl(graphSource), ["-f", sqlFile]);
  const root = graphTable(Math.floor(graph.tables / 2));
  const graphYaml = [
    "version: 1",
    `source: ${dbUrl(graphSource)}`,
    `target: ${dbUrl(graphTarget)}`,
    "unlisted: keep",
    "schema: copy",
    "subset:",
    "  roots:",
    `    public.${root}: { percent: 1 }`,
    "  follow: all",
  ].join("\n");
  const loaded = parsePolicy(graphYaml, { file: "graph.yaml", env: () => undefined });
  const snapshot = await SourceSnapshot.open(dbUrl(graphSource));
  let planMs: number, closureMs: number, subsetRows: number;
  try {
    const t0 = performance.now();
    const catalog = await introspect(snapshot.sql, ["public"]);
    const planned = await planSubset(loaded.policy.subset!, {
      catalog,
      copied: [...catalog.tables.keys()],
      filtered: new Map(),
      sql: snapshot.sql,
      salt: "bench",
      at: () => ({}),
    });
    planMs = performance.now() - t0;
    if (planned.diagnostics.length > 0) throw new Error(JSON.stringify(planned.diagnostics));
    const t1 = performance.now();
    // As a run does: the closure once, every kept row's address written to its table's file.
    await using kept = await KeptRows.compute(snapshot, planned.rows!);
    closureMs = performance.now() - t1;
    subsetRows = [...kept.counts.values()].reduce((a, b) => a + b, 0);
  } finally {
    await snapshot.close();
  }
  const graphFile = `${work}/graph.yaml`;
  await Deno.writeTextFile(graphFile, graphYaml);
  const copied = await measureDeno(
    ["run", "-A", "cli.ts", "run", "-c", graphFile, "--quiet", "--jobs", "1"],
    env,
  );
  if (copied.code !== 0) {
    throw new Error(`privaci run of the graph exited with ${copied.code}: ${copied.stderrHead}`);
  }
  log(
    `graph: plan ${secs(planMs)}, closure of every table ${secs(closureMs)} (${subsetRows} of ${
      graph.tables * graph.rows
    } rows), run ${secs(copied.ms)}, peak RSS ${mib(copied.peakRss)}`,
  );

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const result = {
    command: `deno task bench:subset ${Deno.args.join(" ")}`.trim(),
    date: new Date().toISOString(),
    scale,
    runs,
    cores: navigator.hardwareConcurrency,
    postgres: await scalar(sourceUrl, "show server_version"),
    loadAverage: { before: loadBefore, after: await loadavg() },
    copy: Object.fromEntries(
      Object.entries(samples).map(([k, s]) => [k, {
        medianMs: median(s.map((x) => x.total)),
        medianPeakRss: median(s.map((x) => x.peakRss)),
        rows: s[0].rows,
        samples: s,
      }]),
    ),
    graph: { ...graph, root, planMs, closureMs, subsetRows, runMs: copied.ms, runPeakRss: copied.peakRss },
  };
  await Deno.writeTextFile(
    args.out ?? benchFile("results_subset.json"),
    JSON.stringify(result, null, 2) + "\n",
  );
  for (const [k, v] of Object.entries(result.copy)) {
    console.log(
      `${k.padEnd(7)} ${secs(v.medianMs).padStart(9)}  peak RSS ${mib(v.medianPeakRss).padStart(8)}  rows ${
        JSON.stringify(v.rows)
      }`,
    );
  }
  console.log(
    `graph of ${graph.tables} tables: plan ${secs(planMs)}, closure ${secs(closureMs)}, run ${
      secs(copied.ms)
    }`,
  );
  console.log(`load average before ${loadBefore.join(" ")}, after ${result.loadAverage.after.join(" ")}`);
} finally {
  for (const db of dbs) await dropDb(db).catch((e) => log(`warning: ${(e as Error).message}`));
  await Deno.remove(work, { recursive: true });
}
