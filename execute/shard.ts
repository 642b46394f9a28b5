/**
 * Shards: N processes (N machines, a Kubernetes Indexed Job, a CI matrix) copying one source into one
 * target as one run. Nothing runs besides them: the run, its units and their state are in the target's
 * `privaci` schema (pg/run_state.ts, pg/units.ts), named by a run key all shards are given.
 *
 * - The first shard to take the run lock starts the run: it exports the snapshot (and keeps it open
 *   until every unit is loaded), records the units, creates the pre-data schema, checks that the tables
 *   are empty (or empties them) and records the start complete. The other shards then join without the
 *   lock: each imports that snapshot (when it is gone, it reads one of its own and the report says the
 *   copy is consistent per unit).
 * - Every shard then takes units with `FOR UPDATE SKIP LOCKED`, in foreign-key order, `jobs` at a time;
 *   a unit another shard holds is tried again later, and a dead shard's units are free again at once.
 * - After the last unit, one shard (whichever locks the run's row first) validates the keys, creates
 *   the post-data schema and sets the sequences; the run is then done.
 * - A shard that fails is simply started again with the same arguments: it joins and resumes.
 *
 * @module
 */
import { EXIT, PrivaciError } from "../errors.ts";

/** Which shard this process is, and the run all shards share. */
export interface ShardOptions {
  /** From 0 to `count - 1`. */
  index: number;
  count: number;
  /** Names the run: every shard of one copy gets the same key (a CI run id, a Job's uid). */
  runKey: string;
  /** How long to wait before trying again a unit another shard holds (default 250 ms). */
  pollMs?: number;
}

/** Where {@link shardFrom} reads what the command line leaves out. */
export interface ShardEnv {
  get(name: string): string | undefined;
}

/**
 * The shard of this process from `--shard I/N` and `--run-key`, else from the environment
 * (`JOB_COMPLETION_INDEX`/`JOB_COMPLETION_COUNT`, as a Kubernetes Indexed Job sets the index, and
 * `PRIVACI_RUN_KEY`); `undefined` when the process is not a shard.
 *
 * @throws {PrivaciError} `USAGE` for a malformed shard or a shard without a run key.
 */
export function shardFrom(
  flags: { shard?: string; runKey?: string },
  env: ShardEnv,
): Omit<ShardOptions, "pollMs"> | undefined {
  const index = env.get("JOB_COMPLETION_INDEX");
  const count = env.get("JOB_COMPLETION_COUNT");
  const spec = flags.shard ?? (index !== undefined && count !== undefined ? `${index}/${count}` : undefined);
  if (spec === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) {
    throw new PrivaciError("USAGE", `Cannot run as shard "${spec}": expected I/N with 0 <= I < N`, {
      exitCode: EXIT.usage,
      hint: "pass --shard 0/4 … --shard 3/4, or set JOB_COMPLETION_INDEX and JOB_COMPLETION_COUNT",
    });
  }
  const runKey = flags.runKey ?? env.get("PRIVACI_RUN_KEY");
  if (!runKey) {
    throw new PrivaciError("USAGE", `Cannot run as shard ${spec} without a run key naming the shared run`, {
      exitCode: EXIT.usage,
      hint:
        "pass --run-key (the same for every shard of one copy, e.g. the CI run id) or set PRIVACI_RUN_KEY",
    });
  }
  return { index: Number(m[1]), count: Number(m[2]), runKey };
}

/** `items` rotated so that shard `index` of `count` starts at its own share of the list. */
export function rotateForShard<T>(items: readonly T[], index: number, count: number): T[] {
  const at = Math.floor((items.length * index) / count);
  return [...items.slice(at), ...items.slice(0, at)];
}
