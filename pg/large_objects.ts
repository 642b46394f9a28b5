/**
 * Large objects (pg_largeobject): they belong to no schema and are not rows of any table, so a column of
 * type `oid` or `lo` only holds their number. A run copies them after the tables, all in one target
 * transaction, each with the OID it has on the source so the references stay valid: as they are
 * (`keep`), or with their bytes masked as one `bytea` value each.
 *
 * @module
 */
import type postgres from "postgres";
import { PgError, PrivaciError } from "../errors.ts";
import type { Cell, ColumnInfo } from "../core/column.ts";
import { pgErrorFields } from "./server_error.ts";

/** The column a large object's bytes are masked as: one `bytea` value. */
export const LARGE_OBJECT_COLUMN: ColumnInfo = {
  schema: "pg_catalog",
  table: "pg_largeobject",
  column: "data",
  ordinal: 1,
  type: "bytea",
  baseType: "bytea",
  family: "bytea",
  elementFamily: "bytea",
  maxLength: null,
  notNull: true,
  unique: false,
  generated: false,
  identity: "",
};

/** Options of {@link copyLargeObjects}. */
export interface CopyLargeObjectsOptions {
  /**
   * Masks one object's bytes, given and returned as the `bytea` text `\x…` (a masker of
   * {@link LARGE_OBJECT_COLUMN}); `null` copies them as they are.
   */
  mask: ((bytes: string) => Promise<Cell>) | null;
  /** Bytes read and written at a time when copying as they are (default 1 MiB). */
  chunkBytes?: number;
}

/**
 * Copies every large object of `source` (read in the run's snapshot) into `target` under the same OID,
 * in one transaction: a failure leaves none behind. Target objects with those OIDs are replaced (a
 * resumed run copies them again). Returns how many were copied.
 */
export async function copyLargeObjects(
  source: postgres.Sql | postgres.TransactionSql,
  target: postgres.Sql,
  options: CopyLargeObjectsOptions,
): Promise<number> {
  const oids = (await source.unsafe<{ oid: string }[]>(
    "select oid::text as oid from pg_largeobject_metadata order by oid",
  )).map((r) => r.oid);
  if (oids.length === 0) return 0;
  const chunk = Math.max(1, Math.floor(options.chunkBytes ?? 1 << 20));
  let current = "";
  try {
    await target.begin(async (tx) => {
      await tx.unsafe(
        "select lo_unlink(m.oid) from pg_largeobject_metadata m where m.oid::text = any(string_to_array($1, ','))",
        [oids.join(",")],
      );
      for (const oid of oids) {
        current = oid;
        if (options.mask === null) await copyAsIs(source, tx, oid, chunk);
        else await copyMasked(source, tx, oid, options.mask);
      }
    });
  } catch (e) {
    if (e instanceof PrivaciError) throw e;
    // The server's message only: a DETAIL could quote bytes.
    const f = pgErrorFields(e);
    throw new PgError(
      "PG_COPY",
      `Cannot copy large object ${current}: ${f.summary}`,
      { sqlstate: f.sqlstate },
      { cause: e },
    );
  }
  return oids.length;
}

async function copyAsIs(
  source: postgres.Sql | postgres.TransactionSql,
  tx: postgres.TransactionSql,
  oid: string,
  chunk: number,
): Promise<void> {
  await tx.unsafe("select lo_create($1::oid)", [oid]);
  for (let offset = 0;; offset += chunk) {
    const [{ data }] = await source.unsafe<{ data: Uint8Array }[]>(
      "select lo_get($1::oid, $2::bigint, $3::int) as data",
      [oid, String(offset), chunk],
    );
    if (data.length > 0) {
      await tx.unsafe("select lo_put($1::oid, $2::bigint, $3::bytea)", [oid, String(offset), data]);
    }
    if (data.length < chunk) return;
  }
}

async function copyMasked(
  source: postgres.Sql | postgres.TransactionSql,
  tx: postgres.TransactionSql,
  oid: string,
  mask: (bytes: string) => Promise<Cell>,
): Promise<void> {
  const [{ hex }] = await source.unsafe<{ hex: string }[]>(
    "select encode(lo_get($1::oid), 'hex') as hex",
    [oid],
  );
  const out = await mask(`\\x${hex}`);
  if (out === null || !/^\\x([0-9a-fA-F]{2})*$/.test(out)) {
    throw new PrivaciError(
      "STRATEGY_INVALID_OUTPUT",
      `Cannot copy large object ${oid}: its rule gave no bytea value (\\x followed by hex digits)`,
      { hint: "give large_objects a rule that writes bytea, e.g. redact" },
    );
  }
  await tx.unsafe("select lo_from_bytea($1::oid, decode($2, 'hex'))", [oid, out.slice(2)]);
}
