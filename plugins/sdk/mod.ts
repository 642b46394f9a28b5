/**
 * The plugin SDK: what a plugin author imports to declare masking strategies for PrivaCI.
 *
 * A plugin is one ES module whose default export is the value {@link definePlugin} returns. It runs in a
 * sandbox with no permissions at all: no files, no network, no environment, no processes. Strategies work
 * on batches of COPY text values and get everything they need as arguments, never through `this`.
 *
 * This module has no imports, so bundling a plugin inlines it without pulling anything else in.
 *
 * @example Declaring a plugin
 * ```ts
 * import { definePlugin } from "@privaci/cli/plugin";
 *
 * export default definePlugin({
 *   name: "@acme/codes",
 *   version: "1.0.0",
 *   apiVersion: 1,
 *   privaci: "^0.1",
 *   strategies: {
 *     upper: {
 *       description: "Writes the value in upper case",
 *       deterministic: true,
 *       mask: (values) => values.map((v) => v === null ? null : v.toUpperCase()),
 *     },
 *   },
 * });
 * ```
 *
 * @module
 */

/** The plugin API version this SDK speaks; the host refuses any other. */
export const PLUGIN_API_VERSION = 1;

/** One value as PostgreSQL's COPY text format spells it once unescaped; `null` is SQL NULL. */
export type Cell = string | null;

/** A JSON Schema object describing a strategy's params. */
export type JsonSchema = { [key: string]: unknown };

/** The column a strategy instance writes, as the host describes it. */
export interface PluginColumn {
  /** The schema name. */
  schema: string;
  /** The table name. */
  table: string;
  /** The column name. */
  column: string;
  /** `format_type()` of the column, e.g. `character varying(40)`. */
  type: string;
  /** Broad type family, e.g. `string`, `integer`. */
  family: string;
  /** Maximum length for `varchar(n)`/`char(n)`, else `null`. */
  maxLength: number | null;
  /** True when the column is `NOT NULL`. */
  notNull: boolean;
  /** True when a unique index or constraint covers the column alone. */
  unique: boolean;
}

/** What `init` gets once per column. */
export interface InitContext<P> {
  /** Params from the policy, already validated against the strategy's JSON schema and defaulted. */
  params: P;
  /** The column this instance writes. */
  column: PluginColumn;
  /**
   * A 32-byte key derived for this plugin and the column's domain, or `null` when the policy has no key.
   * The policy's master key never reaches a plugin.
   */
  key: Uint8Array | null;
  /** The column's domain (`domain:` in the policy, else the strategy name). */
  domain: string;
  /** True when the policy asks for distinct outputs for distinct inputs. */
  unique: boolean;
}

/** What `mask` gets with every batch. */
export interface MaskContext<P, S> extends InitContext<P> {
  /** The table being copied. */
  table: { schema: string; table: string };
  /** 1-based ordinal of the batch's first row in the table's stream. */
  firstRow: number;
  /** What `init` returned for this column (`undefined` without `init`). */
  state: S;
}

/** A documented use of a strategy. */
export interface PluginExample {
  /** Params of the rule, as written in the policy. */
  params?: Record<string, unknown>;
  /** The input value (COPY text, or `null`). */
  input: Cell;
  /** The exact output when it does not depend on the key. */
  output?: Cell;
  /** What the output looks like when it depends on the key. */
  note?: string;
}

/** One strategy of a plugin: its metadata and its batch function. */
export interface PluginStrategy<P = Record<string, unknown>, S = unknown> {
  /** One sentence: what the strategy writes. */
  description: string;
  /** JSON Schema of the params; absent means no params. */
  params?: JsonSchema;
  /** Type families it writes valid values for (`string`, `integer`, …); absent means any. */
  columnTypes?: readonly string[];
  /** Same key, input and params always give the same output. */
  deterministic: boolean;
  /** Can guarantee distinct outputs for distinct inputs. */
  unique?: boolean;
  /** Needs the policy key (defaults to `deterministic`). */
  keyed?: boolean;
  /** Documented uses of the strategy: params, input and output. */
  examples?: readonly PluginExample[];
  /** Runs once per column before any batch; its result is `ctx.state` in every batch. */
  init?(ctx: InitContext<P>): S | Promise<S>;
  /** Masks a batch: must return exactly `values.length` values, each a string or `null`. */
  mask(values: readonly Cell[], ctx: MaskContext<P, S>): Cell[] | Promise<Cell[]>;
}

