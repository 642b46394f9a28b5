/**
 * The part `check`, `dryRun` and `run` share once connected: read the source catalog (inside the run's
 * snapshot when there is one), place the bound rules on its columns, and build every masker, so a policy
 * problem stops the run before any row moves.
 *
 * @module
 */
import type postgres from "postgres";
import type { Diagnostic } from "../core/diagnostic.ts";
import type { ColumnMasker } from "../strategies/types.ts";
import { LARGE_OBJECT_COLUMN } from "../pg/large_objects.ts";
import type { Catalog } from "../pg/introspect.ts";
import { introspect } from "../pg/introspect.ts";
import type { Keyring } from "../strategies/keyed/keyring.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { BoundPolicy } from "./bind.ts";
import { closeMaskers, type MaskedColumn, MaskerFactory, tableMaskers } from "./maskers.ts";
import type { Plan, PolicySource, TablePlan } from "./plan.ts";
import { planTables } from "./plan.ts";
import { bindRule, checkColumn } from "./bind.ts";
import { suggestStrategy } from "./suggest.ts";
import { foreignKeyIssues, uniquenessWarnings } from "./consistency.ts";
import { planSubset, type SubsetFilter, type SubsetPlan, type SubsetRows } from "../subset/plan.ts";

/** A planned run with its maskers built. */
export interface Prepared {
  catalog: Catalog;
  plan: Plan;
  /** Maskers of each copied table, by `schema.table`. */
  maskers: Map<string, MaskedColumn[]>;
  /** Every finding: rules that cannot be bound or do not fit their column, catalog mismatches, warnings. */
  diagnostics: Diagnostic[];
  /** The copied (not skipped) tables. */
  copied: TablePlan[];
  /** Each table's part of the policy's `subset:` (its filter is the table plan's `where`); empty without one. */
  subset: SubsetFilter[];
  /** The query of every filtered table's kept rows (the closure, computed once); `null` without a subset. */
  subsetRows: SubsetRows | null;
  /** A fingerprint of the policy key (not the key), or "no-key". */
  keyFingerprint: string;
  /** What happens to large objects: none copied, copied as they are, or their bytes masked. */
  largeObjects: "skip" | "keep" | ColumnMasker;
  /** Closes every masker. */
  close(): Promise<void>;
}

/** What {@link prepare} builds from. */
export interface PrepareOptions {
  /** The strategies available. */
  registry: StrategyRegistry;
  /** The policy's rules, bound once. */
  bound: BoundPolicy;
  /** The policy's one keyring, or `null` without a key. */
  keyring: Keyring | null;
}

/** Reads the catalog, plans, and builds maskers. */
export async function prepare(
  src: PolicySource,
  source: postgres.Sql,
  options: PrepareOptions,
): Promise<Prepared> {
  const { registry, bound, keyring } = options;
  const catalog = await introspect(source, src.policy.schemas);
  const plan = planTables(src, catalog, bound, (c) => suggestStrategy(c, registry));
  const subset = await applySubset(src, source, { catalog, plan, keyring });
  const factory = new MaskerFactory(registry, keyring);
  const maskers = new Map<string, MaskedColumn[]>();
  const diagnostics = [
    ...bound.diagnostics,
    ...plan.diagnostics,
    ...foreignKeyIssues(src, plan.tables, catalog.foreignKeys),
    ...uniquenessWarnings(plan.tables),
    ...subset.diagnostics,
  ];
  const copied = plan.tables.filter((t) => t.rows === "copy");
  // A rule that could not be bound is planned as kept, with its error in `diagnostics`: callers refuse
  // to copy anything while there is an error, so it never reads as `keep`.
  for (const t of copied) {
    const built = await tableMaskers(t, factory);
    diagnostics.push(...built.issues);
    if (built.issues.length === 0) maskers.set(t.name, built.columns);
  }
  let largeObjects: Prepared["largeObjects"] = "skip";
  const lo = src.policy.large_objects;
  if (lo === "keep" || (lo === undefined && src.policy.unlisted === "keep")) largeObjects = "keep";
  else if (lo !== undefined && lo !== "skip") {
    // The same binding as a column rule, on a bytea column standing for each object's bytes.
    const binding = bindRule(lo, { registry, src, path: ["large_objects"] });
    const misfit = binding.ok ? checkColumn(binding.rule, LARGE_OBJECT_COLUMN) : undefined;
    if (!binding.ok) diagnostics.push(...binding.diagnostics);
    else if (misfit) diagnostics.push(misfit);
    else largeObjects = (await factory.build(binding.rule, LARGE_OBJECT_COLUMN)).masker;
  }
  const keyFingerprint = keyring
    ? [...await keyring.derive("state:fingerprint")].map((b) => b.toString(16).padStart(2, "0")).join("")
    : "no-key";
  return {
    keyFingerprint,
    subset: subset.filters,
    subsetRows: subset.rows,
    catalog,
    plan,
    maskers,
    diagnostics,
    copied,
    largeObjects,
    async close() {
      for (const cols of maskers.values()) await closeMaskers(cols);
      if (typeof largeObjects !== "string") await largeObjects.close?.();
      maskers.clear();
    },
  };
}

/**
 * Plans the policy's `subset:` and puts each table's filter on its plan as `where` (and its cut
 * references as `expressions`); `source` reads inside the run's snapshot.
 */
export async function applySubset(
  src: PolicySource,
  source: postgres.Sql,
  options: { catalog: Catalog; plan: Plan; keyring: Keyring | null },
): Promise<SubsetPlan> {
  const { policy } = src;
  if (policy.subset === undefined) {
    return { filters: [], expressions: new Map(), rows: null, diagnostics: [] };
  }
  const { catalog, plan, keyring } = options;
  // The samples' key is derived from the policy key, so another key draws another sample.
  const salt = keyring
    ? [...(await keyring.derive("subset:sample")).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0"))
      .join("")
    : "no-key";
  const planned = await planSubset(policy.subset, {
    catalog,
    copied: plan.tables.filter((t) => t.rows === "copy").map((t) => t.name),
    filtered: new Map(plan.tables.flatMap((t) => t.where === undefined ? [] : [[t.name, t.where]])),
    sql: source,
    salt,
    at: (path) => ({ file: src.file, ...src.locate(path) }),
  });
  const byName = new Map(plan.tables.map((t) => [t.name, t]));
  for (const f of planned.filters) if (f.where !== undefined) byName.get(f.table)!.where = f.where;
  for (const [table, expressions] of planned.expressions) byName.get(table)!.expressions = expressions;
  return planned;
}
