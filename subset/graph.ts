/**
 * Which tables a subset touches and how, worked out from the relations alone (no rows read):
 *
 * - **down**: the roots and, with `follow: all`, every table that references a down table (children),
 *   except `exclude_children`;
 * - **reached**: the down tables and every table a reached table references (parents), recursively;
 * - **connected**: tables not reached that reference a reached or connected table: they keep only rows
 *   whose every non-null reference is kept;
 * - every other table is copied whole.
 *
 * Cut relations (`dangling: null`) are not followed. The tables listed are those being copied.
 *
 * @module
 */
import type { Subset } from "../config/schema.ts";
import type { Edge } from "./edges.ts";

/** How each copied table takes part in a subset. */
export interface SubsetGraph {
  /** Roots and children: their kept rows pull in the rows that reference them (with `follow: all`). */
  down: Set<string>;
  /** Tables holding the closure's rows: down tables and their parents. */
  reached: Set<string>;
  /** Tables not reached that reference reached (or connected) tables. */
  connected: Set<string>;
  /** The relations followed: not cut, between copied tables. */
  edges: Edge[];
  /** The cut relations (`dangling: null`) of copied tables, to copied tables or not. */
  cut: Edge[];
}

/** Classifies `tables` (the copied ones) for `subset`. */
export function subsetGraph(subset: Subset, tables: readonly string[], edges: readonly Edge[]): SubsetGraph {
  const copied = new Set(tables);
  const live = edges.filter((e) => !e.cut && copied.has(e.child) && copied.has(e.parent));
  const down = new Set(Object.keys(subset.roots).filter((t) => copied.has(t)));
  const excluded = new Set(subset.exclude_children);
  if (subset.follow === "all") {
    grow(down, live, (e, set) => set.has(e.parent) && !excluded.has(e.child) ? e.child : undefined);
  }
  const reached = new Set(down);
  grow(reached, live, (e, set) => set.has(e.child) ? e.parent : undefined);
  const connected = new Set<string>();
  grow(
    connected,
    live,
    (e, set) => !reached.has(e.child) && (reached.has(e.parent) || set.has(e.parent)) ? e.child : undefined,
  );
  const cut = edges.filter((e) => e.cut && copied.has(e.child));
  return { down, reached, connected, edges: live, cut };
}

/** Adds `step(edge)` to `set` until nothing new comes. */
function grow(
  set: Set<string>,
  edges: readonly Edge[],
  step: (e: Edge, set: Set<string>) => string | undefined,
) {
  for (let changed = true; changed;) {
    changed = false;
    for (const e of edges) {
      const next = step(e, set);
      if (next !== undefined && !set.has(next)) {
        set.add(next);
        changed = true;
      }
    }
  }
}

/**
 * The cycles of relations among `tables` whose every referencing column is NOT NULL: each as the edges
 * around it (a self-reference is a cycle of one).
 */
export function notNullCycles(tables: ReadonlySet<string>, edges: readonly Edge[]): Edge[][] {
  const strict = edges.filter((e) => !e.nullable && tables.has(e.child) && tables.has(e.parent));
  const found: Edge[][] = [];
  const seen = new Set<string>();
  for (const start of [...tables].sort()) {
    if (seen.has(start)) continue;
    // Depth-first from each table; a path back to `start` is a cycle.
    const path: Edge[] = [];
    const onPath = new Set<string>([start]);
    const dead = new Set<string>();
    const visit = (t: string): boolean => {
      for (const e of strict.filter((e) => e.child === t)) {
        path.push(e);
        if (e.parent === start) return true;
        if (!onPath.has(e.parent) && !seen.has(e.parent) && !dead.has(e.parent)) {
          onPath.add(e.parent);
          if (visit(e.parent)) return true;
          onPath.delete(e.parent);
          dead.add(e.parent);
        }
        path.pop();
      }
      return false;
    };
    if (visit(start)) {
      found.push([...path]);
      for (const e of path) seen.add(e.child);
    }
    seen.add(start);
  }
  return found;
}
