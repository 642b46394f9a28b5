/**
 * The one way from a policy rule to a strategy: {@link bindRule} turns a column rule (`fake.email`, or
 * `{ strategy, domain?, unique?, ...params }`) into a {@link BoundRule} — the definition, its parsed
 * params, the key domain and uniqueness, and where the rule is in the policy — or into coded diagnostics
 * located in the policy. `check`, the planner, the maskers and the masking workers all start from a bound
 * rule; nothing else splits, defaults or validates a rule.
 *
 * @example An unknown strategy, located at its name
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePolicy } from "../config/load.ts";
 * import { builtinStrategies } from "../strategies/builtins.ts";
 * import { bindRule } from "./bind.ts";
 * const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\n" +
 *   "tables:\n  public.t:\n    columns:\n      id: kep\n";
 * const src = parsePolicy(text, { file: "p.yaml", env: () => undefined });
 * const path = ["tables", "public.t", "columns", "id"];
 * const bound = bindRule("kep", { registry: builtinStrategies(), src, path });
 * assert.ok(!bound.ok);
 * assert.equal(bound.diagnostics[0].code, "STRATEGY_UNKNOWN");
 * assert.equal(bound.diagnostics[0].message, "unknown strategy 'kep' — did you mean 'keep'?");
 * assert.deepEqual([bound.diagnostics[0].location.line, bound.diagnostics[0].location.col], [7, 11]);
 * ```
 *
 * @module
 */
import { type Diagnostic, diagnostic, type DiagnosticCode, type Location } from "../core/diagnostic.ts";
import type { LoadedPolicy } from "../config/load.ts";
import {
  COLUMN_RESERVED_KEYS,
  type ColumnRule,
  type ColumnRuleLong,
  type Condition,
  type RuleAlternative,
} from "../config/schema.ts";
import { suggestion } from "../config/diagnostics.ts";
import { describeZodIssues } from "../config/_zod_issues.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo, StrategyDefinition, StrategySpec } from "../strategies/types.ts";

/** A policy rule bound to its strategy: the only shape of a rule past the policy file. */
export interface BoundRule {
  /** The strategy. */
  definition: StrategyDefinition<unknown>;
  /** The params, parsed and defaulted by the definition's schema. */
  params: unknown;
  /** The key domain: `domain:` in the policy, else the strategy's name. */
  domain: string;
  /** True when the policy asks for distinct outputs (`unique: true`). */
  unique: boolean;
  /** Where the rule is in the policy (file, line, col and key path), for every later message. */
  source: Location;
  /**
   * `when:` alternatives before this rule, which is then the default: a row goes to the first whose
   * condition holds on its source values, else to this rule. Absent for a rule without alternatives.
   */
  cases?: readonly BoundCase[];
}

/** One `when:` alternative of a column rule. */
export interface BoundCase {
  /** The condition on the row's source values, as validated by the policy schema. */
  when: Condition;
  /** The strategy for the rows it holds for. */
  rule: BoundRule;
}

/**
 * How reports name a rule: its strategy, or `when: keep | fake.email` for a rule with `when:` alternatives
 * (each alternative's strategy in order, the default last), so a kept alternative is never hidden.
 */
export function ruleName(rule: BoundRule): string {
  if (!rule.cases?.length) return rule.definition.meta.name;
  return `when: ${alternatives(rule).map((r) => r.definition.meta.name).join(" | ")}`;
}

/** The rules a row may be masked by: each `when:` alternative's in order, then the rule itself (the default). */
export function alternatives(rule: BoundRule): BoundRule[] {
  return [...(rule.cases ?? []).map((c) => c.rule), rule];
}

/** True when the rule copies its column unchanged on every row (`keep` without alternatives). */
export function passesThrough(rule: BoundRule): boolean {
  return rule.definition.meta.passThrough === true && (rule.cases?.length ?? 0) === 0;
}

/** The outcome of {@link bindRule}. */
export type Binding = { ok: true; rule: BoundRule } | { ok: false; diagnostics: Diagnostic[] };

