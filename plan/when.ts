/**
 * `when:` alternatives of a column rule: conditions on the row's source values, compiled once per column,
 * and the masker that sends each row of a batch to the first alternative whose condition holds (the last
 * alternative, without condition, takes the rest). Each alternative's masker gets its rows as one batch;
 * a batch whose rows all go one way is passed through as it is.
 *
 * @example Keep staff e-mails, mask the others
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileCondition } from "./when.ts";
 * const staff = compileCondition({ column: "is_staff", eq: true });
 * const rows = { is_staff: ["t", "f", null] };
 * assert.deepEqual([...staff.test((c) => rows[c as "is_staff"], 3)], [1, 0, 0]);
 * assert.deepEqual(staff.columns, ["is_staff"]);
 * ```
 *
 * @module
 */
import type { Condition, ConditionValue } from "../config/schema.ts";
import { maskRowGroups } from "../strategies/row_groups.ts";
import type { Cell, ColumnMasker } from "../strategies/types.ts";

/** A compiled condition: the columns it reads, and its test over a batch (1 where it holds). */
export interface CompiledCondition {
  columns: string[];
  test(column: (name: string) => readonly Cell[], rows: number): Uint8Array;
}

const TRUE = new Set(["t", "true", "y", "yes", "on", "1"]);
const FALSE = new Set(["f", "false", "n", "no", "off", "0"]);

/** A number read from COPY text, or NaN. */
function numberOf(cell: string): number {
  return cell.trim() === "" ? NaN : Number(cell);
}

/** Whether a non-NULL cell equals `v` as the column's text, number or boolean. */
function equals(cell: string, v: ConditionValue): boolean {
  if (typeof v === "boolean") return (v ? TRUE : FALSE).has(cell.toLowerCase());
  if (typeof v === "number") return numberOf(cell) === v;
  return cell === v;
}

/** -1, 0 or 1 comparing a non-NULL cell with `v` (numbers as numbers, text as text); NaN when not comparable. */
function compare(cell: string, v: number | string): number {
  if (typeof v === "number") {
    const n = numberOf(cell);
    return Number.isNaN(n) ? NaN : Math.sign(n - v);
  }
  return cell < v ? -1 : cell > v ? 1 : 0;
}

/** The test of one operator on a non-NULL cell. */
function predicate(c: Condition): (cell: string) => boolean {
  if (c.eq !== undefined) return (x) => equals(x, c.eq!);
  if (c.ne !== undefined) return (x) => !equals(x, c.ne!);
  if (c.in !== undefined) return (x) => c.in!.some((v) => equals(x, v));
  if (c.not_in !== undefined) return (x) => !c.not_in!.some((v) => equals(x, v));
  if (c.matches !== undefined) {
    const re = new RegExp(c.matches, "u");
    return (x) => re.test(x);
  }
  if (c.gt !== undefined) return (x) => compare(x, c.gt!) > 0;
  if (c.gte !== undefined) return (x) => compare(x, c.gte!) >= 0;
  if (c.lt !== undefined) return (x) => compare(x, c.lt!) < 0;
  if (c.lte !== undefined) return (x) => compare(x, c.lte!) <= 0;
  throw new TypeError("Cannot compile a condition without an operator");
}

/**
 * Compiles a validated condition. A NULL cell satisfies no comparison (not even `ne`), only
 * `is_null: true`; `not:` inverts whatever its condition gives.
 */
export function compileCondition(c: Condition): CompiledCondition {
  const parts = c.all ?? c.any;
  if (parts !== undefined) {
    const compiled = parts.map(compileCondition);
    const every = c.all !== undefined;
    return {
      columns: [...new Set(compiled.flatMap((p) => p.columns))],
      test(column, rows) {
        const out = compiled[0].test(column, rows);
        for (const p of compiled.slice(1)) {
          const more = p.test(column, rows);
          for (let r = 0; r < rows; r++) out[r] = every ? out[r] & more[r] : out[r] | more[r];
        }
        return out;
      },
    };
  }
  if (c.not !== undefined) {
    const inner = compileCondition(c.not);
    return {
      columns: inner.columns,
      test(column, rows) {
        const out = inner.test(column, rows);
        for (let r = 0; r < rows; r++) out[r] ^= 1;
        return out;
      },
    };
  }
  const name = c.column!;
  if (c.is_null !== undefined) {
    const want = c.is_null;
    return {
      columns: [name],
      test(column, rows) {
        const cells = column(name);
        const out = new Uint8Array(rows);
        for (let r = 0; r < rows; r++) out[r] = (cells[r] === null) === want ? 1 : 0;
        return out;
      },
    };
  }
  const holds = predicate(c);
  return {
    columns: [name],
    test(column, rows) {
      const cells = column(name);
      const out = new Uint8Array(rows);
      for (let r = 0; r < rows; r++) {
        const cell = cells[r];
        out[r] = cell !== null && holds(cell) ? 1 : 0;
      }
      return out;
    },
  };
}

/** One alternative: the rows its condition holds for go to its masker. */
export interface MaskerCase {
  when: CompiledCondition;
  masker: ColumnMasker;
}

/**
 * The masker of a column rule with `when:` alternatives: each row goes to the first case whose
 * condition holds on its source values, else to `fallback`.
 */
export function switchMasker(cases: readonly MaskerCase[], fallback: ColumnMasker): ColumnMasker {
  const all = [...cases.map((c) => c.masker), fallback];
  const reads = [...new Set([...cases.flatMap((c) => c.when.columns), ...all.flatMap((m) => m.reads ?? [])])];
  const readsMasked = [...new Set(all.flatMap((m) => m.readsMasked ?? []))];
  return {
    reads,
    ...(readsMasked.length > 0 ? { readsMasked } : {}),
    ...(all.some((m) => m.wholeColumn) ? { wholeColumn: true } : {}),
    mask(values, batch) {
      const n = values.length;
      const choice = new Uint8Array(n).fill(cases.length);
      const column = (name: string) => batch.column(name);
      // The first case that holds wins: later cases are applied first and overwritten.
      for (let k = cases.length - 1; k >= 0; k--) {
        const hit = cases[k].when.test(column, n);
        for (let r = 0; r < n; r++) if (hit[r]) choice[r] = k;
      }
      const groups = new Map<ColumnMasker, number[]>(all.map((m) => [m, []]));
      for (let r = 0; r < n; r++) groups.get(all[choice[r]])!.push(r);
      return maskRowGroups(groups, values, batch);
    },
    async close() {
      for (const m of all) await m.close?.();
    },
  };
}
