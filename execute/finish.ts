/**
 * After the data: set the target's sequences to the source's values, and check the foreign keys of
 * tables that were loaded with triggers off (reference cycles).
 *
 * @module
 */
import type postgres from "postgres";
import { PipelineError } from "../errors.ts";
import type { ForeignKey, OwnedSequence } from "../pg/introspect.ts";
import { quoteIdent, quoteTable } from "../pg/source.ts";
import type { TableRef } from "../strategies/types.ts";

/**
 * Copies `last_value`/`is_called` of the sequences owned by copied tables and of those no column owns;
 * returns how many were set.
 */
export async function copySequences(
  source: postgres.Sql,
  target: postgres.Sql,
  sequences: readonly (Pick<OwnedSequence, "sequence"> & { table: string | null })[],
  copied: ReadonlySet<string>,
): Promise<number> {
  let n = 0;
  for (const s of sequences) {
    if (s.table !== null && !copied.has(s.table)) continue;
    const [v] = await source.unsafe<{ last_value: string; is_called: boolean }[]>(
      `select last_value::text, is_called from ${s.sequence}`,
    );
    await target.unsafe(`select setval($1::regclass, $2::bigint, $3)`, [
      s.sequence,
      v.last_value,
      v.is_called,
    ]);
    n++;
  }
  return n;
}

/** Verifies the foreign keys among `tables` (loaded with triggers off): every referencing row has its parent. */
export async function validateForeignKeys(
  target: postgres.Sql,
  fks: readonly ForeignKey[],
  tables: ReadonlySet<string>,
  refOf: (name: string) => TableRef,
): Promise<void> {
  for (const fk of fks) {
    if (!tables.has(fk.child) || !tables.has(fk.parent)) continue;
    // A key declared on (or referencing) a partition holds for that partition's rows only.
    const q = (n: string, partition?: string) =>
      partition === undefined ? quoteTable(refOf(n)) : quoteTable(splitName(partition));
    const notNull = fk.childColumns.map((c) => `c.${quoteIdent(c)} is not null`).join(" and ");
    const join = fk.childColumns.map((c, i) => `p.${quoteIdent(fk.parentColumns[i])} = c.${quoteIdent(c)}`)
      .join(
        " and ",
      );
    const [{ n }] = await target.unsafe<{ n: string }[]>(
      `select count(*)::text as n from ${
        q(fk.child, fk.childRelation)
      } c where ${notNull} and not exists (select 1 from ${q(fk.parent, fk.parentRelation)} p where ${join})`,
    );
    if (n !== "0") {
      throw new PipelineError(
        "PG_COPY",
        `Foreign key ${fk.name} of ${fk.child} is broken in the target: ${n} rows reference missing ${fk.parent} rows`,
        { table: fk.child, column: fk.childColumns.join(",") },
        { hint: "mask both ends of the key with the same strategy and domain" },
      );
    }
  }
}

/** `schema.table` (as the catalog names relations) → its parts. */
function splitName(name: string): { schema: string; table: string } {
  const i = name.indexOf(".");
  return { schema: name.slice(0, i), table: name.slice(i + 1) };
}
