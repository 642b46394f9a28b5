/**
 * Objects `schema: copy` does not recreate, found before anything is created so the copy fails whole
 * rather than leaving a half schema: operators and their classes, collations, text search objects,
 * conversions, foreign tables, row security policies. Extension members are not counted.
 *
 * @module
 */
import type { PlanContext } from "./_context.ts";

/** Adds a description of every unsupported object in scope to `ctx.unsupported`. */
export async function findUnsupported(ctx: PlanContext): Promise<void> {
  const rows = await ctx.sql<{ what: string }[]>`
    with own as (
      select n.oid from pg_namespace n where n.oid = any(${ctx.scope.nsp}::oid[])
    ), member as (
      select d.classid, d.objid from pg_depend d where d.deptype = 'e'
    )
    select 'operator ' || o.oid::regoperator::text as what from pg_operator o
     where o.oprnamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_operator'::regclass and m.objid = o.oid)
    union all
    select 'operator class ' || quote_ident(n.nspname) || '.' || quote_ident(c.opcname) from pg_opclass c
      join pg_namespace n on n.oid = c.opcnamespace
     where c.opcnamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_opclass'::regclass and m.objid = c.oid)
    union all
    select 'operator family ' || quote_ident(n.nspname) || '.' || quote_ident(f.opfname) from pg_opfamily f
      join pg_namespace n on n.oid = f.opfnamespace
     where f.opfnamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_opfamily'::regclass and m.objid = f.oid)
    union all
    select 'collation ' || quote_ident(n.nspname) || '.' || quote_ident(c.collname) from pg_collation c
      join pg_namespace n on n.oid = c.collnamespace
     where c.collnamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_collation'::regclass and m.objid = c.oid)
    union all
    select 'text search configuration ' || c.oid::regconfig::text from pg_ts_config c
     where c.cfgnamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_ts_config'::regclass and m.objid = c.oid)
    union all
    select 'text search dictionary ' || d.oid::regdictionary::text from pg_ts_dict d
     where d.dictnamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_ts_dict'::regclass and m.objid = d.oid)
    union all
    select 'conversion ' || quote_ident(n.nspname) || '.' || quote_ident(c.conname) from pg_conversion c
      join pg_namespace n on n.oid = c.connamespace
     where c.connamespace in (select oid from own)
       and not exists (select 1 from member m where m.classid = 'pg_conversion'::regclass and m.objid = c.oid)
    union all
    select 'foreign table ' || c.oid::regclass::text from pg_class c
     where c.relnamespace in (select oid from own) and c.relkind = 'f'
       and not exists (select 1 from member m where m.classid = 'pg_class'::regclass and m.objid = c.oid)
    union all
    select 'row security policy ' || quote_ident(p.polname) || ' on ' || p.polrelid::regclass::text from pg_policy p
     where p.polrelid = any(${ctx.scope.rel}::oid[])
    order by 1`;
  for (const r of rows) ctx.unsupported.push(r.what);
}
