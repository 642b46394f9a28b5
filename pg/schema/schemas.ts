/**
 * Schemas: `CREATE SCHEMA IF NOT EXISTS` for every schema something in scope lives in, with its comment.
 * No owner and no grants: the target's objects belong to whoever runs the copy.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

/** Steps creating the schemas in scope. */
export async function schemaSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<{ oid: string; name: string; q: string; comment: string | null }[]>`
    select n.oid::text as oid, n.nspname as name, quote_ident(n.nspname) as q,
           obj_description(n.oid, 'pg_namespace') as comment
      from pg_namespace n
     where n.oid = any(${ctx.scope.nsp}::oid[])
     order by n.nspname`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const key = `nsp:${r.oid}`;
    if (r.name !== "public") {
      steps.push(planned("pre", "schema", r.name, `CREATE SCHEMA IF NOT EXISTS ${r.q}`, key));
    }
    // The target's own public schema already carries the standard comment.
    if (r.comment !== null && !(r.name === "public" && r.comment === "standard public schema")) {
      steps.push(planned("pre", "comment", r.name, commentSql(`SCHEMA ${r.q}`, r.comment), key));
    }
    if (!ctx.selected.has(r.name) && r.name !== "public") {
      ctx.notes.push(`schema ${r.name} is not selected but is created because selected objects need it`);
    }
  }
  return steps;
}
