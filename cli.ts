/**
 * The `privaci` command: argv → library call → exit code. The only file that calls `Deno.exit`.
 *
 * Exit codes: 0 ok · 1 the run failed · 2 bad usage, bad policy or `check` found problems ·
 * 3 a plugin could not be verified or failed · 4 cannot connect · 130/143 interrupted (SIGINT/SIGTERM).
 *
 * @module
 */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import denoJson from "./deno.json" with { type: "json" };
import { formatDiagnostics } from "./core/diagnostic.ts";
import { type LoadedPolicy, loadPolicy } from "./config/load.ts";
import { ConfigError, EXIT, PrivaciError } from "./errors.ts";
import { check, dryRun, type ProgressEvent, run } from "./execute/run.ts";
import { shardFrom } from "./execute/shard.ts";
import { formatHtml } from "./report/format_html.ts";
import { formatJson } from "./report/format_json.ts";
import type { RunReport } from "./report/report.ts";
import { formatText } from "./report/format_text.ts";
import { pluginCommand } from "./plugins/cli.ts";
import { policyRegistry } from "./plugins/policy_registry.ts";
import { failOnOption, formatRunJson, verifyAndReport, verifyCommand, verifyFailure } from "./verify/cli.ts";
import { formatScanSummary } from "./scan/format.ts";
import { preview } from "./preview/preview.ts";
import { formatPreview } from "./preview/format.ts";

const color = !Deno.env.get("NO_COLOR") && Deno.stderr.isTerminal();
const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const err = (s: string) => console.error(s);

let debug = Deno.args.includes("--debug");

function printError(e: unknown): number {
  if (e instanceof PrivaciError) {
    err(`${paint("31;1", `error ${e.code}`)}: ${e.message}`);
    // A single issue is already in the message (with its file, line and column).
    if (e instanceof ConfigError && e.diagnostics.length > 1) {
      err(formatDiagnostics(e.diagnostics, { color, code: true }));
    }
    if (e.hint) err(`${paint("36", "hint")}: ${e.hint}`);
    if (debug && e.cause) err(e.cause instanceof Error ? e.cause.stack ?? String(e.cause) : String(e.cause));
    if (debug) err(e.stack ?? "");
    return e.exitCode;
  }
  err(`${paint("31;1", "Internal error")}: ${(e as Error)?.message ?? String(e)}`);
  if (debug) err((e as Error)?.stack ?? "");
  else err("run again with --debug for the stack trace");
  return EXIT.runFailed;
}

function progressPrinter(quiet: boolean): (e: ProgressEvent) => void {
  const lastTick = new Map<string, number>();
  return (e) => {
    if (quiet) return;
    if (e.type === "plan") err(`copying ${e.tables} tables (${e.skipped} skipped)`);
    else if (e.type === "subset-start") {
      err(`computing the subset's kept rows of ${e.tables} tables in the snapshot (once for the run) …`);
    } else if (e.type === "subset-kept") err(`  subset ${e.table}: ${e.rows} rows kept`);
    else if (e.type === "table-progress") {
      const now = Date.now();
      if (now - (lastTick.get(e.table) ?? 0) < 5000) return;
      lastTick.set(e.table, now);
      err(`  ${e.table}: ${e.rows} rows so far`);
    } else if (e.type === "table-retry") {
      err(`  ${paint("33", "↻")} ${e.table}: connection lost, retry ${e.attempt} (${e.reason})`);
    } else if (e.type === "table-done") {
      const r = e.report;
      err(`  ${paint("32", "✓")} ${r.table}: ${r.rows} rows in ${(r.ms / 1000).toFixed(2)} s`);
    }
  };
}

async function load(config: string): Promise<LoadedPolicy> {
  return await loadPolicy(config);
}

