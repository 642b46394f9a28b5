/**
 * Functions and procedures, rendered by `pg_get_functiondef`. The planner decides which go before the
 * tables (those a default, check, generated column, index or type needs) and which after the data.
 * Aggregates have their own renderer (aggregates.ts).
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

/** Steps creating the functions and procedures in scope, all marked post-data for the planner to move. */
export async function functionSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    { oid: string; q: string; kind: string; def: string | null; comment: string | null }[]
  >`
    select p.oid::text as oid, p.oid::regprocedure::text as q, p.prokind as kind,
           case when p.prokind in ('f', 'p', 'w') then pg_get_functiondef(p.oid) end as def,
           obj_description(p.oid, 'pg_proc') as comment
      from pg_proc p
     where p.oid = any(${ctx.scope.proc}::oid[]) and p.prokind <> 'a'
       -- a range's constructors come with the range
       and not exists (select 1 from pg_depend d
                        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'i')
     order by p.oid`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    if (r.def === null) continue;
    const key = `proc:${r.oid}`;
    const kind = r.kind === "p" ? "procedure" : "function";
    steps.push(planned("post", kind, r.q, r.def.trimEnd(), key));
    if (r.comment !== null) {
      steps.push(planned("post", "comment", r.q, commentSql(`${kind.toUpperCase()} ${r.q}`, r.comment), key));
    }
  }
  return steps;
}
