/**
 * Security labels (`SECURITY LABEL FOR provider ON …`) of the objects in scope, rendered from the
 * pg_seclabels view, whose object type and name are already in the statement's form. The target needs the
 * same label provider loaded. Last, after every object they label exists.
 *
 * @module
 */
import { literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

/** Final steps restoring the security labels of the objects in scope. */
export async function securityLabelSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    { key: string; objtype: string; objname: string; provider: string; label: string }[]
  >`
    select s.classoid || ':' || s.objoid || ':' || s.objsubid as key, upper(s.objtype) as objtype, s.objname,
           quote_ident(s.provider) as provider, s.label
      from pg_seclabels s
     where case s.classoid
             when 'pg_class'::regclass then s.objoid = any(${ctx.scope.rel}::oid[])
             when 'pg_proc'::regclass then s.objoid = any(${ctx.scope.proc}::oid[])
             when 'pg_type'::regclass then s.objoid = any(${ctx.scope.type}::oid[])
             when 'pg_namespace'::regclass then s.objoid = any(${ctx.scope.nsp}::oid[])
             else ('oth:' || s.classoid || ':' || s.objoid) = any(${ctx.scope.other}::text[]) end
     order by 1, s.provider`;
  return rows.map((r) =>
    planned(
      "final",
      "security label",
      `${r.objtype.toLowerCase()} ${r.objname}`,
      `SECURITY LABEL FOR ${r.provider} ON ${r.objtype} ${r.objname} IS ${literal(r.label)}`,
      `oth:label:${r.key}`,
    )
  );
}
