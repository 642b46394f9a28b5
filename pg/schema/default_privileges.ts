/**
 * Default privileges (`ALTER DEFAULT PRIVILEGES`), copied with the other privileges when asked for. They
 * run last, as pg_restore places them: set earlier, they would change the privileges of the objects the
 * copy creates. A global entry replaces the built-in default, so it is rendered as the grants and revokes
 * that turn one into the other; an entry for a schema only adds grants.
 *
 * @module
 */
import { planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

const OBJECTS: Record<string, string> = {
  r: "TABLES",
  S: "SEQUENCES",
  f: "FUNCTIONS",
  T: "TYPES",
  n: "SCHEMAS",
};

/** Final steps restoring the default privileges of the selected schemas and the global ones. */
export async function defaultPrivilegeSteps(
  ctx: PlanContext,
  roles: readonly string[] | undefined,
): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    {
      oid: string;
      role: string;
      role_q: string;
      schema_q: string | null;
      objtype: string;
      changes: {
        grant: boolean;
        grantee_q: string;
        grantee: string | null;
        privilege: string;
        grantable: boolean;
      }[];
    }[]
  >`
    with d as (
      select a.*, case a.defaclobjtype when 'S' then 's' else a.defaclobjtype end as deftype
        from pg_default_acl a
       where a.defaclnamespace = 0 or a.defaclnamespace = any(${ctx.scope.nsp}::oid[])
    )
    select d.oid::text as oid, r.rolname as role, quote_ident(r.rolname) as role_q,
           quote_ident(n.nspname) as schema_q, d.defaclobjtype::text as objtype,
           (select coalesce(json_agg(json_build_object('grant', x.grant, 'grantee_q',
                      case when x.grantee = 0 then 'PUBLIC' else quote_ident(g.rolname) end, 'grantee', g.rolname,
                      'privilege', x.privilege_type, 'grantable', x.is_grantable)
                      order by x.grant, x.grantee, x.privilege_type), '[]')
              from (select true as grant, e.* from aclexplode(d.defaclacl) e
                     where d.defaclnamespace <> 0 or not exists (
                       select 1 from aclexplode(acldefault(d.deftype::"char", d.defaclrole)) z
                        where z.grantee = e.grantee and z.privilege_type = e.privilege_type
                          and z.is_grantable = e.is_grantable)
                    union all
                    select false, z.* from aclexplode(acldefault(d.deftype::"char", d.defaclrole)) z
                     where d.defaclnamespace = 0 and not exists (
                       select 1 from aclexplode(d.defaclacl) e
                        where z.grantee = e.grantee and z.privilege_type = e.privilege_type)) x
              left join pg_roles g on g.oid = x.grantee) as changes
      from d join pg_roles r on r.oid = d.defaclrole left join pg_namespace n on n.oid = d.defaclnamespace
     order by r.rolname, n.nspname nulls first, d.defaclobjtype`;
  const available = roles ? new Set(roles) : null;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    if (available && !available.has(r.role)) {
      ctx.notes.push(
        `default privileges of role ${r.role} are not copied: the role does not exist on the target`,
      );
      continue;
    }
    const head = `ALTER DEFAULT PRIVILEGES FOR ROLE ${r.role_q}${
      r.schema_q ? ` IN SCHEMA ${r.schema_q}` : ""
    }`;
    const label = `${r.role}${r.schema_q ? ` in ${r.schema_q}` : ""} on ${OBJECTS[r.objtype].toLowerCase()}`;
    const groups = new Map<
      string,
      { grant: boolean; grantee_q: string; grantable: boolean; privs: string[] }
    >();
    for (const c of r.changes) {
      if (available && c.grantee !== null && !available.has(c.grantee)) {
        ctx.notes.push(
          `default privileges for role ${c.grantee} are not copied: the role does not exist on the target`,
        );
        continue;
      }
      const id = `${c.grant}:${c.grantable}:${c.grantee_q}`;
      const g = groups.get(id) ??
        { grant: c.grant, grantee_q: c.grantee_q, grantable: c.grantable, privs: [] };
      g.privs.push(c.privilege);
      groups.set(id, g);
    }
    for (const g of groups.values()) {
      const on = `${g.privs.join(", ")} ON ${OBJECTS[r.objtype]}`;
      const sql = g.grant
        ? `${head} GRANT ${on} TO ${g.grantee_q}${g.grantable ? " WITH GRANT OPTION" : ""}`
        : `${head} REVOKE ${on} FROM ${g.grantee_q}`;
      steps.push(planned("final", "default privileges", label, sql, `oth:dacl:${r.oid}`));
    }
  }
  return steps;
}
