/**
 * Load order from foreign keys: a table is loaded once every table it references is committed, so
 * foreign keys never make the load fail. Tables in a reference cycle are loaded with triggers off
 * (`session_replication_role = replica`, as pg_restore --disable-triggers) and their keys checked after.
 *
 * @module
 */
import type { ForeignKey } from "../pg/introspect.ts";
import { unitKey } from "../pg/units.ts";

/** Dependencies per table and the tables caught in reference cycles. */
export interface LoadOrder {
  /** Tables each table must wait for (never itself). */
  waitsFor: Map<string, Set<string>>;
  /** Tables in a cycle of two or more tables. */
  cyclic: Set<string>;
}

/** Works out the load order of `tables` from the foreign keys between them. */
export function loadOrder(tables: readonly string[], fks: readonly ForeignKey[]): LoadOrder {
  const set = new Set(tables);
  const edges = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const fk of fks) {
    if (fk.child !== fk.parent && set.has(fk.child) && set.has(fk.parent)) {
      edges.get(fk.child)!.add(fk.parent);
    }
  }
  const cyclic = new Set<string>();
  for (const scc of stronglyConnected(tables, edges)) {
    if (scc.length > 1) { for (const t of scc) cyclic.add(t); }
  }
  const waitsFor = new Map<string, Set<string>>();
  for (const [t, deps] of edges) {
    waitsFor.set(t, new Set([...deps].filter((d) => !(cyclic.has(t) && cyclic.has(d)))));
  }
  return { waitsFor, cyclic };
}

function stronglyConnected(nodes: readonly string[], edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      out.push(scc);
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}

/**
 * Runs `task` for every table with at most `jobs` at once, each after the tables it waits for. A task
 * that resolves to `"again"` (its table is busy elsewhere) goes back to the end of the queue; one that
 * resolves to `"skip"` (left to another process) is not done, so the tables waiting for it never start.
 * Stops starting new tables after the first failure and rethrows it once the running ones settled.
 * Returns the tables that did not run: skipped, or waiting for one that was.
 */
export async function runInOrder(
  order: LoadOrder,
  jobs: number,
  task: (table: string) => Promise<void | "again" | "skip">,
): Promise<string[]> {
  const pending = new Set(order.waitsFor.keys());
  const skipped = new Set<string>();
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: { error: unknown } | null = null;
  while ((pending.size > 0 || running.size > 0)) {
    if (!failure) {
      for (const t of [...pending]) {
        if (running.size >= jobs) break;
        if ([...order.waitsFor.get(t)!].every((d) => done.has(d))) {
          pending.delete(t);
          running.set(
            t,
            task(t).then(
              (r) => void (r === "again" ? pending.add(t) : r === "skip" ? skipped.add(t) : done.add(t)),
              (error) => void (failure ??= { error }),
            ).finally(() => running.delete(t)),
          );
        }
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure) throw (failure as { error: unknown }).error;
  return [...skipped, ...pending];
}

/** Load order over table chunks: every chunk of a table waits for every chunk of the tables it references. */
export function unitOrder(
  tables: LoadOrder,
  units: readonly { table: string; chunk: { index: number } }[],
): LoadOrder {
  const byTable = new Map<string, string[]>();
  for (const u of units) {
    byTable.set(u.table, [...(byTable.get(u.table) ?? []), unitKey(u.table, u.chunk.index)]);
  }
  const waitsFor = new Map<string, Set<string>>();
  for (const [table, keys] of byTable) {
    const deps = [...(tables.waitsFor.get(table) ?? [])].flatMap((d) => byTable.get(d) ?? []);
    for (const k of keys) waitsFor.set(k, new Set(deps));
  }
  return {
    waitsFor,
    cyclic: new Set(
      units.filter((u) => tables.cyclic.has(u.table)).map((u) => unitKey(u.table, u.chunk.index)),
    ),
  };
}
