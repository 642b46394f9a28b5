/**
 * `privaci verify` in the bench: after a timed run has filled a target, verify it as a subprocess (as
 * users run it), with its wall time, peak RSS ({@link measureDeno}), the time of each check, and
 * the residual scan's words per second per core, beside the run's own time.
 *
 * @module
 */
import { measureDeno } from "./_measure.ts";

/** One verification as the bench saw it. */
export interface VerifyTiming {
  /** The policy's scenario. */
  scenario: string;
  target: string;
  /** Wall time of the run that filled the target, and of the verification. */
  runMs: number;
  verifyMs: number;
  peakRss: number;
  /** Seconds per check, from the report. */
  phases: Record<string, number>;
  /** Words the residual scan read, and per second of its phase per core (detector threads). */
  residualWords: number;
  residualWordsPerSecondPerCore: number;
  detectorThreads: number;
  findings: number;
  /** `risk check table.column` of each finding. */
  located: string[];
  exitCode: number;
  sample: number | null;
}

/** Runs `privaci verify -c policy --json --quiet [--sample N]` and measures it. */
export async function timeVerify(options: {
  scenario: string;
  target: string;
  policy: string;
  env: Record<string, string>;
  runMs: number;
  sample?: number;
}): Promise<VerifyTiming> {
  const args = ["run", "-A", "cli.ts", "verify", "-c", options.policy, "--json", "--quiet"];
  if (options.sample) args.push("--sample", String(options.sample));
  const child = await measureDeno(args, options.env);
  // Exit 1 means findings (a Level 1 policy keeps the ticket bodies): still a complete verification.
  if (child.code !== 0 && child.code !== 1) {
    throw new Error(`privaci verify exited with ${child.code}: ${child.stderrHead}`);
  }
  const report = JSON.parse(child.stdout) as {
    timings: Record<string, number>;
    residual: { words: number }[];
    findings: { risk: string; check: string; table: string; column?: string }[];
  };
  const words = report.residual.reduce((n, r) => n + r.words, 0);
  const threads = Math.min(4, navigator.hardwareConcurrency);
  const residualSeconds = report.timings.residual ?? 0;
  return {
    scenario: options.scenario,
    target: options.target,
    runMs: options.runMs,
    verifyMs: child.ms,
    peakRss: child.peakRss,
    phases: report.timings,
    residualWords: words,
    residualWordsPerSecondPerCore: residualSeconds > 0 ? words / residualSeconds / threads : 0,
    detectorThreads: threads,
    findings: report.findings.length,
    located: report.findings.map((f) => `${f.risk} ${f.check} ${f.table}${f.column ? `.${f.column}` : ""}`),
    exitCode: child.code,
    sample: options.sample ?? null,
  };
}

/** The verification figures as lines of text. */
export function formatVerify(rows: readonly VerifyTiming[]): string {
  const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;
  return rows.map((r) =>
    `verify ${r.scenario} → ${r.target}${r.sample ? ` (sample ${r.sample})` : ""}: ${
      (r.verifyMs / 1000).toFixed(1)
    } s (run ${(r.runMs / 1000).toFixed(1)} s), peak RSS ${mib(r.peakRss)}; ${
      Object.entries(r.phases).map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(", ")
    }; residual ${
      Math.round(r.residualWordsPerSecondPerCore).toLocaleString("en-US")
    } words/s per core over ${
      r.residualWords.toLocaleString("en-US")
    } words on ${r.detectorThreads} threads; ${r.findings} findings (exit ${r.exitCode})`
  ).join("\n");
}
