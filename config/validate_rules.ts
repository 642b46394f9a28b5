/**
 * Checks the policy's column rules against a strategy registry: the strategy exists, its params pass the
 * strategy's schema, `unique: true` is only asked of strategies that can honour it, and keyed strategies
 * have a key. The database catalog is not consulted here (see `pipeline/plan.ts`).
 *
 * @module
 */
import { type Diagnostic, diagnostic, type DiagnosticCode } from "../core/diagnostic.ts";
import { configErrorOf } from "../errors.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { suggestion } from "./diagnostics.ts";
import type { LoadedPolicy } from "./load.ts";
import { COLUMN_RESERVED_KEYS } from "./schema.ts";
import { describeZodIssues } from "./_zod_issues.ts";

/**
 * Every problem with the policy's column rules, in policy order, each located in the policy file.
 *
 * @param loaded A policy from `loadPolicy`/`parsePolicy`.
 * @param registry The strategies available (built-ins plus trusted plugins).
 * @returns The diagnostics (`STRATEGY_UNKNOWN`, `STRATEGY_PARAMS`, `KEY_MISSING`); empty when every rule can be used.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePolicy } from "./load.ts";
 * import { checkRules } from "./validate_rules.ts";
 * import { builtinStrategies } from "../strategies/builtins.ts";
 * const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\n" +
 *   "tables:\n  public.t:\n    columns:\n      id: kep\n";
 * const loaded = parsePolicy(text, { file: "p.yaml", env: () => undefined });
 * const [issue] = checkRules(loaded, builtinStrategies());
 * assert.equal(issue.message, "unknown strategy 'kep' — did you mean 'keep'?");
 * assert.deepEqual([issue.location.line, issue.location.col], [7, 11]);
 * ```
 */
export function checkRules(loaded: LoadedPolicy, registry: StrategyRegistry): Diagnostic[] {
  const { policy, file } = loaded;
  const issues: Diagnostic[] = [];
  const names = registry.names();
  const add = (
    code: DiagnosticCode,
    path: (string | number)[],
    message: string,
    at: "key" | "value" = "key",
  ) => {
    let pos = loaded.locate(path, { at });
    for (let up = path.length - 1; !pos && up > 0; up--) pos = loaded.locate(path.slice(0, up));
    issues.push(diagnostic(code, message, { file, ...pos, path }));
  };
  for (const [table, rule] of Object.entries(policy.tables)) {
    for (const [column, columnRule] of Object.entries(rule.columns)) {
      const base = ["tables", table, "columns", column];
      const long = typeof columnRule === "object";
      const strategy = long ? columnRule.strategy : columnRule;
      const strategyPath = long ? [...base, "strategy"] : base;
      const def = registry.get(strategy);
      if (!def) {
        add(
          "STRATEGY_UNKNOWN",
          strategyPath,
          `unknown strategy '${strategy}'${suggestion(strategy, names)}`,
          "value",
        );
        continue;
      }
      const params: Record<string, unknown> = {};
      if (long) {
        for (const [k, v] of Object.entries(columnRule)) {
          if (!(COLUMN_RESERVED_KEYS as readonly string[]).includes(k)) params[k] = v;
        }
      }
      const parsed = def.params.safeParse(params);
      if (!parsed.success) {
        const owner = `for strategy '${strategy}'`;
        const problems = describeZodIssues(parsed.error.issues, params, def.params, {
          noun: "param",
          owner,
          alsoKnown: COLUMN_RESERVED_KEYS,
        });
        for (const p of problems) {
          // A short-form rule has no params of its own: point at the strategy name.
          add("STRATEGY_PARAMS", long ? [...base, ...p.path] : base, p.message, long ? p.at : "value");
        }
      }
      if (long && columnRule.unique === true && !def.meta.unique) {
        add(
          "STRATEGY_PARAMS",
          [...base, "unique"],
          `strategy '${strategy}' cannot guarantee distinct values, so 'unique: true' cannot be honoured`,
          "value",
        );
      }
      if (def.meta.keyed && policy.key === undefined) {
        add(
          "KEY_MISSING",
          strategyPath,
          `strategy '${strategy}' needs the policy key: add 'key: \${PRIVACI_KEY}' to the policy`,
          "value",
        );
      }
    }
  }
  return issues;
}

/**
 * Throws when {@link checkRules} finds anything: a {@link ConfigError} whose code is the first issue's
 * (`STRATEGY_UNKNOWN`, `STRATEGY_PARAMS` or `KEY_MISSING`) and whose issues are all of them.
 *
 * @param loaded A loaded policy.
 * @param registry The strategies available.
 * @throws {ConfigError} when a rule cannot be used.
 */
export function assertRules(loaded: LoadedPolicy, registry: StrategyRegistry): void {
  const issues = checkRules(loaded, registry);
  if (issues.length === 0) return;
  throw configErrorOf("Cannot use the policy's column rules", issues);
}
