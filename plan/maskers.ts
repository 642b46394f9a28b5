/**
 * Turns bound rules into running maskers: gives each column the subkey of its domain, and reports a rule
 * that does not fit its column (a strategy's own check, e.g. NULL into NOT NULL) as a diagnostic located
 * in the policy.
 *
 * @module
 */
import { type Diagnostic, diagnostic, type Location } from "../core/diagnostic.ts";
import { configErrorOf } from "../errors.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo, ColumnMasker, StrategyDefinition, StrategySpec } from "../strategies/types.ts";
import { bindRule, type BoundRule, checkColumn } from "./bind.ts";
import type { TablePlan } from "./plan.ts";
import { rowReferenceIssues } from "./row_refs.ts";
import { compileCondition, type MaskerCase, switchMasker } from "./when.ts";
import type { Condition } from "../config/schema.ts";

/**
 * A bound rule as it crosses to a masking worker: the strategy by name (the worker holds the same
 * built-in definitions) and the params already parsed on the main thread, so the worker does not
 * validate them again.
 */
export interface WireRule {
  strategy: string;
  params: unknown;
  domain: string;
  unique: boolean;
  /** `when:` alternatives before this rule (the default), as {@link BoundRule.cases}. */
  cases?: { when: Condition; rule: WireRule }[];
}

/** How a worker rebuilds a column's masker: the rule, and what building it used on the main thread. */
export interface MaskerRecipe {
  /** The bound rule, as it crosses to the worker. */
  rule: WireRule;
  /** Every strategy the build used, nested ones included (main thread only, never sent). */
  strategies: readonly StrategyDefinition<unknown>[];
  /** The subkeys the build derived, by purpose (the master key never leaves the main thread). */
  keys: ReadonlyMap<string, Uint8Array>;
}

/** One column of the COPY column list and what to do with it. */
export interface MaskedColumn {
  column: ColumnInfo;
  /** Strategy name, for errors and the report. */
  strategy: string;
  /** `null` for `keep`: the raw bytes pass through. */
  masker: ColumnMasker | null;
  /** How a masking worker builds the same masker; absent when the masker was not built from a rule. */
  recipe?: MaskerRecipe;
  /** Where the rule is in the policy (`file:line:col`), for errors; absent when not from a policy. */
  where?: string;
}

/** Where subkeys come from: the run's `Keyring`, or in a masking worker the subkeys it was given. */
export interface KeySource {
  /** The subkey for `purpose`, e.g. `domain:person_email`. */
  derive(purpose: string): Promise<Uint8Array>;
}

/** What one build used: every strategy (nested ones too) and every subkey. */
interface Trace {
  strategies: StrategyDefinition<unknown>[];
  keys: Map<string, Uint8Array>;
}

/** The {@link WireRule} of a bound rule. */
export function wireRule(rule: BoundRule): WireRule {
  return {
    strategy: rule.definition.meta.name,
    params: rule.params,
    domain: rule.domain,
    unique: rule.unique,
    ...(rule.cases?.length
      ? { cases: rule.cases.map((c) => ({ when: c.when, rule: wireRule(c.rule) })) }
      : {}),
  };
}

/** Builds maskers from bound rules; one per run (and one per masking worker). */
export class MaskerFactory {
  #registry: StrategyRegistry;
  #keyring: KeySource | null;

  constructor(registry: StrategyRegistry, keyring: KeySource | null) {
    this.#registry = registry;
    this.#keyring = keyring;
  }

  /**
   * The masker for a rule as a policy or a nesting strategy spells it, on one column: the rule is bound
   * first. Throws a plain Error with a user-facing message on failure.
   */
  create(spec: StrategySpec, column: ColumnInfo): Promise<ColumnMasker> {
    return this.#create(spec, column, 0, null);
  }

