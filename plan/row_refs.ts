/**
 * Rules that read other columns of their row: `when:` conditions, `locale_from:`, `date.shift by:`,
 * `names_from:` (source values) and `template` row placeholders (masked values). {@link maskOrder} gives
 * the order a table's columns are masked in so that a column reading masked values comes after them, or
 * the cycle that makes such an order impossible; {@link rowReferenceIssues} names references to columns
 * the table does not copy and such cycles as diagnostics located at the rule.
 *
 * @example Masked first what a template reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskOrder } from "./row_refs.ts";
 * const order = maskOrder([
 *   { name: "email", readsMasked: ["first_name", "last_name"] },
 *   { name: "first_name" },
 *   { name: "last_name" },
 * ]);
 * assert.deepEqual(order, { ok: true, order: [1, 2, 0] });
 * ```
 *
 * @module
 */
import { type Diagnostic, diagnostic, type Location } from "../core/diagnostic.ts";
import { suggestion } from "../config/diagnostics.ts";

/** A column of a table's COPY list, with the other columns its masker reads (if it has one). */
export interface RowColumn {
  name: string;
  /** Columns whose source values it reads. */
  reads?: readonly string[];
  /** Columns whose masked values it reads. */
  readsMasked?: readonly string[];
}

/** The order to mask in (indexes into the list), or a cycle of column names. */
export type MaskOrder = { ok: true; order: number[] } | { ok: false; cycle: string[] };

/**
 * Indexes of `columns` in an order where every column comes after the columns whose masked values it
 * reads; otherwise in list order. A reference to a column not in the list is ignored here (see
 * {@link rowReferenceIssues}).
 */
export function maskOrder(columns: readonly RowColumn[]): MaskOrder {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const state = new Array<0 | 1 | 2>(columns.length).fill(0); // unseen, on the path, placed
  const order: number[] = [];
  const path: number[] = [];
  let cycle: string[] | null = null;
  const visit = (i: number): void => {
    if (cycle !== null || state[i] === 2) return;
    if (state[i] === 1) {
      const from = path.indexOf(i);
      cycle = [...path.slice(from), i].map((k) => columns[k].name);
      return;
    }
    state[i] = 1;
    path.push(i);
    for (const name of columns[i].readsMasked ?? []) {
      const j = index.get(name);
      if (j !== undefined) visit(j);
    }
    path.pop();
    state[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < columns.length; i++) visit(i);
  return cycle !== null ? { ok: false, cycle } : { ok: true, order };
}

/** A column of a planned table with where its rule is in the policy. */
export interface PlacedColumn extends RowColumn {
  /** The rule's place in the policy; absent for a kept column. */
  source?: Location;
}

/**
 * Diagnostics for the row references of one table's rules: a column the table does not copy
 * (`RULE_COLUMN_UNKNOWN`, with the nearest name) and masked values that depend on each other
 * (`RULE_COLUMN_CYCLE`).
 */
export function rowReferenceIssues(table: string, columns: readonly PlacedColumn[]): Diagnostic[] {
  const names = columns.map((c) => c.name);
  const issues: Diagnostic[] = [];
  for (const c of columns) {
    const refs = [...new Set([...(c.reads ?? []), ...(c.readsMasked ?? [])])];
    for (const ref of refs.filter((r) => !names.includes(r))) {
      issues.push(diagnostic(
        "RULE_COLUMN_UNKNOWN",
        `${table}.${c.name}: the rule reads column '${ref}', which ${table} does not have or does not copy${
          suggestion(ref, names)
        }`,
        { ...c.source, table, column: c.name },
      ));
    }
  }
  const order = maskOrder(columns);
  if (!order.ok) {
    const first = columns.find((c) => c.name === order.cycle[0])!;
    issues.push(diagnostic(
      "RULE_COLUMN_CYCLE",
      `${table}: columns are built from each other's masked values in a cycle: ${
        order.cycle.join(" → ")
      }; let one of them be masked without the others (e.g. drop its {{${order.cycle[1]}}} placeholder)`,
      { ...first.source, table, column: first.name },
    ));
  }
  return issues;
}
