/**
 * Keeps keys joinable: the columns linked by foreign keys form groups that must all get the same rule,
 * and a rule on a key must give distinct outputs for distinct inputs. A group takes the rule of its
 * personal member (the referenced end first), or a rule the policy already has for one of its members;
 * `unique: true` is set where the referenced column is a key. A strategy that cannot promise distinct
 * outputs, or cannot write every member's type, gives way to `hash`.
 *
 * @module
 */
import type { ForeignKey } from "../pg/introspect.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo, StrategySpec } from "../strategies/types.ts";
import type { Finding } from "./classify.ts";
import { JOINABLE_FALLBACK } from "./heuristics.ts";

/** One column scan decides on: its catalog facts, its finding, and the policy's rule if it has one. */
export interface KeyedColumn {
  info: ColumnInfo;
  finding: Finding;
  /** The rule the existing policy gives it, which scan never changes. */
  existing?: StrategySpec;
}

/** `schema.table.column`. */
export function columnKey(table: string, column: string): string {
  return `${table}.${column}`;
}

/** The foreign-key groups among `columns` (by {@link columnKey}), each with its referenced columns. */
export function keyGroups(
  foreignKeys: readonly ForeignKey[],
): { members: string[]; referenced: Set<string> }[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let p = parent.get(k) ?? k;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p)!;
    parent.set(k, p);
    return p;
  };
  const referenced = new Set<string>();
  for (const fk of foreignKeys) {
    fk.childColumns.forEach((c, i) => {
      const a = columnKey(fk.child, c);
      const b = columnKey(fk.parent, fk.parentColumns[i]);
      referenced.add(b);
      const ra = find(a), rb = find(b);
      if (ra !== rb) parent.set(ra, rb);
    });
  }
  const groups = new Map<string, string[]>();
  for (const k of [...parent.keys(), ...referenced]) {
    const root = find(k);
    const g = groups.get(root) ?? [];
    if (!g.includes(k)) g.push(k);
    groups.set(root, g);
  }
  return [...groups.values()].map((members) => ({
    members: members.sort(),
    referenced: new Set(members.filter((m) => referenced.has(m))),
  }));
}

function fits(registry: StrategyRegistry, rule: StrategySpec, members: readonly KeyedColumn[]): boolean {
  const def = registry.get(rule.strategy);
  if (!def) return false;
  if (!def.meta.unique) return false;
  return members.every((m) => !def.meta.columnTypes || def.meta.columnTypes.includes(m.info.family));
}

function joinable(
  registry: StrategyRegistry,
  rule: StrategySpec,
  members: readonly KeyedColumn[],
): StrategySpec {
  const { unique: _u, domain: _d, ...bare } = rule;
  return fits(registry, bare, members) ? bare : { strategy: JOINABLE_FALLBACK };
}

/**
 * Gives every foreign-key group one rule and every unique personal column a rule with distinct outputs,
 * in place. Columns with an existing rule keep it.
 */
export function applyKeys(
  columns: ReadonlyMap<string, KeyedColumn>,
  foreignKeys: readonly ForeignKey[],
  registry: StrategyRegistry,
): void {
  const grouped = new Set<string>();
  for (const group of keyGroups(foreignKeys)) {
    const members = group.members.map((k) => columns.get(k)).filter((c): c is KeyedColumn => c !== undefined);
    if (members.length < 2) continue;
    for (const k of group.members) grouped.add(k);
    const names = group.members.join(", ");
    const fixed = members.find((m) => m.existing && m.existing.strategy !== "keep");
    const personal = [...members].sort((a, b) =>
      Number(group.referenced.has(columnKey(`${b.info.schema}.${b.info.table}`, b.info.column))) -
      Number(group.referenced.has(columnKey(`${a.info.schema}.${a.info.table}`, a.info.column)))
    ).find((m) => m.finding.kind !== null);
    if (fixed === undefined && personal === undefined) {
      for (const m of members) m.finding.evidence.push(`foreign-key group ${names}: kept on every end`);
      continue;
    }
    const unique = members.some((m) =>
      group.referenced.has(columnKey(`${m.info.schema}.${m.info.table}`, m.info.column)) && m.info.unique
    );
    const base = fixed?.existing ?? joinable(registry, personal!.finding.rule, members);
    const rule: StrategySpec = { ...base, ...(unique ? { unique: true } : {}) };
    const from = fixed ? `the policy's rule for ${fixed.info.table}.${fixed.info.column}` : "one rule";
    for (const m of members) {
      if (m.existing) continue;
      m.finding.kind = personal?.finding.kind ?? m.finding.kind;
      m.finding.confidence = personal?.finding.confidence ?? "medium";
      m.finding.rule = rule;
      m.finding.evidence.push(
        `foreign-key group ${names}: ${from} on every end${
          unique ? ", unique as the referenced column is a key" : ""
        }`,
      );
    }
  }
  for (const [k, m] of columns) {
    if (grouped.has(k) || m.existing || !m.info.unique || m.finding.kind === null) continue;
    m.finding.rule = { ...joinable(registry, m.finding.rule, [m]), unique: true };
    m.finding.evidence.push("unique column: distinct outputs for distinct inputs");
  }
}
