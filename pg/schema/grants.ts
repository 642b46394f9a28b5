/**
 * Privileges, when asked for: `GRANT` for every privilege an object's ACL gives to someone other than its
 * owner, and `REVOKE … FROM PUBLIC` where the source took away a default one (EXECUTE on a function, USAGE
 * on a type). Ownership is never copied: the target's objects belong to whoever runs the copy. Grants to
 * roles missing on the target are left out, with a note. The target's own public schema keeps its
 * privileges. Post-data, after the objects they concern.
 *
 * @module
 */
import { planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface AclRow {
  kind: string;
  q: string;
  col: string | null;
  key: string;
  granted: { grantee: string; role: string | null; privilege: string; grantable: boolean }[] | null;
  revoked: string[] | null;
}

/** Post-data steps restoring the privileges of the objects in scope; `roles` are those on the target. */
export async function grantSteps(
  ctx: PlanContext,
  roles: readonly string[] | undefined,
): Promise<PlannedStep[]> {
  const rows = await ctx.sql<AclRow[]>`
    with objs as (
      select case when c.relkind = 'S' then 'SEQUENCE' else 'TABLE' end as kind, c.oid::regclass::text as q,
             null::text as col, 'rel:' || c.oid as key, c.relacl as acl, c.relowner as owner,
             case when c.relkind = 'S' then 's' else 'r' end as deftype
        from pg_class c where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind in ('r', 'p', 'v', 'm', 'S')
      union all
      select 'TABLE', c.oid::regclass::text, quote_ident(a.attname), 'rel:' || c.oid, a.attacl, c.relowner, 'c'
        from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind in ('r', 'p', 'v', 'm') and a.attnum > 0
         and not a.attisdropped and a.attacl is not null
      union all
      select 'SCHEMA', quote_ident(n.nspname), null, 'nsp:' || n.oid, n.nspacl, n.nspowner, 'n'
        from pg_namespace n where n.oid = any(${ctx.scope.nsp}::oid[]) and n.nspname <> 'public'
      union all
      select case when p.prokind = 'p' then 'PROCEDURE' else 'FUNCTION' end, p.oid::regprocedure::text, null,
             'proc:' || p.oid, p.proacl, p.proowner, 'f'
        from pg_proc p where p.oid = any(${ctx.scope.proc}::oid[]) and p.prokind in ('f', 'p', 'w')
      union all
      select case when t.typtype = 'd' then 'DOMAIN' else 'TYPE' end, t.oid::regtype::text, null, 'type:' || t.oid,
             t.typacl, t.typowner, 'T'
        from pg_type t where t.oid = any(${ctx.scope.type}::oid[]) and t.typtype in ('e', 'd', 'r', 'c')
    )
    select o.kind, o.q, o.col, o.key,
           (select json_agg(json_build_object('grantee', case when e.grantee = 0 then 'PUBLIC' else quote_ident(r.rolname) end,
                      'role', r.rolname, 'privilege', e.privilege_type, 'grantable', e.is_grantable)
                      order by e.grantee, e.privilege_type)
              from aclexplode(o.acl) e left join pg_roles r on r.oid = e.grantee
             where e.grantee <> o.owner) as granted,
           (select json_agg(d.privilege_type order by d.privilege_type)
              from aclexplode(acldefault(o.deftype::"char", o.owner)) d
             where d.grantee = 0 and not exists (
               select 1 from aclexplode(o.acl) e where e.grantee = 0 and e.privilege_type = d.privilege_type)) as revoked
      from objs o
     where o.acl is not null
     order by o.key, o.col nulls first`;
  const available = roles ? new Set(roles) : null;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const on = r.col === null ? `${r.kind} ${r.q}` : `TABLE ${r.q}`;
    const cols = r.col === null ? "" : ` (${r.col})`;
    const label = r.col === null ? r.q : `${r.q}.${r.col}`;
    const key = `acl:${r.key}`;
    const after = { after: [r.key] };
    if (r.revoked?.length) {
      const sql = `REVOKE ${r.revoked.join(", ")} ON ${on} FROM PUBLIC`;
      steps.push(planned("post", "revoke", label, sql, key, after));
    }
    const byGrantee = new Map<string, { grantee: string; grantable: boolean; privs: string[] }>();
    for (const g of r.granted ?? []) {
      if (available && g.role !== null && !available.has(g.role)) {
        ctx.notes.push(`privileges of role ${g.role} are not copied: the role does not exist on the target`);
        continue;
      }
      const id = `${g.grantable ? 1 : 0}:${g.grantee}`;
      const entry = byGrantee.get(id) ?? { grantee: g.grantee, grantable: g.grantable, privs: [] };
      entry.privs.push(`${g.privilege}${cols}`);
      byGrantee.set(id, entry);
    }
    for (const { grantee, grantable, privs } of byGrantee.values()) {
      const sql = `GRANT ${privs.join(", ")} ON ${on} TO ${grantee}${grantable ? " WITH GRANT OPTION" : ""}`;
      steps.push(planned("post", "grant", label, sql, key, after));
    }
  }
  return steps;
}
