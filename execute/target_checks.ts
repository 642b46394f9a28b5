/**
 * What must hold on the target before any row is written: it is not the source, and every table and
 * column to load exists there (whether its tables are empty is asked of pg/units.ts).
 *
 * @module
 */
import type postgres from "postgres";
import { type Diagnostic, diagnostic } from "../core/diagnostic.ts";
import { EXIT, PrivaciError } from "../errors.ts";
import type { Catalog } from "../pg/introspect.ts";
import type { TablePlan } from "../plan/plan.ts";

interface Identity {
  sysid: string;
  db: string;
  port: number | null;
  started: string;
}

async function identity(sql: postgres.Sql): Promise<Identity> {
  const [row] = await sql.unsafe<{ db: string; port: number | null; started: string }[]>(
    "select current_database() as db, inet_server_port() as port, pg_postmaster_start_time()::text as started",
  );
  const sysid = await sql.unsafe<{ id: string }[]>(
    "select system_identifier::text as id from pg_control_system()",
  )
    .then((r) => r[0].id, () => "");
  return { sysid, ...row };
}

/** Refuses a target that is the source database (same server, same database). */
export async function assertDistinct(source: postgres.Sql, target: postgres.Sql): Promise<void> {
  const [a, b] = await Promise.all([identity(source), identity(target)]);
  if (a.sysid === b.sysid && a.db === b.db && a.port === b.port && a.started === b.started) {
    throw new PrivaciError(
      "TARGET_IS_SOURCE",
      `Cannot copy into the source: the target is the same server and database ("${a.db}")`,
      { exitCode: EXIT.usage, hint: "point 'target:' (or PRIVACI_TARGET_URL) at another database" },
    );
  }
}

/** Errors for tables or columns that the target lacks (with `schema: existing`), with their policy paths. */
export function missingInTarget(plans: readonly TablePlan[], target: Catalog): Diagnostic[] {
  const issues: Diagnostic[] = [];
  for (const p of plans) {
    if (p.rows === "skip") continue;
    const t = target.tables.get(p.name);
    if (!t) {
      const message =
        `table ${p.name} does not exist in the target: create it first (the app's migrations) or set 'schema: copy'`;
      issues.push(diagnostic("TARGET_SCHEMA_MISMATCH", message, { path: ["tables", p.name], table: p.name }));
      continue;
    }
    const have = new Set(t.columns.filter((c) => !c.generated).map((c) => c.column));
    for (const c of p.columns) {
      if (!have.has(c.info.column)) {
        issues.push(diagnostic(
          "TARGET_SCHEMA_MISMATCH",
          `column ${p.name}.${c.info.column} does not exist (or is generated) in the target`,
          { path: ["tables", p.name, "columns", c.info.column], table: p.name, column: c.info.column },
        ));
      }
    }
  }
  return issues;
}

/** A stable id of the source database: its cluster's system identifier and the database name. */
export async function sourceId(source: postgres.Sql): Promise<string> {
  const id = await identity(source);
  return `${id.sysid || id.port}:${id.db}`;
}
