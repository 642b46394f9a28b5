/**
 * Which columns each check looks at: masked columns (replay, and as the origin of containment tokens) and
 * the columns whose target values may still hold source text (kept ones, and those whose strategy passes
 * input through, such as `text.scrub`), scanned for residual personal data.
 *
 * @module
 */
import { alternatives, ruleName } from "../plan/bind.ts";
import type { PlannedColumn, TablePlan } from "../plan/plan.ts";
import { type ColumnInfo, type Reproduction, REPRODUCTIONS, type TypeFamily } from "../strategies/types.ts";

/** One column under check. */
export interface CheckedColumn {
  table: TablePlan;
  info: ColumnInfo;
  /** The strategy name, `keep` for kept columns. */
  strategy: string;
  /** What the strategy declares it may reproduce (`input` for kept columns, `nothing` when undeclared). */
  reproduces: Reproduction;
  /** Where the rule is in the policy (`null` for a column the policy does not list). */
  path: (string | number)[] | null;
}

/** Families whose text can carry personal data a detector recognises. */
const TEXT_FAMILIES: readonly TypeFamily[] = ["string", "json", "array", "network", "other"];

/** The checked columns of a plan's copied tables. */
export function checkedColumns(
  tables: readonly TablePlan[],
): { masked: CheckedColumn[]; scanned: CheckedColumn[] } {
  const masked: CheckedColumn[] = [];
  const scanned: CheckedColumn[] = [];
  for (const table of tables) {
    if (table.rows === "skip") continue;
    for (const c of table.columns) {
      const checked = describe(table, c);
      if (c.rule !== null) masked.push(checked);
      if (checked.reproduces === "input" && TEXT_FAMILIES.includes(c.info.family)) scanned.push(checked);
    }
  }
  return { masked, scanned };
}

function describe(table: TablePlan, c: PlannedColumn): CheckedColumn {
  const path = ["tables", table.name, "columns", c.info.column];
  if (c.rule === null) return { table, info: c.info, strategy: "keep", reproduces: "input", path };
  // A rule with `when:` alternatives writes each row by one of them: the column may reproduce whatever
  // the widest of them does (a `keep` alternative leaves its rows' source values), and says so by name.
  const reproduces = alternatives(c.rule).map((r) => r.definition.meta.reproduces ?? "nothing")
    .reduce((a, b) => REPRODUCTIONS.indexOf(b) > REPRODUCTIONS.indexOf(a) ? b : a);
  return {
    table,
    info: c.info,
    strategy: ruleName(c.rule),
    reproduces,
    path: c.rule.source.path ?? path,
  };
}
