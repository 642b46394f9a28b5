/**
 * `deno task bench:shards`: one `privaci run` process against 2 and 4 shard processes
 * (`--shard i/N`) on this machine, with the Level 1 policy into the cheap target, and a fault run (4
 * shards, one SIGKILLed at a random point of one of its units and started again), each target compared
 * with the one-process copy by an md5 per table.
 *
 * For each scenario: the wall time (first start to last exit), the CPU of the PrivaCI processes summed
 * (user + system, from /usr/bin/time), the CPU of the source's and the target's server backends (summed
 * from /proc/<pid>/stat while they run, sampled every 100 ms: a backend's last 100 ms can be missed), the
 * peak RSS of the largest process, and the load average before and after (the machine is shared).
 *
 * ```sh
 * deno task bench:shards [--scale 0.1] [--chunk-rows 25000] [--seed N] [--out bench/results_shards.json]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import {
  ADMIN_URL,
  createDb,
  dbUrl,
  dropDb,
  psql,
  resetTarget,
  scalar,
  seedSource,
  shapeTarget,
  TABLES,
} from "./_db.ts";
import { policyFile } from "./_policies.ts";
import { ROOT } from "./_measure.ts";
import { tcpPorts } from "../tests/_proc_ports.ts";
import { seededRandom } from "../tests/_random.ts";

const BENCH_KEY = "hex:" + "5a".repeat(32);
const CLK_TCK = 100;

interface Child {
  proc: Deno.ChildProcess;
  timeFile: string;
  done: Promise<{ code: number; signal: Deno.Signal | null; stderr: string }>;
}

/** Starts `privaci run` under /usr/bin/time (user, system seconds and max RSS of the process). */
function startPrivaci(policy: string, env: Record<string, string>, extra: readonly string[]): Child {
  const timeFile = Deno.makeTempFileSync({ prefix: "privaci-bench-time-" });
  const proc = new Deno.Command("/usr/bin/time", {
    args: [
      "-o",
      timeFile,
      "-f",
      "%U %S %M",
      Deno.execPath(),
      "run",
      "-A",
      "cli.ts",
      "run",
      "-c",
      policy,
      "-q",
      ...extra,
    ],
    cwd: ROOT,
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(proc.stderr).text();
  const done = proc.status.then(async (s) => ({ code: s.code, signal: s.signal, stderr: await stderr }));
  return { proc, timeFile, done };
}

/** CPU seconds and peak RSS (bytes) of a finished child, as /usr/bin/time wrote them. */
async function usage(child: Child): Promise<{ cpu: number; rss: number }> {
  const text = await Deno.readTextFile(child.timeFile);
  await Deno.remove(child.timeFile);
  const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(text);
  return m ? { cpu: Number(m[1]) + Number(m[2]), rss: Number(m[3]) * 1024 } : { cpu: NaN, rss: NaN };
}

/** Sums the CPU time of the server backends of `dbs` while `running()`, sampling every 100 ms. */
async function backendCpu(
  dbs: Record<string, string>,
  running: () => boolean,
): Promise<Record<string, number>> {
  const seen = new Map<number, { db: string; ticks: number }>();
  const list = Object.values(dbs).map((d) => `'${d}'`).join(",");
  for (let i = 0; running() && i < 36_000; i++) {
    const rows = (await scalar(
      ADMIN_URL,
      `select string_agg(pid || ':' || datname, ' ') from pg_stat_activity where datname in (${list})`,
    ))
      .split(" ").filter(Boolean);
    for (const r of rows) {
      const [pid, db] = [Number(r.slice(0, r.indexOf(":"))), r.slice(r.indexOf(":") + 1)];
      try {
        const f = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
        const ticks = Number(f[11]) + Number(f[12]);
        seen.set(pid, { db, ticks: Math.max(ticks, seen.get(pid)?.ticks ?? 0) });
      } catch { /* the backend ended */ }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const out: Record<string, number> = Object.fromEntries(Object.keys(dbs).map((k) => [k, 0]));
  for (const { db, ticks } of seen.values()) {
    const role = Object.keys(dbs).find((k) => dbs[k] === db)!;
    out[role] += ticks / CLK_TCK;
  }
  return out;
}

function load(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

/** md5 of every table's rows in id order. */
async function digests(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    out[t] = await scalar(url, `select md5(string_agg(x::text, E'\\n' order by id)) from ${t} x`);
  }
  return out;
}

/** The deno process under a /usr/bin/time child. */
function denoPid(child: Child): number {
  try {
    const kids = Deno.readTextFileSync(`/proc/${child.proc.pid}/task/${child.proc.pid}/children`).trim();
    return Number(kids.split(" ")[0]) || 0;
  } catch {
    return 0; // it has exited
  }
}

interface Scenario {
  name: string;
  shards: number;
  wallS: number;
  privaciCpuS: number;
  sourceCpuS: number;
  targetCpuS: number;
  peakRssMiB: number;
  loadBefore: string;
  loadAfter: string;
  equal: boolean;
  killed?: { shard: number; table: string; atRow: number };
}

async function runScenario(
  name: string,
  shards: number,
  ctx: {
    policy: string;
    env: Record<string, string>;
    dbs: Record<string, string>;
    reference?: Record<string, string>;
  },
  fault?: { random: () => number },
): Promise<Scenario> {
  await resetTarget(ctx.env.BENCH_TARGET_URL);
  await psql(ctx.env.BENCH_TARGET_URL, ["-c", "drop schema if exists privaci cascade"]);
  const loadBefore = load();
  const key = `bench-${name}-${Date.now()}`;
  const argsOf = (i: number) =>
    shards === 0 ? ["--truncate"] : ["--truncate", "--shard", `${i}/${shards}`, "--run-key", key];
  const started = performance.now();
  const children = Array.from(
    { length: Math.max(shards, 1) },
    (_, i) => startPrivaci(ctx.policy, ctx.env, argsOf(i)),
  );
  let live = children.length;
  for (const c of children) c.done.finally(() => live--);
  const cpu = backendCpu(ctx.dbs, () => live > 0);
  let killed: Scenario["killed"];
  if (fault) {
    const victim = Math.floor(fault.random() * shards);
    const row = 1 + Math.floor(fault.random() * 5000);
    for (let i = 0; i < 6000 && live > 0 && !killed; i++) {
      const rows = (await scalar(
        ADMIN_URL,
        `select string_agg(a.client_port || '|' || a.application_name || '|' || p.tuples_processed, ';')
          from pg_stat_activity a join pg_stat_progress_copy p using (pid)
         where a.datname = '${ctx.dbs.target}' and p.tuples_processed >= ${row}`,
      )).split(";").filter(Boolean);
      const pid = denoPid(children[victim]);
      if (pid === 0) break;
      const mine = tcpPorts(pid);
      for (const r of rows) {
        const [port, app, n] = r.split("|");
        if (mine.has(Number(port))) {
          Deno.kill(pid, "SIGKILL");
          killed = { shard: victim, table: app.replace("privaci write ", ""), atRow: Number(n) };
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (killed) {
      await children[victim].done;
      const again = startPrivaci(ctx.policy, ctx.env, argsOf(victim));
      children.push(again);
      live++;
      again.done.finally(() => live--);
    }
  }
  const ends = await Promise.all(children.map((c) => c.done));
  const wallS = (performance.now() - started) / 1000;
  const server = await cpu;
  const used = await Promise.all(children.map(usage));
  for (const [i, e] of ends.entries()) {
    if (e.code !== 0 && !(killed && i === killed.shard)) {
      throw new Error(`${name}: process ${i} exited ${e.code}: ${e.stderr}`);
    }
  }
  const got = await digests(ctx.env.BENCH_TARGET_URL);
  return {
    name,
    shards,
    wallS,
    privaciCpuS: used.reduce((n, u) => n + u.cpu, 0),
    sourceCpuS: server.source,
    targetCpuS: server.target,
    peakRssMiB: Math.max(...used.map((u) => u.rss)) / 2 ** 20,
    loadBefore,
    loadAfter: load(),
    equal: ctx.reference === undefined || JSON.stringify(got) === JSON.stringify(ctx.reference),
    ...(killed ? { killed } : {}),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      scale: { type: "string", default: "0.1" },
      "chunk-rows": { type: "string", default: "25000" },
      seed: { type: "string" },
      out: { type: "string", default: "bench/results_shards.json" },
    },
  });
  const scale = Number(values.scale);
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const source = await createDb("shsrc");
  const target = await createDb("shdst");
  const policy = await Deno.makeTempFile({ prefix: "privaci-bench-shards-", suffix: ".yaml" });
  try {
    console.log(`seeding scale ${scale} (load ${load()})`);
    await seedSource(dbUrl(source), scale);
    await shapeTarget(dbUrl(target), "cheap");
    const doc = parse(await Deno.readTextFile(policyFile("level1.yaml"))) as Record<string, unknown>;
    doc.options = { ...(doc.options as object ?? {}), chunk_rows: Number(values["chunk-rows"]) };
    await Deno.writeTextFile(policy, stringify(doc));
    const env = { BENCH_SOURCE_URL: dbUrl(source), BENCH_TARGET_URL: dbUrl(target), BENCH_KEY };
    const ctx = { policy, env, dbs: { source, target } as Record<string, string> };
    const results: Scenario[] = [];
    const one = await runScenario("1 process", 0, ctx);
    const reference = await digests(env.BENCH_TARGET_URL);
    results.push(one);
    console.log(JSON.stringify(one));
    for (const n of [2, 4]) {
      const r = await runScenario(`${n} shards`, n, { ...ctx, reference });
      results.push(r);
      console.log(JSON.stringify(r));
    }
    const fault = await runScenario("4 shards, one killed", 4, { ...ctx, reference }, {
      random: seededRandom(seed),
    });
    results.push(fault);
    console.log(JSON.stringify(fault));
    const rows = Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t) => [t, Number(await scalar(env.BENCH_SOURCE_URL, `select count(*) from ${t}`))]),
      ),
    );
    const out = {
      when: new Date().toISOString(),
      cores: navigator.hardwareConcurrency,
      scale,
      chunkRows: Number(values["chunk-rows"]),
      seed,
      rows,
      results,
    };
    await Deno.writeTextFile(values.out!, JSON.stringify(out, null, 2) + "\n");
    console.log(
      "\n| scenario | wall (s) | privaci CPU (s) | source CPU (s) | target CPU (s) | peak RSS (MiB) | load before → after | md5 per table = 1 process |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for (const r of results) {
      console.log(
        `| ${r.name}${
          r.killed
            ? ` (shard ${r.killed.shard} at row ${r.killed.atRow} of ${r.killed.table})`
            : r.name.includes("killed")
            ? " (missed: every COPY passed the drawn row first; use a larger --scale)"
            : ""
        } | ${r.wallS.toFixed(1)} | ${r.privaciCpuS.toFixed(1)} | ${r.sourceCpuS.toFixed(1)} | ${
          r.targetCpuS.toFixed(1)
        } | ${r.peakRssMiB.toFixed(0)} | ${r.loadBefore} → ${r.loadAfter} | ${
          r.name === "1 process" ? "reference" : r.equal ? "yes" : "NO"
        } |`,
      );
    }
    if (results.some((r) => !r.equal)) throw new Error("a sharded target differs from the one-process copy");
  } finally {
    await Deno.remove(policy).catch(() => {});
    await dropDb(source);
    await dropDb(target);
  }
}

if (import.meta.main) await main();
