/**
 * The replay check: per masked column, how many target values equal a source value of the same column,
 * and how many rows hold their own row's source value. Both sides are compared as keyed digests (see
 * _sql.ts): the source's digests go into a temporary table of the target and the target counts the
 * matches, so this process never sees a value and its memory does not grow with the column.
 *
 * What counts as a finding depends on what the strategy declares it may reproduce: any equality for
 * `nothing`, more rows keeping their own value than chance explains for `pool` and `coarse`, nothing for
 * `placeholder` and `input` (their equalities are reported as expected).
 *
 * @module
 */
import { fromTable, quoteIdent } from "../pg/source.ts";
import type { CheckedColumn } from "./columns.ts";
import type { Finding, ReplayResult, Risk } from "./findings.ts";
import { digest, rowKey, textOf } from "./_sql.ts";
import { type Session, ship } from "./_ship.ts";

/** The share of rows keeping their own value above which a `pool` strategy is suspect. */
const POOL_OWN_SHARE = 0.05;
/** The same for a `coarse` one, whose outputs keep many values by design. */
const COARSE_OWN_SHARE = 0.9;

/** Runs the replay check over `columns`, one column at a time. */
export async function replay(
  source: Session,
  target: Session,
  columns: readonly CheckedColumn[],
): Promise<ReplayResult[]> {
  const out: ReplayResult[] = [];
  for (const c of columns) out.push(await replayColumn(source, target, c));
  await target.unsafe(`drop table if exists pg_temp.privaci_replay`);
  return out;
}

async function replayColumn(source: Session, target: Session, c: CheckedColumn): Promise<ReplayResult> {
  const pk = c.table.info.primaryKey;
  const value = textOf(c.info);
  const own = pk.length > 0 ? digest(`${rowKey(pk)} || E'\\x1f' || ${value}`) : "null::bigint";
  const select = `select ${digest(value)} as v, ${own} as r from ${fromTable(c.table.info)} where ${
    quoteIdent(c.info.column)
  } is not null`;
  await ship(source, target, {
    name: "privaci_replay",
    columns: [["v", "bigint"], ["r", "bigint"]],
    query: select,
  });
  const [row] = await target.unsafe<{ n: string; equal: string; own: string }[]>(
    `with t as materialized (${select})
     select (select count(*) from t)::text as n,
            (select count(*) from t where v in (select v from pg_temp.privaci_replay))::text as equal,
            (select count(*) from t where r in (select r from pg_temp.privaci_replay))::text as own`,
  );
  const values = Number(row.n);
  const equalValues = Number(row.equal);
  const ownValues = pk.length > 0 ? Number(row.own) : null;
  const result: ReplayResult = {
    table: c.table.name,
    column: c.info.column,
    strategy: c.strategy,
    reproduces: c.reproduces,
    values,
    equalValues,
    ownValues,
    expected: true,
  };
  result.expected = replayFindings(result).length === 0;
  return result;
}

/** The findings a replay result raises, by what the column's strategy declares it may reproduce. */
export function replayFindings(r: ReplayResult): Omit<Finding, "policy">[] {
  const at = { table: r.table, column: r.column };
  const own = r.ownValues ?? 0;
  const share = r.values === 0 ? 0 : own / r.values;
  const rule = `${r.strategy} (declares it may reproduce: ${r.reproduces})`;
  const out: Omit<Finding, "policy">[] = [];
  if (r.reproduces === "nothing") {
    if (r.equalValues > 0) {
      out.push({
        ...at,
        check: "replay-value",
        risk: "high",
        count: r.equalValues,
        message:
          `${r.equalValues} of ${r.values} values of ${r.table}.${r.column} equal a source value of the column, which ${rule} should never write`,
      });
    }
    if (own > 0) {
      out.push({
        ...at,
        check: "replay-own",
        risk: "high",
        count: own,
        message: `${own} rows of ${r.table}.${r.column} still hold their own source value under ${rule}`,
      });
    }
    return out;
  }
  const limit = r.reproduces === "pool"
    ? POOL_OWN_SHARE
    : r.reproduces === "coarse"
    ? COARSE_OWN_SHARE
    : null;
  if (limit !== null && own >= 3 && share > limit) {
    const risk: Risk = share >= 0.5 && r.reproduces === "pool" ? "high" : "medium";
    out.push({
      ...at,
      check: "replay-own",
      risk,
      count: own,
      message: `${own} of ${r.values} rows of ${r.table}.${r.column} (${
        (share * 100).toFixed(1)
      }%) still hold their own source value: more than ${rule} explains by chance (${limit * 100}%)`,
    });
  }
  return out;
}
