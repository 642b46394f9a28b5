/**
 * `privaci scan`: reads the catalog and a bounded sample of every table from one snapshot, classifies every
 * column, keeps keys joinable, checks that every proposed rule builds a masker for its column, and writes
 * the result as a policy (new, or merged into an existing one). With an existing policy it also lists the
 * columns the policy keeps whose content looks personal.
 *
 * @module
 */
import { type LoadedPolicy, loadPolicy } from "../config/load.ts";
import { ConfigError } from "../errors.ts";
import { ruleParts } from "../plan/bind.ts";
import { MaskerFactory } from "../plan/maskers.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import { Keyring } from "../strategies/keyed/keyring.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo, StrategySpec } from "../strategies/types.ts";
import { classifyColumn } from "./classify.ts";
import { draftPolicy, mergePolicy, type ScannedColumn, type ScannedTable } from "./draft.ts";
import { applyKeys, columnKey, type KeyedColumn } from "./keys.ts";
import { Sampler } from "./sample.ts";
import { postsSuggestion } from "./user_posts.ts";
import { PROBE_PARAMS } from "./heuristics.ts";

/** Options of {@link scan}. */
export interface ScanOptions {
  /** The source URL; with `policy`, its `source` is used instead. */
  source?: string;
  /** An existing policy: its rules are kept, missing columns added, personal `keep`s flagged. */
  policy?: LoadedPolicy;
  /** Schemas to scan (default: the policy's, else `public`). */
  schemas?: readonly string[];
  /** Rows sampled per table (default 1000). */
  sample?: number;
  /** Time budget per table in milliseconds (default 5000). */
  timeoutMs?: number;
  registry?: StrategyRegistry;
  /** Called after each table. */
  onTable?: (table: ScannedTable, done: number, of: number) => void;
}

/** What {@link scan} found. */
export interface ScanResult {
  tables: ScannedTable[];
  /** Columns the policy keeps whose content looks personal. */
  flagged: { table: string; column: string }[];
  /** The policy: a new draft, or the existing one with additions and flags. */
  yaml: string;
  ms: number;
}

/** Scans the source and drafts (or completes) its policy. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const t0 = performance.now();
  const policy = options.policy?.policy;
  const source = policy?.source ?? options.source;
  if (!source) throw new TypeError("Cannot scan without a source: pass a source URL or a policy");
  const schemas = options.schemas ?? policy?.schemas ?? ["public"];
  const registry = options.registry ?? builtinStrategies();
  const columns = new Map<string, KeyedColumn>();
  const tables: ScannedTable[] = [];
  const byTable = new Map<string, ColumnInfo[]>();
  const sampler = await Sampler.open(source, schemas);
  try {
    const all = [...sampler.catalog.tables.values()];
    const read = (i: number) => {
      if (i >= all.length) return null;
      const p = sampler.sample(all[i], {
        ...(options.sample !== undefined ? { rows: options.sample } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
      p.catch(() => {}); // awaited below; this only keeps a failure seen while classifying from going unhandled
      return p;
    };
    let next = read(0);
    for (const [i, info] of all.entries()) {
      const name = `${info.schema}.${info.table}`;
      // The next table's sample is read while this one is classified.
      const sample = (await next)!;
      next = read(i + 1);
      const rules = policy?.tables[name]?.columns ?? {};
      byTable.set(name, info.columns);
      const scanned: ScannedTable = {
        table: name,
        rows: sample.rows,
        method: sample.method,
        ...(sample.failed ? { failed: sample.failed } : {}),
        columns: [],
      };
      for (const c of info.columns) {
        const values = sample.failed ? null : sample.values.get(c.column) ?? null;
        const finding = classifyColumn(c, values);
        const raw = rules[c.column];
        const existing = raw === undefined
          ? undefined
          : ((r) => ({ strategy: r.strategy, ...r.params, ...(r.unique ? { unique: true } : {}) }))(
            ruleParts(raw),
          );
        columns.set(columnKey(name, c.column), { info: c, finding, ...(existing ? { existing } : {}) });
      }
      tables.push(scanned);
      options.onTable?.(scanned, tables.length, all.length);
    }
    applyKeys(columns, sampler.catalog.foreignKeys, registry);
  } finally {
    await sampler.close();
  }
  const factory = new MaskerFactory(
    registry,
    await Keyring.create(crypto.getRandomValues(new Uint8Array(32))),
  );
  const fitted = new Map<string, string | null>();
  const flagged: ScanResult["flagged"] = [];
  for (const t of tables) {
    for (const info of byTable.get(t.table)!) {
      const c = columns.get(columnKey(t.table, info.column))!;
      const implicitKeep = c.existing === undefined && policy?.unlisted === "keep";
      const kept = c.existing?.strategy === "keep" || implicitKeep;
      if (c.existing === undefined) await fit(factory, c, fitted);
      const col: ScannedColumn = {
        column: c.info.column,
        type: c.info.type,
        kind: c.finding.kind,
        confidence: c.finding.confidence,
        evidence: c.finding.evidence,
        rule: c.existing && c.existing.strategy !== "keep" ? c.existing : c.finding.rule,
        status: c.existing === undefined ? "new" : kept ? "kept" : "ruled",
        flagged: kept && c.finding.kind !== null,
      };
      const suggested = c.existing && !kept ? postsSuggestion(c.existing, c.finding.rule) : null;
      if (suggested) col.suggested = suggested;
      if (col.flagged) flagged.push({ table: t.table, column: col.column });
      t.columns.push(col);
    }
  }
  const yaml = options.policy
    ? mergePolicy(options.policy.text, tables)
    : draftPolicy(tables, { schemas, about: `from a sample of ${tables.length} tables` });
  return { tables, flagged, yaml, ms: performance.now() - t0 };
}

/** Fallbacks, in order, when a proposed rule does not build a masker for its column. */
const FALLBACKS: readonly StrategySpec[] = [{ strategy: "hash" }, { strategy: "redact" }, {
  strategy: "null",
}];