  /**
   * The masker for a bound rule on its column, with the recipe a worker needs to build the same masker:
   * the rule, the strategies used and the subkeys derived.
   */
  async build(rule: BoundRule, column: ColumnInfo): Promise<{ masker: ColumnMasker; recipe: MaskerRecipe }> {
    const trace: Trace = { strategies: [], keys: new Map() };
    const masker = await this.#withCases(
      rule,
      (r) => this.#instantiate(r.definition, r.params, r, column, 0, trace),
    );
    return { masker, recipe: { rule: wireRule(rule), strategies: trace.strategies, keys: trace.keys } };
  }

  /** The masker of a rule and of its `when:` alternatives, if it has any. */
  async #withCases<R extends { cases?: readonly { when: Condition; rule: R }[] }>(
    rule: R,
    make: (rule: R) => Promise<ColumnMasker>,
  ): Promise<ColumnMasker> {
    if (!rule.cases?.length) return await make(rule);
    const cases: MaskerCase[] = [];
    try {
      for (const c of rule.cases) cases.push({ when: compileCondition(c.when), masker: await make(c.rule) });
      return switchMasker(cases, await make(rule));
    } catch (e) {
      for (const c of cases) await c.masker.close?.();
      throw e;
    }
  }

  /**
   * The masker a worker builds from a {@link WireRule}: the definition of that name in this factory's
   * registry, with the params as the main thread parsed them.
   */
  rebuild(rule: WireRule, column: ColumnInfo): Promise<ColumnMasker> {
    return this.#withCases(rule, (r) => {
      const definition = this.#registry.get(r.strategy);
      if (!definition) return Promise.reject(new Error(`unknown strategy '${r.strategy}'`));
      return this.#instantiate(definition, r.params, r, column, 0, null);
    });
  }

  #create(spec: StrategySpec, column: ColumnInfo, depth: number, trace: Trace | null): Promise<ColumnMasker> {
    if (depth > 8) {
      return Promise.reject(new Error(`strategy '${spec.strategy}' nests other strategies too deeply`));
    }
    const bound = bindRule(spec, { registry: this.#registry });
    if (!bound.ok) return Promise.reject(new Error(bound.diagnostics.map((d) => d.message).join("; ")));
    const misfit = checkColumn(bound.rule, column);
    if (misfit) return Promise.reject(new Error(misfit.message));
    return this.#instantiate(bound.rule.definition, bound.rule.params, bound.rule, column, depth, trace);
  }

  async #instantiate(
    def: StrategyDefinition<unknown>,
    params: unknown,
    rule: { domain: string; unique: boolean },
    column: ColumnInfo,
    depth: number,
    trace: Trace | null,
  ): Promise<ColumnMasker> {
    const purpose = `domain:${rule.domain}`;
    const key = def.meta.keyed && this.#keyring ? await this.#keyring.derive(purpose) : null;
    if (def.meta.keyed && key === null) {
      throw new Error(
        `strategy '${def.meta.name}' needs the policy key: set 'key:' (e.g. key: \${PRIVACI_KEY})`,
      );
    }
    trace?.strategies.push(def);
    if (trace && key !== null) trace.keys.set(purpose, key);
    return await def.create({
      params,
      column,
      key,
      domain: rule.domain,
      unique: rule.unique,
      resolve: (spec, col) => this.#create(spec, { ...column, ...col }, depth + 1, trace),
      knows: (name) => this.#registry.get(name) !== undefined,
    });
  }
}

/** Maskers for one table's COPY column list, plus errors for the rules that do not fit their column. */
export async function tableMaskers(
  plan: TablePlan,
  factory: MaskerFactory,
): Promise<{ columns: MaskedColumn[]; issues: Diagnostic[] }> {
  const issues: Diagnostic[] = [];
  const columns: MaskedColumn[] = [];
  for (const c of plan.columns) {
    if (c.rule === null) {
      columns.push({ column: c.info, strategy: "keep", masker: null });
      continue;
    }
    try {
      const { masker, recipe } = await factory.build(c.rule, c.info);
      const where = policyPlace(c.rule.source);
      columns.push({
        column: c.info,
        strategy: c.rule.definition.meta.name,
        masker,
        recipe,
        ...(where ? { where } : {}),
      });
    } catch (e) {
      const message = `${plan.name}.${c.info.column}: ${(e as Error).message}`;
      const hint = (e as { hint?: string }).hint;
      issues.push(diagnostic("STRATEGY_PARAMS", hint ? `${message} (${hint})` : message, {
        ...c.rule.source,
        table: plan.name,
        column: c.info.column,
      }));
    }
  }
  if (issues.length === 0) {
    issues.push(...rowReferenceIssues(
      plan.name,
      plan.columns.map((c, i) => ({
        name: c.info.column,
        reads: columns[i].masker?.reads,
        readsMasked: columns[i].masker?.readsMasked,
        source: c.rule?.source,
      })),
    ));
  }
  if (issues.length > 0) await closeMaskers(columns);
  return { columns, issues };
}

/** `file:line:col` of a rule in the policy, or `undefined` when it has no file position. */
function policyPlace(source: Location): string | undefined {
  if (source.file === undefined || source.line === undefined) return undefined;
  return `${source.file}:${source.line}${source.col === undefined ? "" : `:${source.col}`}`;
}

/** Closes every masker of a table. */
export async function closeMaskers(columns: readonly MaskedColumn[]): Promise<void> {
  for (const c of columns) await c.masker?.close?.();
}

/** Throws a `ConfigError` (see `configErrorOf`) when any diagnostic is an error. */
export function throwIfIssues(diagnostics: Diagnostic[], what: string): void {
  if (!diagnostics.some((d) => d.severity === "error")) return;
  throw configErrorOf(what, diagnostics.filter((d) => d.severity === "error"));
}
