/**
 * Moves digests from the source into a temporary table of the target with `COPY … TO STDOUT` piped into
 * `COPY … FROM STDIN`: the two servers do the hashing, sorting and joining, and this process holds one
 * socket buffer at a time whatever the column's size.
 *
 * @module
 */
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";

/** A session-bound connection (a temporary table lives as long as its session). */
export type Session = postgres.ReservedSql;

/**
 * Creates (or empties) temporary table `name` on the target with `columns` (SQL column definitions)
 * and fills it with the rows of `query` run on the source.
 */
export async function ship(
  source: Session,
  target: Session,
  options: { name: string; columns: string; query: string },
): Promise<void> {
  await target.unsafe(`drop table if exists pg_temp.${options.name}`);
  await target.unsafe(`create temp table ${options.name} (${options.columns})`);
  const out = await source.unsafe(`copy (${options.query}) to stdout`).readable();
  const into = await target.unsafe(`copy pg_temp.${options.name} from stdin`).writable();
  await pipeline(out, into);
  await target.unsafe(`analyze pg_temp.${options.name}`);
}
