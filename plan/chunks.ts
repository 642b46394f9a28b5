/**
 * Splits a large table into primary-key ranges, each copied and committed on its own (in parallel, and
 * resumable chunk by chunk). Only tables with a single-column integer primary key are split; ranges are
 * of equal width between the key's minimum and maximum in the run's snapshot.
 *
 * @module
 */
import type postgres from "postgres";
import { fromTable, quoteIdent } from "../pg/source.ts";
import type { Chunk } from "../pg/units.ts";
import type { TablePlan } from "./plan.ts";

/** The chunks of `plan`: one whole-table chunk unless it is estimated larger than `chunkRows`. */
export async function planChunks(sql: postgres.Sql, plan: TablePlan, chunkRows: number): Promise<Chunk[]> {
  const { info } = plan;
  const pk = info.primaryKey.length === 1
    ? info.columns.find((c) => c.column === info.primaryKey[0])
    : undefined;
  if (!pk || pk.family !== "integer" || info.estimatedRows <= chunkRows) return [{ index: 0 }];
  const col = quoteIdent(pk.column);
  const from = fromTable(info);
  const [{ lo, hi }] = await sql.unsafe<{ lo: string | null; hi: string | null }[]>(
    `select min(${col})::text as lo, max(${col})::text as hi from ${from}`,
  );
  if (lo === null || hi === null) return [{ index: 0 }];
  const count = Math.min(256, Math.ceil(info.estimatedRows / chunkRows));
  const min = BigInt(lo);
  const span = BigInt(hi) - min + 1n;
  const bounds: bigint[] = [];
  for (let i = 1; i < count; i++) bounds.push(min + (span * BigInt(i)) / BigInt(count));
  const unique = [...new Set(bounds)];
  const chunks: Chunk[] = [];
  for (let i = 0; i <= unique.length; i++) {
    const parts: string[] = [];
    if (i > 0) parts.push(`${col} >= ${unique[i - 1]}`);
    if (i < unique.length) parts.push(`${col} < ${unique[i]}`);
    chunks.push({ index: i, where: parts.join(" and ") });
  }
  return chunks;
}