/** What a plugin declares. */
export interface PluginDefinition {
  /** `@scope/name`. */
  name: string;
  /** The plugin's semver version. */
  version: string;
  /** The plugin API version, {@link PLUGIN_API_VERSION}. */
  apiVersion: number;
  /** Semver range of PrivaCI versions the plugin supports, e.g. `^0.1`. */
  privaci: string;
  /** The strategies, by name; the policy names them `<plugin or alias>/<name>`. */
  // deno-lint-ignore no-explicit-any
  strategies: Record<string, PluginStrategy<any, any>>;
}

/** The checked, frozen plugin value a plugin module exports as default. */
export interface PluginModule extends Readonly<PluginDefinition> {
  /** Marks a value made by {@link definePlugin}. */
  readonly kind: "privaci.plugin";
}

/** What a plugin name looks like: `@scope/name`, lower case. The host's manifest check uses the same. */
export const PLUGIN_NAME_PATTERN: RegExp = /^@[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/;
/** What a strategy name looks like: lower case letters, digits, `_`, `.`, `-`. */
export const STRATEGY_NAME_PATTERN: RegExp = /^[a-z][a-z0-9_.-]*$/;
const NAME = PLUGIN_NAME_PATTERN;
const STRATEGY = STRATEGY_NAME_PATTERN;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Checks and freezes a plugin definition; a plugin module exports the result as its default export.
 *
 * @param def The plugin's name, version, API version, supported PrivaCI range and strategies.
 * @returns The frozen plugin value.
 * @throws {TypeError} when a name, version or strategy is malformed.
 */
export function definePlugin(def: PluginDefinition): PluginModule {
  if (!NAME.test(def.name)) {
    throw new TypeError(`Cannot define plugin as its name is not @scope/name: "${def.name}"`);
  }
  if (!SEMVER.test(def.version)) {
    throw new TypeError(`Cannot define plugin as its version is not semver: "${def.version}"`);
  }
  if (!Number.isInteger(def.apiVersion)) {
    throw new TypeError(`Cannot define plugin as apiVersion is not an integer: ${def.apiVersion}`);
  }
  const names = Object.keys(def.strategies);
  if (names.length === 0) throw new TypeError("Cannot define plugin as it has no strategies");
  for (const name of names) {
    const s = def.strategies[name];
    if (!STRATEGY.test(name)) {
      throw new TypeError(`Cannot define plugin as a strategy name is invalid: "${name}"`);
    }
    if (typeof s.mask !== "function") {
      throw new TypeError(`Cannot define plugin as strategy "${name}" has no mask function`);
    }
    if (typeof s.description !== "string" || s.description === "") {
      throw new TypeError(`Cannot define plugin as strategy "${name}" has no description`);
    }
  }
  return Object.freeze({ ...def, strategies: Object.freeze({ ...def.strategies }), kind: "privaci.plugin" });
}

/** The data-only description of a plugin (no functions), as its signed manifest records it. */
export function describePlugin(plugin: PluginModule): {
  name: string;
  version: string;
  apiVersion: number;
  privaci: string;
  strategies: Record<string, unknown>[];
} {
  return {
    name: plugin.name,
    version: plugin.version,
    apiVersion: plugin.apiVersion,
    privaci: plugin.privaci,
    strategies: Object.entries(plugin.strategies).map(([name, s]) => ({
      name,
      description: s.description,
      params: s.params ?? { type: "object", properties: {}, additionalProperties: false },
      ...(s.columnTypes ? { columnTypes: [...s.columnTypes] } : {}),
      deterministic: s.deterministic,
      unique: s.unique ?? false,
      keyed: s.keyed ?? s.deterministic,
      ...(s.examples ? { examples: s.examples.map((e) => ({ ...e })) } : {}),
    })),
  };
}