/** Builds the command tree (exported for tests and embedding). */
export function buildCli(): Command {
  const program = new Command()
    .name("privaci")
    .description(
      "Copy a PostgreSQL database into another one and mask every piece of personal data on the way",
    )
    .version(denoJson.version, "-V, --version")
    .option("--debug", "show stack traces and error causes")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();

  program.command("run")
    .description("copy the selected schemas of the source into the target, masking per policy")
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .option("--truncate", "empty the target tables first instead of refusing non-empty ones")
    .option("--resume", "continue the target's interrupted run: skip the tables it completed")
    .option("--schema-only", "create the schema (schema: copy) and set sequences, copy no rows")
    .option("--dry-run", "print the DDL and the per-table plan, change nothing")
    .addOption(
      new Option("--retries <n>", "attempts per table after a lost connection").default(3).argParser(
        nonNegativeInt,
      ),
    )
    .addOption(
      new Option(
        "-j, --jobs <n>",
        "units (tables, or key ranges of a large table) copied at once (default: cores)",
      ).argParser(positiveInt),
    )
    .addOption(
      new Option(
        "--mask-workers <n>",
        "worker threads masking Level 1 columns, 0 for none (default: 0 below 4 cores, else cores - 1, at most 8)",
      )
        .argParser(nonNegativeInt),
    )
    .option("--report <file>", "also write the report to this file: HTML when it ends in .html, else JSON")
    .option("--json", "print the report as JSON on stdout (also when the run fails)")
    .option("--verify", "verify the target after the copy (as `privaci verify` does)")
    .option(
      "--shard <i/n>",
      "run as shard I of N processes sharing one run (default: JOB_COMPLETION_INDEX/JOB_COMPLETION_COUNT)",
    )
    .option(
      "--run-key <key>",
      "with --shard: the name all shards of one run share (default: PRIVACI_RUN_KEY)",
    )
    .addOption(failOnOption())
    .option("-q, --quiet", "no progress lines")
    .action(async (opts) => {
      const loaded = await load(opts.config);
      const controller = new AbortController();
      let signal: "SIGINT" | "SIGTERM" | null = null;
      const stop = (s: "SIGINT" | "SIGTERM") => () => {
        signal = s;
        err(`${s}: stopping, rolling back the tables in flight`);
        controller.abort(new PrivaciError("INTERRUPTED", `Interrupted by ${s}`));
      };
      const onInt = stop("SIGINT");
      const onTerm = stop("SIGTERM");
      if (opts.dryRun) {
        console.log((await dryRun(loaded)).trimEnd());
        return;
      }
      // One registry for the run and the verification after it (the library would load the plugins
      // itself, once per call).
      const shard = shardFrom(
        { ...(opts.shard ? { shard: opts.shard } : {}), ...(opts.runKey ? { runKey: opts.runKey } : {}) },
        Deno.env,
      );
      const plugins = await policyRegistry(loaded, { hostVersion: denoJson.version });
      Deno.addSignalListener("SIGINT", onInt);
      Deno.addSignalListener("SIGTERM", onTerm);
      // The report is written whether the run succeeds or fails: a failed run is when an auditor needs it.
      let written: Promise<void> = Promise.resolve();
      const html = opts.report && /\.html?$/i.test(opts.report) ? opts.report : undefined;
      let last: RunReport | undefined;
      // Set once the JSON report is on stdout: `run --json` prints exactly one document.
      let printed = false;
      const writeReport = (report: RunReport) => {
        last = report;
        // With --verify, a finished run's report is written after the verification, with it.
        if (opts.verify && report.ok) return;
        if (html) written = Deno.writeTextFile(html, formatHtml({ run: report }));
        else if (opts.report) written = Deno.writeTextFile(opts.report, formatJson(report));
      };
      try {
        const report = await run(loaded, {
          schemaOnly: opts.schemaOnly ?? false,
          registry: plugins.registry,
          truncate: opts.truncate ?? false,
          resume: opts.resume ?? false,
          retries: opts.retries,
          ...(opts.jobs ? { jobs: opts.jobs } : {}),
          ...(shard ? { shard } : {}),
          ...(opts.maskWorkers !== undefined ? { maskWorkers: opts.maskWorkers } : {}),
          signal: controller.signal,
          onProgress: progressPrinter(opts.quiet ?? false),
          version: denoJson.version,
          onReport: writeReport,
        });
        await written;
        if (!opts.json) console.log(formatText(report).trimEnd());
        // The verification's text follows the run's; its JSON goes inside the run's one document. Of a
        // run's shards, the one that finished the run verifies it.
        const verified = opts.verify && report.shard?.finished !== false
          ? await verifyAndReport(loaded, {
            registry: plugins.registry,
            version: denoJson.version,
            failOn: opts.failOn,
            quiet: opts.quiet ?? false,
            failOnFindings: false,
            output: { silent: opts.json ?? false, run: report, ...(html ? { html } : {}) },
          })
          : undefined;
        if (verified && opts.report && !html) {
          written = Deno.writeTextFile(opts.report, formatRunJson(report, verified));
          await written;
        }
        if (opts.json) console.log(formatRunJson(report, verified).trimEnd());
        printed = true;
        const failure = verified && verifyFailure(verified);
        if (failure) throw failure;
      } catch (e) {
        // A verification that did not finish leaves the finished run's report to write, without it.
        if (opts.verify && last?.ok && !printed && opts.report) {
          written = Deno.writeTextFile(opts.report, html ? formatHtml({ run: last }) : formatJson(last));
        }
        await written.catch((w) =>
          err(`${paint("33", "warning")}: cannot write the report: ${(w as Error).message}`)
        );
        if (opts.json && last && !printed) console.log(formatJson(last).trimEnd());
        if (signal !== null) {
          printError(e);
          throw new ExitRequest(signal === "SIGINT" ? EXIT.sigint : EXIT.sigterm);
        }
        throw e;
      } finally {
        await plugins.close();
        Deno.removeSignalListener("SIGINT", onInt);
        Deno.removeSignalListener("SIGTERM", onTerm);
      }
    });

  program.command("check")
    .description("validate the policy against the live source catalog without copying anything")
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .option("--json", "print the result as JSON on stdout")
    .action(async (opts) => {
      const loaded = await load(opts.config);
      const result = await check(loaded, { version: denoJson.version });
      if (opts.json) console.log(JSON.stringify(result, null, 2));
      const warnings = result.diagnostics.filter((d) => d.severity !== "error");
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (warnings.length > 0) err(formatDiagnostics(warnings, { color, code: true }));
      if (!result.ok) {
        err(
          `${paint("31;1", "error CHECK_FAILED")}: ${errors.length} problem${
            errors.length === 1 ? "" : "s"
          } in the policy`,
        );
        err(formatDiagnostics(errors, { color, code: true }));
        if (result.suggestion) {
          err(`\nAdd these rules to ${loaded.file} (review every 'keep'):\n`);
          console.log(result.suggestion);
        }
        throw new ExitRequest(EXIT.usage);
      }
      if (!opts.json) {
        console.log(`ok: ${result.tables} tables, ${result.columns} columns, every column classified`);
      }
    });

  program.addCommand(verifyCommand(denoJson.version));
  program.command("scan")
    .description("sample the source and draft a policy: every column classified from name, type and content")
    .option("--source <url>", "the source database (default: PRIVACI_SOURCE_URL)")
    .option(
      "-c, --config <file>",
      "an existing policy: keep its rules, add missing columns, flag personal 'keep's",
    )
    .option("-o, --out <file>", "write the policy here instead of stdout")
    .addOption(new Option("--sample <n>", "rows sampled per table").default(1000).argParser(positiveInt))
    .addOption(
      new Option("--timeout <ms>", "time budget per table's sample in milliseconds").default(5000).argParser(
        positiveInt,
      ),
    )
    .option("--schemas <list>", "comma-separated schemas to scan (default: the policy's, else public)")
    .option("--check", "with -c: exit 1 when a column the policy keeps looks personal")
    .option("--json", "print the findings as JSON on stdout (counts and detector names, never a value)")
    .option("-q, --quiet", "no progress lines")
    .action(async (opts) => {
      if (opts.check && !opts.config) {
        throw new PrivaciError(
          "USAGE",
          "Cannot check without a policy: --check compares a policy's 'keep' rules",
          {
            exitCode: EXIT.usage,
            hint: "pass the policy with -c privaci.yaml",
          },
        );
      }
      // Loaded on use: the detectors (and their word lists) would add about 50 MB to every run.
      const { loadScanPolicy, scan } = await import("./scan/scan.ts");
      const policy = opts.config ? await loadScanPolicy(opts.config) : undefined;
      const source = opts.source ?? Deno.env.get("PRIVACI_SOURCE_URL");
      if (!policy && !source) {
        throw new PrivaciError("USAGE", "Cannot scan without a source", {
          exitCode: EXIT.usage,
          hint: "pass --source postgres://…, set PRIVACI_SOURCE_URL, or give a policy with -c",
        });
      }
      const result = await scan({
        ...(policy ? { policy } : { source: source! }),
        ...(opts.schemas ? { schemas: opts.schemas.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
        sample: opts.sample,
        timeoutMs: opts.timeout,
        onTable: (t, done, of) => {
          if (!opts.quiet && (done % 100 === 0 || done === of)) err(`  scanned ${done}/${of} tables`);
          if (t.failed) {
            err(`  ${paint("33", "warning")}: ${t.table}: sample ${t.failed}, rules from names only`);
          }
        },
      });
      if (opts.out) await Deno.writeTextFile(opts.out, result.yaml);
      if (opts.json) console.log(JSON.stringify({ tables: result.tables, flagged: result.flagged }, null, 2));
      else if (!opts.out && !opts.check) console.log(result.yaml.trimEnd());
      if (!opts.quiet) err(formatScanSummary(result, { color, out: opts.out }));
      if (opts.check && result.flagged.length > 0) throw new ExitRequest(EXIT.runFailed);
    });

  program.command("preview")
    .description(
      "show a few source rows of each table before and after masking, exactly as run masks them; " +
        "prints source values (for the policy's author at a terminal), writes nothing",
    )
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .option("-t, --table <name>", "only this table (schema.table)")
    .addOption(new Option("-n, --rows <n>", "rows per table").default(5).argParser(positiveInt))
    .option("--json", "print the rows as JSON on stdout")
    .action(async (opts) => {
      const loaded = await load(opts.config);
      const plugins = await policyRegistry(loaded, { hostVersion: denoJson.version });
      const tables = await preview(loaded, {
        registry: plugins.registry,
        rows: opts.rows,
        ...(opts.table ? { table: opts.table } : {}),
      }).finally(() => plugins.close());
      if (opts.json) console.log(JSON.stringify(tables, null, 2));
      else {console.log(
          formatPreview(tables, { color: !Deno.env.get("NO_COLOR") && Deno.stdout.isTerminal() }),
        );}
    });

  program.addCommand(pluginCommand());
  return program;
}

function nonNegativeInt(v: string): number {
  return v === "0" ? 0 : positiveInt(v);
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new CommanderError(
      EXIT.usage,
      "commander.invalidArgument",
      `expected a positive integer, got '${v}'`,
    );
  }
  return n;
}

/** Asks `main` to exit with a code after output was printed. */
class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Runs the CLI with `args` and returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  debug = args.includes("--debug");
  const program = buildCli();
  try {
    await program.parseAsync([...args], { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExitRequest) return e.code;
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help"
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    return printError(e);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
