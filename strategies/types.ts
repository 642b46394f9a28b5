/**
 * The strategy interface shared by built-in strategies and plugins.
 *
 * A strategy is declared data ({@link StrategyMeta}) plus a params schema and a factory that, once per
 * column, returns a {@link ColumnMasker}. Maskers work on batches of COPY text values ({@link Cell}):
 * the same number of values comes out as goes in, so no promise per value is ever needed.
 *
 * @module
 */
import type { z } from "zod";

export type { Cell, ColumnInfo, TableRef, TypeFamily } from "../core/column.ts";
export { TYPE_FAMILIES } from "../core/column.ts";
import type { Cell, ColumnInfo, TableRef, TypeFamily } from "../core/column.ts";

/**
 * Which source values a strategy's outputs may equal, as `privaci verify` reads it: `nothing` (any equality
 * is a leak), `placeholder` (one fixed value or NULL, which the source may hold too), `pool` (realistic
 * values that collide with real ones by chance), `coarse` (a generalisation that often equals real values)
 * and `input` (parts or all of the input may pass through unchanged).
 */
export const REPRODUCTIONS = ["nothing", "placeholder", "pool", "coarse", "input"] as const;

/** What a strategy may reproduce, see {@link REPRODUCTIONS}. */
export type Reproduction = (typeof REPRODUCTIONS)[number];

/** Static description of a strategy, the same for built-ins and plugins. */
export interface StrategyMeta {
  /** Name used in the policy, e.g. `fake.email` or `@acme/nhs/nhs_number`. */
  name: string;
  /** One sentence: what the strategy writes. */
  description: string;
  /** Paragraphs (Markdown) docs/strategies.md gives after the facts: guarantees, limits, when to use it. */
  details?: string;
  /** Type families it can write valid values for; absent means any. */
  columnTypes?: readonly TypeFamily[];
  /** Same key, input and params always give the same output. */
  deterministic: boolean;
  /** Which source values its outputs may equal (`verify` reports those apart); absent means `nothing`. */
  reproduces?: Reproduction;
  /** Can guarantee distinct outputs for distinct inputs when the policy asks `unique: true`. */
  unique: boolean;
  /**
   * Set when its distinct outputs under `unique: true` are likely rather than certain (each process checks
   * the values it writes, the run's finish checks the target's column): what to change when two collide.
   */
  collisionHint?: string;
  /** Needs the policy key. */
  keyed: boolean;
  /** Documentation examples; deterministic ones double as conformance tests. */
  examples?: readonly StrategyExample[];
  /** When `check` and `scan` should suggest this strategy for a column the policy leaves out. */
  suggest?: readonly StrategySuggestion[];
  /**
   * Runs worker threads of its own: a masking worker never rebuilds it (its columns are masked where the
   * table is read).
   */
  ownWorkers?: boolean;
  /** Writes the input unchanged (`keep`): the planner plans such a column as kept, with no masker. */
  passThrough?: boolean;
}

/** One kind of column a strategy is the natural suggestion for. */
export interface StrategySuggestion {
  /** A case-insensitive regular expression (JavaScript syntax) the column's name must match; absent: any. */
  columnName?: string;
  /** The column's type family must be one of these. */
  families: readonly TypeFamily[];
  /** Lower wins when several strategies fit a column. */
  rank: number;
}

/** One documented use of a strategy. */
export interface StrategyExample {
  /** Params of the rule, as written in the policy. */
  params?: Record<string, unknown>;
  /** The input value (COPY text, or `null`). */
  input: Cell;
  /** The exact output when it does not depend on the key, else omitted. */
  output?: Cell;
  /** What the example shows. */
  note?: string;
}

/** What a strategy gets once per column, before any value. */
export interface StrategyInit<P> {
  /** Params from the policy, already validated by the definition's schema. */
  params: P;
  /** The target column. */
  column: ColumnInfo;
  /**
   * A 32-byte subkey derived from the policy key for this strategy's domain (see `keyring.ts`), or
   * `null` when the policy has no key. The master key itself never reaches a strategy.
   */
  key: Uint8Array | null;
  /** The domain this column's values belong to (`domain:` in the policy, else the strategy name). */
  domain: string;
  /** True when the policy asks for distinct outputs for distinct inputs. */
  unique: boolean;
  /** Builds another strategy's masker for the same column (for `template`, `json`, arrays). */
  resolve(spec: StrategySpec, column?: Partial<ColumnInfo>): Promise<ColumnMasker>;
  /** True when `name` is a strategy `resolve` can build (absent: every name is taken for one). */
  knows?(name: string): boolean;
}

/** A strategy reference with its params, as the policy spells it in long form. */
export interface StrategySpec {
  /** The strategy's name, e.g. `fake.email`. */
  strategy: string;
  /** Values with the same domain mask the same way (joins across tables keep working). */
  domain?: string;
  /** Distinct inputs must give distinct outputs. */
  unique?: boolean;
  /** The strategy's own params. */
  [param: string]: unknown;
}

/** The values of one batch, by column, as they came from the source. */
export interface BatchContext {
  /** The table being copied. */
  table: TableRef;
  /** 1-based ordinal of the batch's first row in the table's stream. */
  firstRow: number;
  /** The source values of another column in this batch (for `date.shift by:` and row-aware scrubbing). */
  column(name: string): readonly Cell[];
  /**
   * The values another column of this batch is written with (masked, or the source values of a kept
   * column), for rules built from the row's masked values. Only columns the masker lists in
   * {@link ColumnMasker.readsMasked} are ready. Absent outside a table's masking (a single value).
   */
  masked?(name: string): readonly Cell[];
}

/** The per-column runtime of a strategy. */
export interface ColumnMasker {
  /** Masks a batch: returns exactly `values.length` values. Synchronous when it can be. */
  mask(values: readonly Cell[], batch: BatchContext): Cell[] | Promise<Cell[]>;
  /** Other columns of the same row this masker reads through {@link BatchContext.column}. */
  readonly reads?: readonly string[];
  /** Other columns whose masked values it reads through {@link BatchContext.masked}: they are masked first. */
  readonly readsMasked?: readonly string[];
  /**
   * True when the masker must see every value of its column (it checks them against each other, e.g.
   * for collisions): the column's table is then masked by this masker, never split across workers.
   */
  readonly wholeColumn?: boolean;
  /** Releases resources (workers, caches) when the table is done. */
  close?(): void | Promise<void>;
}

/** A strategy: meta, a params schema and a factory. Add it to a {@link StrategyRegistry}. */
export interface StrategyDefinition<P = Record<string, unknown>> {
  /** What the strategy is and does: name, description, column types, examples. */
  meta: StrategyMeta;
  /** Validates and defaults the params a policy gives. */
  params: z.ZodType<P>;
  /** Builds the masker for one column. Throw `StrategyParamsError` for a param that does not fit the column. */
  create(init: StrategyInit<P>): ColumnMasker | Promise<ColumnMasker>;
}
