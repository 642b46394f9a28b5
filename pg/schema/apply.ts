/**
 * Running a {@link SchemaPlan} on the target: pre-data in one transaction (all or nothing), post-data
 * after the rows are in (each table's constraints and indexes one after the other, different tables in
 * parallel, then foreign keys, views, triggers, then materialized view refreshes, then event triggers,
 * default privileges and security labels), and sequence values.
 * Every statement runs with an empty `search_path` (the plan's names are all qualified) and with
 * `check_function_bodies` off, as pg_restore does.
 *
 * @module
 */
import type postgres from "postgres";
import { PgError } from "../../errors.ts";
import { pgErrorFields } from "../server_error.ts";
import type { DdlStep, SchemaPlan } from "./plan.ts";

const SETUP =
  "set local search_path = ''; set local check_function_bodies = off; set local client_min_messages = warning";
const LOCAL_SETTINGS =
  "select set_config('search_path', '', true), set_config('check_function_bodies', 'off', true), " +
  "set_config('client_min_messages', 'warning', true)";

/** Creates the pre-data objects (schemas, extensions, types, sequences, tables) in one transaction. */
export async function applyPre(target: postgres.Sql, plan: SchemaPlan): Promise<void> {
  await target.begin(async (tx) => {
    await tx.unsafe(SETUP);
    for (const step of plan.pre) await run(tx, step);
  });
}

/** Options of {@link applyPost}. */
export interface ApplyPostOptions {
  /** How many tables' constraints and indexes are built at once (default 1); the pool needs that many connections. */
  parallel?: number;
}

/**
 * Creates the post-data objects once the rows are loaded, then refreshes the materialized views that were
 * populated on the source, then runs the final steps. Consecutive steps that name a table run table by table, `parallel` tables at a
 * time; the others run one after the other. Each statement commits on its own, as with pg_restore.
 */
export async function applyPost(
  target: postgres.Sql,
  plan: SchemaPlan,
  options: ApplyPostOptions = {},
): Promise<void> {
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  const steps = plan.post;
  let i = 0;
  while (i < steps.length) {
    if (steps[i].table === undefined) {
      await runAlone(target, steps[i++]);
      continue;
    }
    const groups = new Map<string, DdlStep[]>();
    for (; i < steps.length && steps[i].table !== undefined; i++) {
      const t = steps[i].table!;
      const g = groups.get(t);
      if (g) g.push(steps[i]);
      else groups.set(t, [steps[i]]);
    }
    await runGroups(target, [...groups.values()], parallel);
  }
  for (const step of plan.refresh) await runAlone(target, step);
  for (const step of plan.final) await runAlone(target, step);
}

/** Sets every sequence to the value the source had when the plan was made, in one transaction. */
export async function applySequences(target: postgres.Sql, plan: SchemaPlan): Promise<void> {
  if (plan.sequences.length === 0) return;
  await target.begin(async (tx) => {
    await tx.unsafe(SETUP);
    for (const step of plan.sequences) await run(tx, step);
  });
}

async function runGroups(target: postgres.Sql, groups: DdlStep[][], parallel: number): Promise<void> {
  let next = 0;
  let failure: unknown = undefined;
  const worker = async () => {
    while (failure === undefined && next < groups.length) {
      const group = groups[next++];
      for (const step of group) {
        try {
          await runAlone(target, step);
        } catch (e) {
          failure ??= e;
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, groups.length) }, worker));
  if (failure !== undefined) throw failure;
}

/**
 * One statement in its own implicit transaction: the settings and the statement go in one simple-protocol
 * message, so a step costs one round trip (thousands of indexes and constraints add up).
 */
async function runAlone(target: postgres.Sql, step: DdlStep): Promise<void> {
  await run(target, step, LOCAL_SETTINGS + ";\n");
}

async function run(sql: postgres.Sql | postgres.TransactionSql, step: DdlStep, prefix = ""): Promise<void> {
  try {
    await sql.unsafe(prefix + step.sql);
  } catch (e) {
    // The server's message only: its DETAIL can quote row values (a duplicate key, a failing foreign key).
    const f = pgErrorFields(e);
    throw new PgError(
      "SCHEMA_COPY",
      `Cannot create ${step.kind} ${step.name}: ${f.summary}`,
      { sqlstate: f.sqlstate, table: step.table },
      { cause: e },
    );
  }
}
