/**
 * Cross-column checks of a plan: both ends of a foreign key must be masked the same way (or the joins of
 * the masked copy break and the load fails), and a column under a unique constraint should use a strategy
 * that guarantees distinct outputs.
 *
 * @module
 */
import { type Diagnostic, diagnostic } from "../core/diagnostic.ts";
import type { ForeignKey } from "../pg/introspect.ts";
import type { PlannedColumn, PolicySource, TablePlan } from "./plan.ts";

function fingerprint(c: PlannedColumn): string {
  if (c.rule === null) return "keep";
  // when: alternatives choose by each end's own row, so the two ends of a key never surely agree.
  if (c.rule.cases?.length) return `when:${c.info.schema}.${c.info.table}.${c.info.column}`;
  const params = (c.rule.params ?? {}) as Record<string, unknown>;
  const sorted = Object.keys(params).sort().map((k) => [k, params[k]]);
  return JSON.stringify([c.rule.definition.meta.name, c.rule.domain, sorted]);
}

function describe(c: PlannedColumn): string {
  return c.rule === null
    ? "kept"
    : c.rule.cases?.length
    ? "masked by when: alternatives (chosen per row)"
    : `masked with ${c.rule.definition.meta.name}${
      c.rule.domain !== c.rule.definition.meta.name ? ` (domain ${c.rule.domain})` : ""
    }`;
}

/** Errors for foreign keys whose two ends are masked differently (one kept and one masked included). */
export function foreignKeyIssues(
  src: PolicySource,
  tables: readonly TablePlan[],
  fks: readonly ForeignKey[],
): Diagnostic[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const issues: Diagnostic[] = [];
  for (const fk of fks) {
    const child = byName.get(fk.child);
    const parent = byName.get(fk.parent);
    if (!child || !parent || child.rows === "skip" || parent.rows === "skip") continue;
    fk.childColumns.forEach((cc, i) => {
      const a = child.columns.find((c) => c.info.column === cc);
      const b = parent.columns.find((c) => c.info.column === fk.parentColumns[i]);
      if (!a || !b || fingerprint(a) === fingerprint(b)) return;
      const childPath = ["tables", fk.child, "columns", cc];
      const path = src.locate(childPath) ? childPath : b.rule?.source.path ?? ["tables", fk.child];
      issues.push(diagnostic(
        "FOREIGN_KEY_MASKING",
        `foreign key ${fk.name}: ${fk.child}.${cc} is ${describe(a)} but ${fk.parent}.${
          fk.parentColumns[i]
        } is ${
          describe(b)
        }, so the masked rows would not join — give both the same rule (strategy, params and domain)`,
        { file: src.file, ...src.locate(path), path },
      ));
    });
  }
  return issues;
}

/** Warnings for unique or primary-key columns masked by a rule that does not guarantee distinct outputs. */
export function uniquenessWarnings(tables: readonly TablePlan[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of tables) {
    if (t.rows === "skip") continue;
    for (const c of t.columns) {
      if (!c.info.unique || c.rule === null || c.rule.unique) continue;
      const can = c.rule.definition.meta.unique;
      out.push(diagnostic(
        "UNIQUE_NOT_GUARANTEED",
        `${t.name}.${c.info.column} is under a unique constraint but its rule does not guarantee distinct outputs: ${
          can
            ? "add 'unique: true'"
            : `${c.rule.definition.meta.name} cannot guarantee them; choose a strategy that can (see docs/strategies.md) with 'unique: true'`
        }`,
        c.rule.source,
        "warning",
      ));
    }
  }
  return out;
}
