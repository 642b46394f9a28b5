/**
 * Turns planned column rules into running maskers: validates params with the strategy's schema, gives
 * each column the subkey of its domain, and reports a rule that does not fit its column as a
 * diagnostic located in the policy.
 *
 * @module
 */
import { type Diagnostic, diagnostic } from "../core/diagnostic.ts";
import { configErrorOf } from "../errors.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo, ColumnMasker, StrategyDefinition, StrategySpec } from "../strategies/types.ts";
import { didYouMean as closest } from "../config/diagnostics.ts";
import type { ColumnRuleSpec, PolicySource, TablePlan } from "./plan.ts";
import type { MaskedColumn } from "./mask_stream.ts";
import type { MaskerRecipe } from "./_mask_protocol.ts";

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

/** Builds maskers for strategies; one per run. */
export class MaskerFactory {
  #registry: StrategyRegistry;
  #keyring: KeySource | null;

  constructor(registry: StrategyRegistry, keyring: KeySource | null) {
    this.#registry = registry;
    this.#keyring = keyring;
  }

  /** The masker for one rule on one column. Throws a plain Error with a user-facing message on failure. */
  create(rule: StrategySpec, column: ColumnInfo, depth = 0): Promise<ColumnMasker> {
    return this.#create(rule, column, depth, null);
  }

  /**
   * The masker for one rule on one column, with the recipe a worker needs to build the same masker:
   * the rule, the strategies used and the subkeys derived.
   */
  async build(
    rule: StrategySpec,
    column: ColumnInfo,
  ): Promise<{ masker: ColumnMasker; recipe: MaskerRecipe }> {
    const trace: Trace = { strategies: [], keys: new Map() };
    const masker = await this.#create(rule, column, 0, trace);
    return { masker, recipe: { spec: rule, strategies: trace.strategies, keys: trace.keys } };
  }

  async #create(
    rule: StrategySpec,
    column: ColumnInfo,
    depth: number,
    trace: Trace | null,
  ): Promise<ColumnMasker> {
    if (depth > 8) throw new Error(`strategy '${rule.strategy}' nests other strategies too deeply`);
    const def = this.#registry.get(rule.strategy);
    if (!def) {
      const near = closest(rule.strategy, this.#registry.names());
      throw new Error(`unknown strategy '${rule.strategy}'${near ? ` — did you mean '${near}'?` : ""}`);
    }
    const { strategy: _s, domain: _d, unique: _u, ...raw } = rule;
    const parsed = def.params.safeParse(raw);
    if (!parsed.success) {
      const what = parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
      throw new Error(`invalid params for '${rule.strategy}': ${what}`);
    }
    const unique = rule.unique ?? false;
    if (unique && !def.meta.unique) {
      throw new Error(
        `strategy '${rule.strategy}' cannot guarantee unique outputs, so 'unique: true' is refused`,
      );
    }
    if (def.meta.columnTypes && !def.meta.columnTypes.includes(column.family)) {
      throw new Error(
        `strategy '${rule.strategy}' cannot write ${column.type} values (it writes ${
          def.meta.columnTypes.join(", ")
        })`,
      );
    }
    const domain = rule.domain ?? rule.strategy;
    const purpose = `domain:${domain}`;
    const key = def.meta.keyed && this.#keyring ? await this.#keyring.derive(purpose) : null;
    if (def.meta.keyed && key === null) {
      throw new Error(
        `strategy '${rule.strategy}' needs the policy key: set 'key:' (e.g. key: \${PRIVACI_KEY})`,
      );
    }
    trace?.strategies.push(def);
    if (trace && key !== null) trace.keys.set(purpose, key);
    return await def.create({
      params: parsed.data,
      column,
      key,
      domain,
      unique,
      resolve: (spec, col) => this.#create(spec, { ...column, ...col }, depth + 1, trace),
    });
  }
}

/** Maskers for one table's COPY column list, plus issues for the rules that do not fit. */
export async function tableMaskers(
  plan: TablePlan,
  factory: MaskerFactory,
  src: PolicySource,
): Promise<{ columns: MaskedColumn[]; issues: Diagnostic[] }> {
  const issues: Diagnostic[] = [];
  const columns: MaskedColumn[] = [];
  for (const c of plan.columns) {
    if (c.rule === null) {
      columns.push({ column: c.info, strategy: "keep", masker: null });
      continue;
    }
    try {
      const { masker, recipe } = await factory.build(toSpec(c.rule), c.info);
      columns.push({ column: c.info, strategy: c.rule.strategy, masker, recipe });
    } catch (e) {
      const message = `${plan.name}.${c.info.column}: ${(e as Error).message}`;
      const hint = (e as { hint?: string }).hint;
      issues.push(diagnostic("STRATEGY_PARAMS", hint ? `${message} (${hint})` : message, {
        file: src.file,
        ...src.locate(c.rule.path),
        path: c.rule.path,
        table: plan.name,
        column: c.info.column,
      }));
    }
  }
  if (issues.length > 0) await closeMaskers(columns);
  return { columns, issues };
}

/** Closes every masker of a table. */
export async function closeMaskers(columns: readonly MaskedColumn[]): Promise<void> {
  for (const c of columns) await c.masker?.close?.();
}

function toSpec(rule: ColumnRuleSpec): StrategySpec {
  return { strategy: rule.strategy, domain: rule.domain, unique: rule.unique, ...rule.params };
}

/** Throws a `ConfigError` (see `configErrorOf`) when any diagnostic is an error. */
export function throwIfIssues(diagnostics: Diagnostic[], what: string): void {
  if (!diagnostics.some((d) => d.severity === "error")) return;
  throw configErrorOf(what, diagnostics.filter((d) => d.severity === "error"));
}
