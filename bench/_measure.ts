/**
 * The two things the bench times: the physical limit (a real shell pipe between two psql processes, one
 * table at a time) and a `privaci run` subprocess, whose peak RSS is polled from /proc while it runs.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type BenchTable, TABLES } from "./_db.ts";

/** The repository root (where cli.ts is). */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Longest a single timed command may run before it is killed. */
const LIMIT_MS = 3 * 60 * 60 * 1000;

/** Wall times of one pipe run, per table and in total. */
export interface PipeTiming {
  ms: Record<BenchTable, number>;
  total: number;
}

/**
 * Times `psql -c "COPY t TO STDOUT" | psql -c "COPY t FROM STDIN"` for each table, in FK order.
 *
 * @param source the source database URL.
 * @param target the target database URL (its tables must be empty).
 */
export async function timePipe(source: string, target: string): Promise<PipeTiming> {
  const ms = {} as Record<BenchTable, number>;
  let total = 0;
  for (const t of TABLES) {
    const script = `set -o pipefail; psql "$SRC" -X -q -c "COPY ${t} TO STDOUT" | ` +
      `psql "$DST" -X -q -v ON_ERROR_STOP=1 -c "COPY ${t} FROM STDIN"`;
    const started = performance.now();
    const out = await new Deno.Command("bash", {
      args: ["-c", script],
      env: { SRC: source, DST: target },
      stdout: "null",
      stderr: "piped",
    }).output();
    ms[t] = performance.now() - started;
    total += ms[t];
    if (!out.success) {
      throw new Error(`Cannot pipe ${t} with psql: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
  }
  return { ms, total };
}

/** One `privaci run` as the bench saw it. */
export interface PrivaciTiming {
  /** Wall time of the whole process, start-up included. */
  total: number;
  /** Per table, as the run's own report gives it (COPY start to commit). */
  ms: Record<BenchTable, number>;
  /** Peak resident set size of the process (VmHWM), in bytes. */
  peakRss: number;
  /** Process start to `run()` start: module loading and policy parsing (wall time minus the report's `ms`). */
  startupMs: number;
  /** Inside `run()` but outside the tables' copies: connecting, planning, truncating, sequences, FK checks. */
  overheadMs: number;
}

/** Options of {@link timePrivaci}. */
export interface PrivaciOptions {
  /** Policy file. */
  policy: string;
  /** Where the JSON report goes. */
  report: string;
  /** Environment for the policy's `${VAR}`s. */
  env: Record<string, string>;
  /** `--jobs`. */
  jobs: number;
  /** Extra `deno run` flags (e.g. `--cpu-prof`). */
  denoFlags?: readonly string[];
}

/** Runs `deno run -A cli.ts run -c … --truncate --quiet --report …` and measures it. */
export async function timePrivaci(options: PrivaciOptions): Promise<PrivaciTiming> {
  const args = [
    "run",
    "-A",
    ...(options.denoFlags ?? []),
    "cli.ts",
    "run",
    "-c",
    options.policy,
    "--truncate",
    "--quiet",
    "--jobs",
    String(options.jobs),
    "--report",
    options.report,
  ];
  const child = await measureDeno(args, options.env);
  const total = child.ms;
  if (child.code !== 0) throw new Error(`privaci run exited with ${child.code}: ${child.stderrHead}`);
  const report = JSON.parse(await Deno.readTextFile(options.report)) as {
    ms: number;
    tables: { table: string; ms: number; status: string }[];
  };
  const ms = {} as Record<BenchTable, number>;
  for (const t of TABLES) {
    const line = report.tables.find((r) => r.table === `public.${t}`);
    if (!line || line.status !== "copied") throw new Error(`privaci run did not copy public.${t}`);
    ms[t] = line.ms;
  }
  const copying = TABLES.reduce((n, t) => n + ms[t], 0);
  return { total, ms, peakRss: child.peakRss, startupMs: total - report.ms, overheadMs: report.ms - copying };
}

/** A child process as {@link measureDeno} saw it. */
export interface MeasuredChild {
  code: number;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
  /** Peak resident set size (VmHWM), polled every 50 ms, in bytes. */
  peakRss: number;
  stdout: string;
  /** The first lines of stderr joined with ` | `, for an error message. */
  stderrHead: string;
}

/**
 * Runs `deno <args>` in the repository root with `env` (and `NO_COLOR`), polling its peak RSS every 50 ms
 * until it exits; kills it after {@link LIMIT_MS}.
 */
export async function measureDeno(
  args: readonly string[],
  env: Record<string, string>,
): Promise<MeasuredChild> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd: ROOT,
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  let peak = 0;
  let done = false;
  const status = child.status.finally(() => done = true);
  const timer = setTimeout(() => child.kill("SIGKILL"), LIMIT_MS);
  try {
    for (let polls = 0; !done && polls < LIMIT_MS / 50; polls++) {
      peak = Math.max(peak, readHwm(child.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    clearTimeout(timer);
  }
  const { code } = await status;
  return {
    code,
    ms: performance.now() - started,
    peakRss: peak,
    stdout: await stdout,
    stderrHead: (await stderr).trim().split("\n").slice(0, 6).join(" | "),
  };
}

/** VmHWM of a live process in bytes, or 0 once it is gone. */
function readHwm(pid: number): number {
  try {
    const m = Deno.readTextFileSync(`/proc/${pid}/status`).match(/^VmHWM:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
