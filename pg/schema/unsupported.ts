/**
 * What `schema: copy` leaves out: on purpose, each with a note (publications: a masked copy should not
 * feed logical replication; subscriptions: nor pull from production), or because it cannot recreate it
 * (procedural languages, access methods and transforms outside extensions), named in the up-front error.
 *
 * @module
 */
import type { PlanContext } from "./_context.ts";

/** Adds a note for every publication of a table in scope (or of all tables) and every subscription. */
export async function noteSkipped(ctx: PlanContext): Promise<void> {
  const rows = await ctx.sql<{ what: string }[]>`
    select 'publication ' || quote_ident(p.pubname) as what from pg_publication p
     where p.puballtables
        or exists (select 1 from pg_publication_rel r where r.prpubid = p.oid and r.prrelid = any(${ctx.scope.rel}::oid[]))
        or ${
    ctx.sourceVersion >= 150000
      ? ctx.sql`exists (select 1 from pg_publication_namespace s
                         where s.pnpubid = p.oid and s.pnnspid = any(${ctx.scope.nsp}::oid[]))`
      : ctx.sql`false`
  }
    union all
    select 'subscription ' || quote_ident(s.subname) from pg_subscription s
     where s.subdbid = (select oid from pg_database where datname = current_database())
    order by 1`;
  for (const r of rows) {
    ctx.notes.push(`${r.what} is not copied: a masked copy neither publishes nor subscribes`);
  }
}

/** Catalogs whose objects the planner renders, or that come with an object it renders. */
const RENDERED = [
  "pg_operator",
  "pg_opclass",
  "pg_opfamily",
  "pg_amop",
  "pg_amproc",
  "pg_collation",
  "pg_conversion",
  "pg_cast",
  "pg_ts_parser",
  "pg_ts_template",
  "pg_ts_dict",
  "pg_ts_config",
  "pg_foreign_data_wrapper",
  "pg_foreign_server",
  "pg_user_mapping",
  "pg_policy",
  "pg_event_trigger",
  "pg_default_acl",
  // publications are noted, not copied
  "pg_publication",
  "pg_publication_rel",
  "pg_publication_namespace",
];

/**
 * Adds to `ctx.unsupported` every object in scope of a kind the planner does not render (procedural
 * languages, access methods, transforms outside extensions), so nothing is silently left out.
 */
export async function findUnsupported(ctx: PlanContext): Promise<void> {
  const rows = await ctx.sql<{ what: string }[]>`
    select pg_describe_object(split_part(k, ':', 2)::oid, split_part(k, ':', 3)::oid, 0) as what
      from unnest(${ctx.scope.other}::text[]) k
     where split_part(k, ':', 2)::oid::regclass::text <> all(${RENDERED}::text[])
    union all
    select pg_describe_object('pg_transform'::regclass, t.oid, 0) from pg_transform t
     where t.oid >= 16384 and t.trftype = any(${ctx.scope.type}::oid[])
       and not exists (select 1 from pg_depend d where d.classid = 'pg_transform'::regclass and d.objid = t.oid
                          and d.deptype = 'e')
    order by 1`;
  for (const r of rows) ctx.unsupported.push(`${r.what} (this kind of object is not copied)`);
}