/**
 * Makes sure `c`'s rule builds a masker for its column; otherwise the first fallback that does, with the
 * reason in the evidence. Results are cached by rule and column shape.
 */
async function fit(factory: MaskerFactory, c: KeyedColumn, cache: Map<string, string | null>): Promise<void> {
  if (c.finding.rule.strategy === "keep") return;
  const unique = c.finding.rule.unique === true;
  const candidates = [c.finding.rule, ...FALLBACKS.map((f) => (unique ? { ...f, unique: true } : f))];
  let first: string | null = null;
  for (const rule of candidates) {
    const problem = await problemOf(factory, rule, c.info, cache);
    if (problem === null) {
      if (rule !== c.finding.rule) {
        c.finding.evidence.push(
          `'${c.finding.rule.strategy}' does not fit (${first}): ${rule.strategy} instead`,
        );
        c.finding.rule = rule;
      }
      return;
    }
    first ??= problem;
  }
  c.finding.evidence.push(`no strategy fits (${first}); review this rule`);
}

async function problemOf(
  factory: MaskerFactory,
  rule: StrategySpec,
  column: ColumnInfo,
  cache: Map<string, string | null>,
): Promise<string | null> {
  const key = JSON.stringify([rule, column.type, column.family, column.notNull, column.maxLength]);
  if (cache.has(key)) return cache.get(key)!;
  let problem: string | null = null;
  try {
    const masker = await factory.create({ ...rule, ...PROBE_PARAMS[rule.strategy] }, column);
    await masker.close?.();
  } catch (e) {
    problem = (e as Error).message;
  }
  cache.set(key, problem);
  return problem;
}

/** What stands in for a variable a scan does not need (the target URL, the key): a valid URL ≥ 32 bytes. */
const STAND_IN = "postgres://privaci-scan.invalid/variable-not-set";

/**
 * Loads a policy for scanning: like `loadPolicy`, but a variable that is not set is only an error when the
 * source needs it, since a scan reads the source alone.
 */
export async function loadScanPolicy(file: string): Promise<LoadedPolicy> {
  const missing = new Set<string>();
  const loaded = await loadPolicy(file, {
    env: (name) => {
      const v = Deno.env.get(name);
      if (v !== undefined && v !== "") return v;
      missing.add(name);
      return STAND_IN;
    },
  });
  if (loaded.policy.source.includes(STAND_IN)) {
    throw new ConfigError(
      "CONFIG_VARIABLE_MISSING",
      `Cannot scan as the policy's source needs a variable that is not set: ${[...missing].join(", ")}`,
      [],
      {
        hint: "set PRIVACI_SOURCE_URL, or the variable the policy's 'source:' names",
      },
    );
  }
  return loaded;
}
