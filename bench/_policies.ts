/**
 * The bench's policies. `keep_all.yaml` and `text_scrub.yaml` run as written; `level1.yaml` names the
 * strategies the bench means to measure, and {@link resolveLevel1} swaps each one that is not registered
 * for the nearest one that is, so the bench runs (and says what it ran) while the library grows.
 *
 * @module
 */
import { parse, stringify } from "yaml";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { benchFile } from "./_db.ts";

/** A policy file of bench/policies. */
export function policyFile(name: string): string {
  return benchFile(`policies/${name}`);
}

/** What became of one column rule of level1.yaml. */
export interface ResolvedRule {
  column: string;
  /** The strategy level1.yaml asks for. */
  wanted: string;
  /** The strategy that runs (`keep` when nothing registered fits). */
  used: string;
}

/** The effective Level 1 policy. */
export interface Level1 {
  /** YAML text of the policy to run. */
  text: string;
  /** The rules of the masked table, wanted and used. */
  rules: ResolvedRule[];
  /** How many columns are really masked. */
  masked: number;
}

type Rule = string | { strategy: string; unique?: boolean; [param: string]: unknown };

/**
 * Resolves level1.yaml against `registry`. A missing strategy falls back to `hash` (keeping `unique`),
 * then `redact` (not for unique columns), then `null` (only for nullable columns), else `keep`.
 *
 * @param registry the strategies available.
 * @param notNull `column` names of the masked table that are NOT NULL.
 */
export async function resolveLevel1(
  registry: StrategyRegistry,
  notNull: ReadonlySet<string>,
): Promise<Level1> {
  const doc = parse(await Deno.readTextFile(policyFile("level1.yaml"))) as {
    tables: Record<string, { columns: Record<string, Rule> }>;
  };
  const columns = doc.tables["public.customers"].columns;
  const rules: ResolvedRule[] = [];
  let masked = 0;
  for (const [column, rule] of Object.entries(columns)) {
    const wanted = typeof rule === "string" ? rule : rule.strategy;
    if (wanted === "keep") continue;
    const unique = typeof rule === "object" && rule.unique === true;
    const used = pick(registry, wanted, { unique, nullable: !notNull.has(column) });
    if (used !== wanted) columns[column] = unique && used !== "keep" ? { strategy: used, unique } : used;
    if (used !== "keep") masked++;
    rules.push({ column, wanted, used });
  }
  return { text: stringify(doc, { lineWidth: 0 }), rules, masked };
}

function pick(
  registry: StrategyRegistry,
  wanted: string,
  need: { unique: boolean; nullable: boolean },
): string {
  const fits = (name: string) => {
    const def = registry.get(name);
    return def !== undefined && (!need.unique || def.meta.unique);
  };
  if (fits(wanted)) return wanted;
  const fallbacks = ["hash", ...(need.unique ? [] : ["redact", ...(need.nullable ? ["null"] : [])])];
  return fallbacks.find(fits) ?? "keep";
}
