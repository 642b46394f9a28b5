/**
 * Guesses a strategy from a column's name and type, for the YAML `check` suggests to paste: the strategy
 * of the registry whose `meta.suggest` fits the column best. Anything else is suggested as `keep` for a
 * person to review. Which strategy fits which column is each strategy's own declaration.
 *
 * @module
 */
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo } from "../strategies/types.ts";

/** A strategy name to suggest for `c`, or "keep". */
export function suggestStrategy(c: ColumnInfo, registry: StrategyRegistry): string {
  let best: { name: string; rank: number } | undefined;
  for (const def of registry.list()) {
    for (const s of def.meta.suggest ?? []) {
      if (!s.families.includes(c.family)) continue;
      if (s.columnName !== undefined && !new RegExp(s.columnName, "i").test(c.column)) continue;
      if (best === undefined || s.rank < best.rank) best = { name: def.meta.name, rank: s.rank };
    }
  }
  return best?.name ?? "keep";
}
