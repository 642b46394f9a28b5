/**
 * PrivaCI as a library: load a policy, check it against the source, and run a masked copy.
 *
 * Run as a program, this module is the `privaci` command:
 * `deno run -A jsr:@privaci/cli run -c privaci.yaml`. Imported, it is the library, and the command's
 * modules are not loaded.
 *
 * ```ts ignore
 * import { loadPolicy, run, formatText } from "@privaci/cli";
 * const policy = await loadPolicy("privaci.yaml");
 * const report = await run(policy);
 * console.log(formatText(report));
 * ```
 *
 * @module
 */
export * from "./errors.ts";
export { loadPolicy, parsePolicy } from "./config/load.ts";
export type { LoadedPolicy, LoadOptions, LocateOptions } from "./config/load.ts";
export { diagnostic, DIAGNOSTIC_CODES, formatDiagnostics, SEVERITIES } from "./core/diagnostic.ts";
export type { Diagnostic, DiagnosticCode, FormatOptions, Location, Severity } from "./core/diagnostic.ts";
export type {
  ColumnRule,
  ColumnRuleLong,
  Condition,
  ConditionValue,
  PluginRef,
  Policy,
  RuleAlternative,
  StrategyRule,
  Subset,
  SubsetRoot,
  TableRule,
  VirtualForeignKey,
} from "./config/schema.ts";
export type { Keyring } from "./strategies/keyed/keyring.ts";
export { check, dryRun, run } from "./execute/run.ts";
export type { CheckResult, ProgressEvent, RunOptions } from "./execute/run.ts";
export { shardFrom } from "./execute/shard.ts";
export type { ShardEnv, ShardOptions } from "./execute/shard.ts";
export type { PolicySource } from "./plan/plan.ts";
export type { RunReport, TableReport } from "./report/report.ts";
export { formatText } from "./report/format_text.ts";
export { formatJson } from "./report/format_json.ts";
export { formatHtml } from "./report/format_html.ts";
export type { HtmlReportInput } from "./report/format_html.ts";
export { formatSarif } from "./report/format_sarif.ts";
export { verify } from "./verify/verify.ts";
export type { VerifyOptions } from "./verify/verify.ts";
export { CHECKS, RISKS } from "./verify/findings.ts";
export type * from "./verify/findings.ts";
export { builtinStrategies } from "./strategies/builtins.ts";
export { StrategyRegistry } from "./strategies/registry.ts";
export type * from "./strategies/types.ts";
export { definePlugin, PLUGIN_API_VERSION } from "./plugins/sdk/mod.ts";
export type { PluginDefinition, PluginModule, PluginStrategy } from "./plugins/sdk/mod.ts";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
