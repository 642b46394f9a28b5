/**
 * Integrity of the masked copy: row counts per table against the source (under the policy's `where:`
 * subset rules, and none for `rows: skip`), foreign keys valid, sequences at or above their column's
 * maximum, unique columns still unique.
 *
 * @module
 */
import { ONE_STATEMENT } from "../pg/connect.ts";
import type { Catalog } from "../pg/introspect.ts";
import { fromTable, quoteIdent, quoteTable } from "../pg/source.ts";
import type { TablePlan } from "../plan/plan.ts";
import type { Finding, IntegrityResult } from "./findings.ts";
import type { Session } from "./_ship.ts";

/** What {@link integrity} found. */
export interface IntegrityOutcome {
  tables: IntegrityResult[];
  findings: Omit<Finding, "policy">[];
}

/**
 * Runs every integrity check over the plan's tables. `counts` gives the source rows of tables counted
 * already (a subset's, all from one query), in place of counting each under its `where`.
 */
export async function integrity(
  source: Session,
  target: Session,
  tables: readonly TablePlan[],
  catalog: Catalog,
  targetCatalog: Catalog,
  options: { counts?: ReadonlyMap<string, number> } = {},
): Promise<IntegrityOutcome> {
  const findings: Omit<Finding, "policy">[] = [];
  const results: IntegrityResult[] = [];
  const present = tables.filter((t) => targetCatalog.tables.has(t.name));
  for (const t of present) {
    const where = t.where ? ` where ${t.where}` : "";
    const sourceRows = t.rows === "skip"
      ? 0
      : options.counts?.get(t.name) ?? await countRows(source, `${fromTable(t.info)}${where}`);
    const targetRows = await countRows(target, fromTable(t.info));
    results.push({ table: t.name, sourceRows, targetRows });
    if (sourceRows !== targetRows) {
      findings.push({
        table: t.name,
        check: "row-count",
        risk: "medium",
        count: Math.abs(sourceRows - targetRows),
        message: `${t.name} has ${targetRows} rows in the target but ${sourceRows} in the source${
          t.where ? " (under its where: rule)" : t.rows === "skip" ? " (rows: skip)" : ""
        }`,
      });
    }
  }
  const copied = new Set(present.filter((t) => t.rows === "copy").map((t) => t.name));
  for (const fk of catalog.foreignKeys) {
    if (!copied.has(fk.child) || !copied.has(fk.parent)) continue;
    const child = catalog.tables.get(fk.child)!;
    const parent = catalog.tables.get(fk.parent)!;
    const notNull = fk.childColumns.map((c) => `c.${quoteIdent(c)} is not null`).join(" and ");
    const join = fk.childColumns.map((c, i) => `p.${quoteIdent(fk.parentColumns[i])} = c.${quoteIdent(c)}`)
      .join(" and ");
    const broken = await countRows(
      target,
      `${quoteTable(child)} c where ${notNull} and not exists (select 1 from ${
        quoteTable(parent)
      } p where ${join})`,
    );
    if (broken > 0) {
      findings.push({
        table: fk.child,
        column: fk.childColumns.join(", "),
        check: "foreign-key",
        risk: "medium",
        count: broken,
        message:
          `${broken} rows of ${fk.child} reference ${fk.parent} rows that are not in the target (foreign key ${fk.name})`,
      });
    }
  }
  for (const s of catalog.sequences) {
    if (!copied.has(s.table)) continue;
    const exists = await target.unsafe<{ ok: boolean }[]>(`select to_regclass($1) is not null as ok`, [
      s.sequence,
    ]);
    if (!exists[0].ok) continue;
    const t = catalog.tables.get(s.table)!;
    const [row] = await target.unsafe<{ next: string | null; max: string | null }[]>(
      `select (select case when is_called then last_value + 1 else last_value end from ${s.sequence})::text as next,
              (select max(${quoteIdent(s.column)}) from ${fromTable(t)})::text as max`,
    );
    if (row.max !== null && row.next !== null && BigInt(row.next) <= BigInt(row.max)) {
      findings.push({
        table: s.table,
        column: s.column,
        check: "sequence",
        risk: "medium",
        count: 1,
        message:
          `sequence ${s.sequence} would hand out values at or below ${s.table}.${s.column}'s maximum: the next insert collides`,
      });
    }
  }
  for (const t of present) {
    if (t.rows === "skip") continue;
    const enforced = targetCatalog.tables.get(t.name)!.columns;
    for (const c of t.columns) {
      if (!c.info.unique || enforced.find((e) => e.column === c.info.column)?.unique) continue;
      const col = quoteIdent(c.info.column);
      const dupes = await countRows(
        target,
        `(select 1 from ${fromTable(t.info)} where ${col} is not null group by ${col} having count(*) > 1) d`,
      );
      if (dupes > 0) {
        findings.push({
          table: t.name,
          column: c.info.column,
          check: "unique",
          risk: "medium",
          count: dupes,
          message:
            `${t.name}.${c.info.column} is unique in the source but ${dupes} values repeat in the target`,
        });
      }
    }
  }
  return { tables: results, findings };
}

async function countRows(sql: Session, from: string): Promise<number> {
  // `from` may end in a policy's `where:`: one statement only.
  const [{ n }] = await sql.unsafe<{ n: string }[]>(
    `select count(*)::text as n from ${from}`,
    [],
    ONE_STATEMENT,
  );
  return Number(n);
}
