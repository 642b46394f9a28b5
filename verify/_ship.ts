/**
 * Moves digests from the source into a temporary table of the target, so the target can join them
 * against its own: the two servers do the hashing, sorting and joining, and this process holds one
 * batch of {@link BATCH} rows at a time whatever the column's size.
 *
 * Hazard: postgres.js's COPY streams can hang (a `COPY … TO STDOUT` readable whose whole output arrives
 * before it is piped never settles, porsager/postgres#917, #1016), and `pipeline()` then waits forever on
 * two idle sessions. Rows travel here as cursor batches read from the source and inserted into the target
 * as arrays, which postgres.js handles like any other query.
 *
 * @module
 */
import type postgres from "postgres";

/** A session-bound connection (a temporary table lives as long as its session). */
export type Session = postgres.ReservedSql;

/** Rows per cursor batch and per insert. */
const BATCH = 20_000;

/** A column of a shipped table: name and SQL type (`bigint`, `int`). */
export type ShipColumn = readonly [name: string, type: "bigint" | "int"];

/**
 * Creates (or empties) temporary table `name` on the target with `columns` and fills it with the rows
 * of `query` run on the source, whose columns come in the same order.
 */
export async function ship(
  source: Session,
  target: Session,
  options: { name: string; columns: readonly ShipColumn[]; query: string },
): Promise<void> {
  const { name, columns } = options;
  await target.unsafe(`drop table if exists pg_temp.${name}`);
  await target.unsafe(`create temp table ${name} (${columns.map(([c, t]) => `${c} ${t}`).join(", ")})`);
  const unnest = columns.map(([, t], i) => `$${i + 1}::text::${t}[]`).join(", ");
  const insert = `insert into pg_temp.${name} select * from unnest(${unnest})`;
  const cursor = source.unsafe<Record<string, string | number | null>[]>(options.query).cursor(BATCH);
  for await (const rows of cursor) {
    const arrays = columns.map(([c]) => `{${rows.map((r) => r[c] ?? "NULL").join(",")}}`);
    await target.unsafe(insert, arrays);
  }
  await target.unsafe(`analyze pg_temp.${name}`);
}
