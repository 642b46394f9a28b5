/**
 * `schema: copy` inside a run: plan the DDL from the source catalog in the run's snapshot, create the
 * pre-data objects before any row, and the constraints, indexes, views and sequence values after them.
 *
 * @module
 */
import type postgres from "postgres";
import { openClient } from "../pg/connect.ts";
import { applyPost, applyPre, applySequences } from "../pg/schema/apply.ts";
import { planSchemaCopy, type SchemaPlan } from "../pg/schema/plan.ts";
import { copyLargeObjects, LARGE_OBJECT_COLUMN } from "../pg/large_objects.ts";
import { type Diagnostic, diagnostic } from "../core/diagnostic.ts";
import type { ColumnMasker } from "../strategies/types.ts";

/** Plans the schema copy for the target at hand (its version and available extensions). */
export async function planForTarget(
  source: postgres.Sql,
  target: postgres.Sql,
  options: { schemas: readonly string[]; skipRows: readonly string[]; snapshot: string },
): Promise<SchemaPlan> {
  const [{ v }] = await target.unsafe<{ v: number }[]>(
    "select current_setting('server_version_num')::int as v",
  );
  const extensions = (await target.unsafe<{ name: string }[]>("select name from pg_available_extensions"))
    .map((r) => r.name);
  return await planSchemaCopy(source, {
    schemas: options.schemas,
    skipRows: options.skipRows,
    targetVersion: v,
    targetExtensions: extensions,
    snapshot: options.snapshot,
  });
}

/** Creates schemas, types, sequences and tables, all or nothing. */
export async function createPreData(target: postgres.Sql, plan: SchemaPlan): Promise<void> {
  await applyPre(target, plan);
}

/** Builds constraints, indexes, triggers and views (`jobs` tables at once), then sets the sequences. */
export async function createPostData(targetUrl: string, plan: SchemaPlan, jobs: number): Promise<void> {
  const pool = openClient(targetUrl, { max: jobs, name: "privaci schema" });
  try {
    await applyPost(pool, plan, { parallel: jobs });
    await applySequences(pool, plan);
  } finally {
    await pool.end({ timeout: 0 });
  }
}

/**
 * Copies the source's large objects as the policy says (`skip`, `keep`, or a masker for their bytes),
 * after the tables, under their source OIDs; returns the note for the report.
 */
export async function largeObjectsStep(
  source: postgres.Sql,
  target: postgres.Sql,
  how: "skip" | "keep" | ColumnMasker,
  options: { count: number; skip: boolean },
): Promise<Diagnostic[]> {
  if (options.count === 0) return [];
  if (how === "skip" || options.skip) {
    return [
      diagnostic(
        "LARGE_OBJECTS",
        `${options.count} large object(s) not copied`,
        { path: ["large_objects"] },
        "note",
      ),
    ];
  }
  const batch = { table: LARGE_OBJECT_COLUMN, firstRow: 1, column: () => [] };
  const mask = how === "keep" ? null : async (bytes: string) => (await how.mask([bytes], batch))[0];
  const n = await copyLargeObjects(source, target, { mask });
  const what = how === "keep" ? "as they are" : "with their bytes masked";
  return [
    diagnostic("LARGE_OBJECTS", `${n} large object(s) copied ${what}, under their source OIDs`, {
      path: ["large_objects"],
    }, "note"),
  ];
}
