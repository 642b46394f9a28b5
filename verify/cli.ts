/**
 * The `privaci verify` command, and the reports `verify` and `run --verify` write: text on stdout,
 * `--json`, `--sarif FILE`, `--html FILE`. Findings at or above `--fail-on` end in a `VERIFY_FAILED`
 * error (exit 1) after the reports are written.
 *
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { LoadedPolicy } from "../config/load.ts";
import { loadPolicy } from "../config/load.ts";
import { PrivaciError } from "../errors.ts";
import { policyRegistry } from "../plugins/policy_registry.ts";
import { formatHtml } from "../report/format_html.ts";
import { formatSarif } from "../report/format_sarif.ts";
import type { RunReport } from "../report/report.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { type Risk, RISKS, type VerifyReport } from "./findings.ts";
import { formatVerifyText } from "./format_text.ts";
import { verify } from "./verify.ts";

/** Where the reports go. */
export interface VerifyOutput {
  /** Print the JSON report on stdout instead of the text one. */
  json?: boolean;
  /** Print nothing on stdout (`run --verify --json` prints one document of its own, see {@link formatRunJson}). */
  silent?: boolean;
  sarif?: string;
  html?: string;
  /** Include these run figures in the HTML page. */
  run?: RunReport;
}

/** The `--fail-on` option, shared by `verify` and `run --verify`. */
export function failOnOption(): Option<"--fail-on <risk>", undefined, "medium", Risk> {
  return new Option("--fail-on <risk>", "exit 1 when a finding is at or above this risk")
    .choices(RISKS)
    .default("medium" as const);
}

/** The `--sample` option. */
export function sampleOption(): Option<"--sample <rows>", undefined, undefined, number> {
  return new Option("--sample <rows>", "residual scan: at most this many rows per column (default: all)")
    .argParser((v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) {
        throw new PrivaciError("USAGE", `Cannot use --sample as it is not a positive integer: '${v}'`, {
          exitCode: 2,
        });
      }
      return n;
    });
}

/**
 * Verifies a loaded policy's target and writes the reports; throws `VERIFY_FAILED` on findings unless
 * `failOnFindings` is false (then the caller throws {@link verifyFailure} once its own output is out).
 */
export async function verifyAndReport(
  loaded: LoadedPolicy,
  options: {
    registry: StrategyRegistry;
    version: string;
    failOn: Risk;
    sample?: number;
    quiet?: boolean;
    output: VerifyOutput;
    failOnFindings?: boolean;
  },
): Promise<VerifyReport> {
  const report = await verify(loaded, {
    registry: options.registry,
    version: options.version,
    failOn: options.failOn,
    ...(options.sample ? { sample: options.sample } : {}),
    onPhase: options.quiet ? undefined : (p) => console.error(`verify: ${p}`),
  });
  await writeVerifyReports(report, options.output);
  const failure = verifyFailure(report);
  if (failure && options.failOnFindings !== false) throw failure;
  return report;
}

/** The `VERIFY_FAILED` error of a report with findings at or above its `--fail-on` risk, if it has any. */
export function verifyFailure(report: VerifyReport): PrivaciError | undefined {
  if (report.ok) return undefined;
  const n = report.findings.filter((f) => RISKS.indexOf(f.risk) >= RISKS.indexOf(report.failOn)).length;
  return new PrivaciError(
    "VERIFY_FAILED",
    `Verification found ${n} finding(s) at or above '${report.failOn}' risk in the target`,
    { hint: "fix the policy rules the findings name and run again (or raise --fail-on)" },
  );
}

/**
 * The JSON document of `run --json` (and `run --report file.json`): the run report, with the verification
 * inside as `verify` when the run was verified, so that one document says both.
 */
export function formatRunJson(run: RunReport, verify?: VerifyReport): string {
  return JSON.stringify(verify ? { ...run, verify } : run, null, 2) + "\n";
}

/** Prints the text or JSON report and writes the SARIF and HTML files asked for. */
export async function writeVerifyReports(report: VerifyReport, output: VerifyOutput): Promise<void> {
  if (output.sarif) await Deno.writeTextFile(output.sarif, formatSarif(report));
  if (output.html) {
    await Deno.writeTextFile(
      output.html,
      formatHtml({ verify: report, ...(output.run ? { run: output.run } : {}) }),
    );
  }
  if (output.silent) return;
  if (output.json) console.log(JSON.stringify(report, null, 2));
  else console.log(formatVerifyText(report).trimEnd());
}

/** `privaci verify`. */
export function verifyCommand(version: string): Command {
  return new Command("verify")
    .description(
      "audit the masked target against its source and policy: replayed values, residual personal data, integrity, k-anonymity",
    )
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .addOption(failOnOption())
    .addOption(sampleOption())
    .option("--json", "print the report as JSON on stdout")
    .option("--sarif <file>", "also write the findings as SARIF 2.1.0 (code scanning)")
    .option("--html <file>", "also write a self-contained HTML report")
    .option(
      "--run-report <file>",
      "the JSON report of the run that made the target (run --report), for the HTML page",
    )
    .option("-q, --quiet", "no progress lines")
    .action(async (opts) => {
      const loaded = await loadPolicy(opts.config);
      const run = opts.runReport ? await readRunReport(opts.runReport) : undefined;
      const plugins = await policyRegistry(loaded, { hostVersion: version });
      try {
        await verifyAndReport(loaded, {
          registry: plugins.registry,
          version,
          failOn: opts.failOn,
          ...(opts.sample ? { sample: opts.sample } : {}),
          quiet: opts.quiet ?? false,
          output: {
            json: opts.json ?? false,
            ...(opts.sarif ? { sarif: opts.sarif } : {}),
            ...(opts.html ? { html: opts.html } : {}),
            ...(run ? { run } : {}),
          },
        });
      } finally {
        await plugins.close();
      }
    });
}

/** Reads a run's JSON report (as `run --report file.json` wrote it). */
async function readRunReport(file: string): Promise<RunReport> {
  try {
    const report = JSON.parse(await Deno.readTextFile(file)) as RunReport;
    if (!Array.isArray(report.tables) || typeof report.totals !== "object") {
      throw new TypeError("not a run report");
    }
    return report;
  } catch (e) {
    throw new PrivaciError("USAGE", `Cannot read the run report '${file}': ${(e as Error).message}`, {
      exitCode: 2,
      hint: "give the JSON file `privaci run --report file.json` wrote",
    });
  }
}