/** What {@link bindRule} needs besides the rule. */
export interface BindOptions {
  /** The strategies available (built-ins plus the policy's plugins). */
  registry: StrategyRegistry;
  /** The policy the rule is in, to locate it and to know whether there is a key. */
  src?: Pick<LoadedPolicy, "file" | "locate" | "policy">;
  /** The rule's key path in the policy, e.g. `["tables", "public.t", "columns", "email"]`. */
  path?: (string | number)[];
}

/** A rule's parts as the policy spells them: strategy name, params, and the reserved keys. */
export interface RuleParts {
  strategy: string;
  params: Record<string, unknown>;
  domain?: string;
  unique: boolean;
}

/**
 * Reads a rule's parts without validating them: the short form `fake.email` or the long form
 * `{ strategy, domain?, unique?, ...params }` (also a nested strategy spec).
 */
export function ruleParts(rule: ColumnRule | StrategySpec): RuleParts {
  // Alternatives: the default, the last one, stands for the rule.
  if (Array.isArray(rule)) return ruleParts(rule[rule.length - 1] as ColumnRule);
  if (typeof rule === "string") return { strategy: rule, params: {}, unique: false };
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rule)) {
    if (!(COLUMN_RESERVED_KEYS as readonly string[]).includes(k)) params[k] = v;
  }
  return {
    strategy: rule.strategy,
    params,
    ...(rule.domain !== undefined ? { domain: rule.domain } : {}),
    unique: rule.unique === true,
  };
}

/**
 * Binds one rule: the strategy exists, its params pass its schema, `unique: true` is only asked of a
 * strategy that can honour it, and a keyed strategy has the policy key. Whether it fits a column is
 * {@link checkColumn}'s part, once the catalog is read.
 *
 * @param rule The rule as the policy (or a nesting strategy) spells it.
 * @param options The registry, the policy and the rule's path.
 * @returns The bound rule, or every problem found as diagnostics located in the policy.
 */
export function bindRule(rule: ColumnRule | StrategySpec, options: BindOptions): Binding {
  if (Array.isArray(rule)) return bindAlternatives(rule, options);
  const { registry, src } = options;
  const base = options.path ?? [];
  const long = typeof rule === "object";
  const parts = ruleParts(rule);
  const { strategy } = parts;
  const strategyPath = long ? [...base, "strategy"] : base;
  const found: Diagnostic[] = [];
  const add = (code: DiagnosticCode, path: (string | number)[], message: string, at: "key" | "value") => {
    found.push(diagnostic(code, message, locate(src, path, at)));
  };
  const definition = registry.get(strategy);
  if (!definition) {
    add(
      "STRATEGY_UNKNOWN",
      strategyPath,
      `unknown strategy '${strategy}'${suggestion(strategy, registry.names())}`,
      "value",
    );
    return { ok: false, diagnostics: found };
  }
  const parsed = definition.params.safeParse(parts.params);
  if (!parsed.success) {
    const problems = describeZodIssues(parsed.error.issues, parts.params, definition.params, {
      noun: "param",
      owner: `for strategy '${strategy}'`,
      alsoKnown: COLUMN_RESERVED_KEYS,
    });
    // A short-form rule has no params of its own: point at the strategy name.
    for (const p of problems) {
      add("STRATEGY_PARAMS", long ? [...base, ...p.path] : base, p.message, long ? p.at : "value");
    }
  }
  if (parts.unique && !definition.meta.unique) {
    const message =
      `strategy '${strategy}' cannot guarantee distinct values, so 'unique: true' cannot be honoured`;
    add("STRATEGY_PARAMS", [...base, "unique"], message, "value");
  }
  if (definition.meta.keyed && src !== undefined && src.policy.key === undefined) {
    const message = `strategy '${strategy}' needs the policy key: add 'key: \${PRIVACI_KEY}' to the policy`;
    add("KEY_MISSING", strategyPath, message, "value");
  }
  if (found.length > 0 || !parsed.success) return { ok: false, diagnostics: found };
  return {
    ok: true,
    rule: {
      definition,
      params: parsed.data,
      domain: parts.domain ?? strategy,
      unique: parts.unique,
      source: locate(src, base, "key"),
    },
  };
}

