/**
 * User-defined types: enums, domains (with their defaults, NOT NULL and named CHECK constraints), composite
 * types and ranges. Base types need C functions and are reported as unsupported.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface TypeRow {
  oid: string;
  q: string;
  typtype: string;
  comment: string | null;
  labels: string[] | null;
  base: string | null;
  collation: string | null;
  default: string | null;
  not_null: boolean;
  checks: { name: string; def: string; valid: boolean }[] | null;
  attrs: { name: string; type: string; collation: string | null }[] | null;
  range: Record<string, string> | null;
}

/** Steps creating the types in scope. */
export async function typeSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<TypeRow[]>`
    select t.oid::text as oid, t.oid::regtype::text as q, t.typtype, obj_description(t.oid, 'pg_type') as comment,
           case when t.typtype = 'e' then array(
             select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) end as labels,
           case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base,
           case when t.typtype = 'd' and t.typcollation <> bt.typcollation then
             (select quote_ident(cn.nspname) || '.' || quote_ident(c.collname)
                from pg_collation c join pg_namespace cn on cn.oid = c.collnamespace where c.oid = t.typcollation)
           end as collation,
           t.typdefault as default, t.typnotnull as not_null,
           case when t.typtype = 'd' then (
             select coalesce(json_agg(json_build_object('name', quote_ident(k.conname),
                      'def', pg_get_constraintdef(k.oid), 'valid', k.convalidated) order by k.conname), '[]')
               from pg_constraint k where k.contypid = t.oid and k.contype = 'c') end as checks,
           case when t.typtype = 'c' then (
             select coalesce(json_agg(json_build_object('name', quote_ident(a.attname),
                      'type', format_type(a.atttypid, a.atttypmod),
                      'collation', case when a.attcollation <> at.typcollation then
                        (select quote_ident(cn.nspname) || '.' || quote_ident(c.collname)
                           from pg_collation c join pg_namespace cn on cn.oid = c.collnamespace
                          where c.oid = a.attcollation) end) order by a.attnum), '[]')
               from pg_attribute a join pg_type at on at.oid = a.atttypid
              where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) end as attrs,
           case when t.typtype = 'r' then (
             select json_build_object(
                      'subtype', format_type(r.rngsubtype, null),
                      'opclass', case when not oc.opcdefault then
                        quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) end,
                      'collation', case when r.rngcollation <> 0 and r.rngcollation <> st.typcollation then
                        (select quote_ident(cn.nspname) || '.' || quote_ident(c.collname)
                           from pg_collation c join pg_namespace cn on cn.oid = c.collnamespace
                          where c.oid = r.rngcollation) end,
                      'canonical', nullif(r.rngcanonical::oid, 0)::regproc::text,
                      'diff', nullif(r.rngsubdiff::oid, 0)::regproc::text,
                      'multirange', nullif(r.rngmultitypid, 0)::regtype::text)
               from pg_range r
               join pg_type st on st.oid = r.rngsubtype
               join pg_opclass oc on oc.oid = r.rngsubopc
               join pg_namespace ocn on ocn.oid = oc.opcnamespace
              where r.rngtypid = t.oid) end as range
      from pg_type t
      left join pg_type bt on bt.oid = t.typbasetype
      left join pg_class rc on rc.oid = t.typrelid
     where t.oid = any(${ctx.scope.type}::oid[])
       and (t.typtype in ('e', 'd', 'r', 'b') or (t.typtype = 'c' and rc.relkind = 'c'))
     order by t.oid`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const key = `type:${r.oid}`;
    let kind: string;
    let sql: string;
    const later: string[] = [];
    switch (r.typtype) {
      case "e":
        kind = "enum";
        sql = `CREATE TYPE ${r.q} AS ENUM (${r.labels!.map(literal).join(", ")})`;
        break;
      case "d": {
        kind = "domain";
        sql = `CREATE DOMAIN ${r.q} AS ${r.base}`;
        if (r.collation) sql += ` COLLATE ${r.collation}`;
        if (r.default !== null) sql += ` DEFAULT ${r.default}`;
        if (r.not_null) sql += " NOT NULL";
        for (const c of r.checks!) {
          // CREATE DOMAIN takes no NOT VALID: such a constraint is added afterwards, as pg_dump does.
          if (c.valid) sql += ` CONSTRAINT ${c.name} ${c.def}`;
          else later.push(`ALTER DOMAIN ${r.q} ADD CONSTRAINT ${c.name} ${c.def}`);
        }
        break;
      }
      case "c":
        kind = "composite";
        sql = `CREATE TYPE ${r.q} AS (${
          r.attrs!.map((a) => `${a.name} ${a.type}${a.collation ? ` COLLATE ${a.collation}` : ""}`).join(", ")
        })`;
        break;
      case "r": {
        kind = "range";
        const g = r.range!;
        const opts = [`subtype = ${g.subtype}`];
        if (g.opclass) opts.push(`subtype_opclass = ${g.opclass}`);
        if (g.collation) opts.push(`collation = ${g.collation}`);
        if (g.canonical) opts.push(`canonical = ${g.canonical}`);
        if (g.diff) opts.push(`subtype_diff = ${g.diff}`);
        if (g.multirange && ctx.targetVersion >= 140000) opts.push(`multirange_type_name = ${g.multirange}`);
        sql = `CREATE TYPE ${r.q} AS RANGE (${opts.join(", ")})`;
        if (g.canonical) {
          ctx.unsupported.push(`range type ${r.q} (its canonical function needs a shell type)`);
        }
        break;
      }
      default:
        ctx.unsupported.push(`base type ${r.q} (needs C input and output functions)`);
        continue;
    }
    steps.push(planned("pre", kind, r.q, sql, key));
    for (const s of later) steps.push(planned("pre", "domain constraint", r.q, s, key));
    if (r.comment !== null) {
      const target = r.typtype === "d" ? `DOMAIN ${r.q}` : `TYPE ${r.q}`;
      steps.push(planned("pre", "comment", r.q, commentSql(target, r.comment), key));
    }
  }
  return steps;
}
