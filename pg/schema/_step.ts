/**
 * A DDL step ({@link DdlStep}, public through plan.ts) and the planner's working form of one: the step plus the catalog object it creates
 * (`key`, e.g. `rel:16401`) and the keys it must come after, so steps can be ordered by pg_depend.
 *
 * @module
 */
/** One DDL statement of a schema copy. */
export interface DdlStep {
  /**
   * When it runs: before the data, after it, when setting sequences, when refreshing materialized views, or
   * last of all (event triggers, default privileges, security labels).
   */
  phase: "pre" | "post" | "sequences" | "refresh" | "final";
  /** What it creates, e.g. `table`, `primary key`, `index`, `view`, `setval`. */
  kind: string;
  /** The object, schema-qualified and quoted as in SQL, e.g. `app.customer` or `app.orders.orders_pkey`. */
  name: string;
  /** The statement, without a trailing semicolon. */
  sql: string;
  /**
   * For post-data steps that build one table's constraints or indexes: the table (the root of its
   * partition or inheritance tree). Steps of different tables may run in parallel.
   */
  table?: string;
}

/** A step being planned: what it runs and what it needs first. */
export interface PlannedStep {
  /** The public step. */
  step: DdlStep;
  /** The catalog object this step creates or alters: `rel:`, `type:`, `proc:`, `con:`, `trg:`, … and its oid. */
  key: string;
  /** Keys that must exist first, on top of what pg_depend says about `key`. */
  after?: string[];
}

/** Shortcut for a {@link PlannedStep}. */
export function planned(
  phase: DdlStep["phase"],
  kind: string,
  name: string,
  sql: string,
  key: string,
  extra: { after?: string[]; table?: string } = {},
): PlannedStep {
  const step: DdlStep = { phase, kind, name, sql };
  if (extra.table !== undefined) step.table = extra.table;
  return extra.after ? { step, key, after: extra.after } : { step, key };
}

/** `COMMENT ON <target> IS '<text>'`, with the text quoted as a SQL literal. */
export function commentSql(target: string, text: string): string {
  return `COMMENT ON ${target} IS ${literal(text)}`;
}

/** A SQL string literal (standard_conforming_strings on, as on every supported server). */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Orders steps so each comes after the steps creating what it depends on, keeping the given order
 * wherever dependencies allow. `deps` maps a key to the keys it depends on. A cycle is broken where it is
 * met (the steps then keep their given order) and reported through `onCycle`.
 */
export function orderSteps(
  steps: readonly PlannedStep[],
  deps: ReadonlyMap<string, ReadonlySet<string>>,
  onCycle: (key: string) => void = () => {},
): PlannedStep[] {
  const byKey = new Map<string, PlannedStep[]>();
  for (const s of steps) {
    const list = byKey.get(s.key);
    if (list) list.push(s);
    else byKey.set(s.key, [s]);
  }
  const state = new Map<PlannedStep, "visiting" | "done">();
  const out: PlannedStep[] = [];
  // Iterative depth-first search: deep chains (views on views on views) must not overflow the stack.
  for (const root of steps) {
    if (state.has(root)) continue;
    const stack: { s: PlannedStep; next: PlannedStep[] | null; i: number }[] = [{
      s: root,
      next: null,
      i: 0,
    }];
    state.set(root, "visiting");
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next === null) top.next = prerequisites(top.s, byKey, deps);
      if (top.i < top.next.length) {
        const n = top.next[top.i++];
        const st = state.get(n);
        if (st === undefined) {
          state.set(n, "visiting");
          stack.push({ s: n, next: null, i: 0 });
        } else if (st === "visiting") {
          onCycle(n.key);
        }
        continue;
      }
      state.set(top.s, "done");
      out.push(top.s);
      stack.pop();
    }
  }
  return out;
}

function prerequisites(
  s: PlannedStep,
  byKey: ReadonlyMap<string, PlannedStep[]>,
  deps: ReadonlyMap<string, ReadonlySet<string>>,
): PlannedStep[] {
  const out: PlannedStep[] = [];
  const same = byKey.get(s.key) ?? [];
  // Steps of one object keep their order: the CREATE before its COMMENT or ALTER.
  for (const other of same) {
    if (other === s) break;
    out.push(other);
  }
  const keys = new Set<string>(deps.get(s.key) ?? []);
  for (const k of s.after ?? []) keys.add(k);
  keys.delete(s.key);
  for (const k of keys) for (const other of byKey.get(k) ?? []) out.push(other);
  return out;
}