/**
 * Binds a list of `when:` alternatives (the schema checked that every one but the last has a
 * condition): the default with the others as its cases. `unique: true` cannot be promised across them.
 */
function bindAlternatives(list: readonly RuleAlternative[], options: BindOptions): Binding {
  const base = options.path ?? [];
  const found: Diagnostic[] = [];
  const bound = list.map((alt, i) => {
    const { when, ...rest } = typeof alt === "string" ? { when: undefined } : alt;
    const got = bindRule(typeof alt === "string" ? alt : rest as ColumnRuleLong, {
      ...options,
      path: [...base, i],
    });
    if (!got.ok) found.push(...got.diagnostics);
    return { when, got };
  });
  bound.forEach(({ got }, i) => {
    if (got.ok && got.rule.unique) {
      found.push(diagnostic(
        "STRATEGY_PARAMS",
        "'unique: true' cannot be honoured by a rule with when: alternatives: rows of different alternatives may meet",
        locate(options.src, [...base, i, "unique"], "value"),
      ));
    }
  });
  if (found.length > 0) return { ok: false, diagnostics: found };
  const rules = bound.map(({ got }) => (got as { ok: true; rule: BoundRule }).rule);
  const fallback = rules[rules.length - 1];
  return {
    ok: true,
    rule: {
      ...fallback,
      source: locate(options.src, base, "key"),
      cases: bound.slice(0, -1).map(({ when }, i) => ({ when: when!, rule: rules[i] })),
    },
  };
}

/**
 * A diagnostic when the strategy cannot write the column's type, else `undefined`.
 *
 * @param rule A bound rule.
 * @param column The column it is for.
 */
export function checkColumn(rule: BoundRule, column: ColumnInfo): Diagnostic | undefined {
  for (const c of rule.cases ?? []) {
    const misfit = checkColumn(c.rule, column);
    if (misfit) return misfit;
  }
  const types = rule.definition.meta.columnTypes;
  if (!types || types.includes(column.family)) return undefined;
  const name = rule.definition.meta.name;
  return diagnostic(
    "STRATEGY_COLUMN_TYPE",
    `strategy '${name}' cannot write ${column.type} values (it writes ${types.join(", ")})`,
    { ...rule.source, table: `${column.schema}.${column.table}`, column: column.column },
  );
}

/** Every column rule of a policy, bound: by table, then by column. */
export interface BoundPolicy {
  rules: Map<string, Map<string, BoundRule>>;
  /** The rules that could not be bound; empty when every rule can be used. */
  diagnostics: Diagnostic[];
}

/**
 * Binds every column rule of the policy, without a database: what `check` and `run` refuse before they
 * connect (unknown strategies, bad params, a missing key), and the rules the planner then places on
 * the catalog's columns.
 */
export function bindPolicy(
  src: Pick<LoadedPolicy, "file" | "locate" | "policy">,
  registry: StrategyRegistry,
): BoundPolicy {
  const rules = new Map<string, Map<string, BoundRule>>();
  const diagnostics: Diagnostic[] = [];
  for (const [table, tableRule] of Object.entries(src.policy.tables)) {
    const columns = new Map<string, BoundRule>();
    rules.set(table, columns);
    for (const [column, rule] of Object.entries(tableRule.columns)) {
      const bound = bindRule(rule, { registry, src, path: ["tables", table, "columns", column] });
      if (bound.ok) columns.set(column, bound.rule);
      else diagnostics.push(...bound.diagnostics);
    }
  }
  return { rules, diagnostics };
}

/** The position of `path` in the policy, or of its nearest ancestor there. */
function locate(src: BindOptions["src"], path: (string | number)[], at: "key" | "value"): Location {
  if (!src) return { path };
  let pos = src.locate(path, { at });
  for (let up = path.length - 1; !pos && up > 0; up--) pos = src.locate(path.slice(0, up));
  return { file: src.file, ...pos, path };
}
