/**
 * The finish's check of `unique: true` columns. A strategy whose distinct outputs are likely rather than
 * certain (a realistic value with a short keyed suffix) checks each value against those its process
 * wrote: shards and the parts of a resumed run never see each other's values, so two of them can write
 * the same value into a column that has no unique index of its own to refuse it. Once every unit is
 * loaded, each such column is checked in the target, in one aggregate query with a one-row answer.
 *
 * @module
 */
import type postgres from "postgres";
import { PrivaciError } from "../errors.ts";
import { quoteIdent, quoteTable } from "../pg/source.ts";
import type { TableRef } from "../strategies/types.ts";

/** A column whose rule asks for distinct outputs, as the finish checks it. */
export interface UniqueColumn {
  /** The table, as in the source catalog (also its name in the target). */
  table: TableRef;
  /** `schema.table`. */
  name: string;
  column: string;
  /** The rule's strategy. */
  strategy: string;
  /** Where the rule is in the policy (`file:line:col`), when known. */
  where?: string;
  /** What to change when its values collide (the strategy's advice), when they can collide. */
  collisionHint?: string;
  /** The target will get a unique index on the column after this check (`schema: copy`). */
  indexedLater?: boolean;
}

/**
 * Fails closed when a column of `columns` holds, in the target, more repeated values than its source
 * holds: distinct source values then gave one masked value. A column under a unique index of its own in
 * the target is skipped (the index refused any repeat as it was loaded), as is one whose index the
 * post-data schema creates after this check (its creation fails on a repeat).
 *
 * @throws {PrivaciError} `STRATEGY_COLLISION` naming the table, column, policy line, counts and the fix.
 */
export async function checkUniqueColumns(
  target: postgres.Sql,
  source: postgres.Sql,
  columns: readonly UniqueColumn[],
): Promise<void> {
  for (const c of columns) {
    if (c.indexedLater || await hasUniqueIndex(target, c)) continue;
    const col = quoteIdent(c.column);
    const [dup] = await target.unsafe<{ values: string; rows: string }[]>(
      `select count(*)::text as values, coalesce(sum(n), 0)::text as rows
         from (select count(*) as n from ${quoteTable(c.table)} where ${col} is not null
                group by ${col} having count(*) > 1) d`,
    );
    const values = Number(dup.values);
    if (values === 0) continue;
    // Equal source values give equal masked values: only repeats beyond the source's own are collisions
    // (counted over the whole source table, so a subset's copy is never refused for the source's repeats).
    const excess = Number(dup.rows) - values;
    const [{ repeats }] = await source.unsafe<{ repeats: string }[]>(
      `select (count(${col}) - count(distinct ${col}))::text as repeats from ${quoteTable(c.table)}`,
    );
    if (excess <= Number(repeats)) continue;
    throw duplicates(c, { values, rows: Number(dup.rows), sourceRepeats: Number(repeats) });
  }
}

/**
 * True when the target has a valid unique index on exactly this column (no predicate, no expression; an
 * index a failed `CREATE INDEX CONCURRENTLY` left invalid checks nothing).
 */
async function hasUniqueIndex(target: postgres.Sql, c: UniqueColumn): Promise<boolean> {
  const [{ covered }] = await target.unsafe<{ covered: boolean }[]>(
    `select exists (
       select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
        where i.indrelid = $1::regclass and i.indisunique and i.indisvalid and i.indnkeyatts = 1
          and i.indpred is null
          and i.indexprs is null and a.attname = $2
     ) as covered`,
    [quoteTable(c.table), c.column],
  );
  return covered;
}

function duplicates(
  c: UniqueColumn,
  counts: { values: number; rows: number; sourceRepeats: number },
): PrivaciError {
  const rule = `${c.strategy} with unique: true${c.where ? `, rule at ${c.where}` : ""}`;
  const source = counts.sourceRepeats === 0
    ? "though its source values are distinct"
    : `beyond the ${counts.sourceRepeats} repeats of its source values`;
  return new PrivaciError(
    "STRATEGY_COLLISION",
    `Cannot finish the run: ${c.name}.${c.column} (${rule}) holds ${counts.values} values written more than ` +
      `once (${counts.rows} rows) ${source}: distinct source values gave the same masked value in different ` +
      `shards or parts of the run, which check only the values they mask`,
    {
      hint:
        `${
          c.collisionHint ?? "use a strategy that is unique by construction"
        }; or give the column a unique ` +
        "index in the target, so the load stops at the first repeat; then start over with --truncate " +
        "(the changed policy cannot resume this run)",
    },
  );
}
