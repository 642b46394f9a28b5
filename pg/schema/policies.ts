/**
 * Row-level security policies (`ENABLE`/`FORCE ROW LEVEL SECURITY` are table options, in tables.ts).
 * Post-data, as pg_dump places them: a policy may call functions created after the data. A policy for a
 * role the target lacks cannot be created and is reported up front.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

const COMMAND: Record<string, string> = { r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", "*": "ALL" };

/** Post-data steps creating the policies of the tables in scope; `roles` are those on the target. */
export async function policySteps(
  ctx: PlanContext,
  roles: readonly string[] | undefined,
): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    {
      key: string;
      q: string;
      table: string;
      table_oid: string;
      permissive: boolean;
      command: string;
      roles: { q: string; name: string | null }[];
      qual: string | null;
      check: string | null;
      comment: string | null;
    }[]
  >`
    select 'oth:' || 'pg_policy'::regclass::oid || ':' || p.oid as key, quote_ident(p.polname) as q, p.polrelid::regclass::text as table,
           p.polrelid::text as table_oid, p.polpermissive as permissive, p.polcmd::text as command,
           (select json_agg(json_build_object('q', case when r.oid = 0 then 'PUBLIC' else quote_ident(a.rolname) end,
                                              'name', a.rolname) order by a.rolname nulls first)
              from unnest(p.polroles) r(oid) left join pg_roles a on a.oid = r.oid) as roles,
           pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as check,
           obj_description(p.oid, 'pg_policy') as comment
      from pg_policy p
     where p.polrelid = any(${ctx.scope.rel}::oid[])
     order by p.polrelid, p.polname`;
  const available = roles ? new Set(roles) : null;
  const steps: PlannedStep[] = [];
  for (const p of rows) {
    const name = `${p.q} ON ${p.table}`;
    for (const r of p.roles) {
      if (available && r.name !== null && !available.has(r.name)) {
        ctx.unsupported.push(`policy ${name} (role ${r.name} does not exist on the target)`);
      }
    }
    let sql = `CREATE POLICY ${name} AS ${p.permissive ? "PERMISSIVE" : "RESTRICTIVE"} FOR ${
      COMMAND[p.command]
    }`;
    sql += ` TO ${p.roles.map((r) => r.q).join(", ")}`;
    if (p.qual !== null) sql += ` USING (${p.qual})`;
    if (p.check !== null) sql += ` WITH CHECK (${p.check})`;
    const key = p.key;
    steps.push(planned("post", "policy", name, sql, key, { after: [`rel:${p.table_oid}`] }));
    if (p.comment !== null) {
      steps.push(planned("post", "comment", name, commentSql(`POLICY ${name}`, p.comment), key));
    }
  }
  return steps;
}
