/**
 * Casts, collations and conversions: small catalog objects rendered whole, pre-data (a column's collation,
 * a default's cast, a generated column's conversion come before the tables).
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface Row {
  key: string;
  name: string;
  sql: string;
  target: string;
  comment: string | null;
}

const CONTEXT: Record<string, string> = { a: " AS ASSIGNMENT", i: " AS IMPLICIT", e: "" };

/** Pre-data steps creating the casts, collations and conversions in scope. */
export async function castSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const casts = await ctx.sql<(Row & { method: string; func: string | null; context: string })[]>`
    select 'oth:' || 'pg_cast'::regclass::oid || ':' || c.oid as key,
           '(' || format_type(c.castsource, null) || ' AS ' || format_type(c.casttarget, null) || ')' as name,
           c.castmethod as method, nullif(c.castfunc, 0)::regprocedure::text as func, c.castcontext as context,
           obj_description(c.oid, 'pg_cast') as comment
      from pg_cast c
     where ('oth:' || 'pg_cast'::regclass::oid || ':' || c.oid) = any(${ctx.scope.other}::text[])
       -- a range's cast to its multirange comes with the range
       and not exists (select 1 from pg_depend d where d.classid = 'pg_cast'::regclass and d.objid = c.oid
                          and d.deptype = 'i')
     order by c.oid`;
  const collations = await ctx.sql<(Row & { options: string[] })[]>`
    select 'oth:' || 'pg_collation'::regclass::oid || ':' || c.oid as key,
           quote_ident(n.nspname) || '.' || quote_ident(c.collname) as name,
           array_remove(array[
             'provider = ' || case c.collprovider when 'i' then 'icu' when 'c' then 'libc' else 'builtin' end,
             case when not c.collisdeterministic then 'deterministic = false' end,
             case when c.collprovider = 'c' and c.collcollate = c.collctype then 'locale = ' || quote_literal(c.collcollate)
                  when c.collprovider = 'c' then 'lc_collate = ' || quote_literal(c.collcollate) || ', lc_ctype = '
                    || quote_literal(c.collctype)
                  else 'locale = ' || quote_literal(coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale',
                                                             c.collcollate)) end,
             'rules = ' || quote_literal(to_jsonb(c) ->> 'collicurules')
           ], null) as options,
           obj_description(c.oid, 'pg_collation') as comment
      from pg_collation c join pg_namespace n on n.oid = c.collnamespace
     where ('oth:' || 'pg_collation'::regclass::oid || ':' || c.oid) = any(${ctx.scope.other}::text[])
     order by c.oid`;
  const conversions = await ctx.sql<Row[]>`
    select 'oth:' || 'pg_conversion'::regclass::oid || ':' || c.oid as key,
           quote_ident(n.nspname) || '.' || quote_ident(c.conname) as name,
           'CREATE ' || case when c.condefault then 'DEFAULT ' else '' end || 'CONVERSION '
             || quote_ident(n.nspname) || '.' || quote_ident(c.conname)
             || ' FOR ' || quote_literal(pg_encoding_to_char(c.conforencoding))
             || ' TO ' || quote_literal(pg_encoding_to_char(c.contoencoding)) || ' FROM ' || c.conproc::text as sql,
           obj_description(c.oid, 'pg_conversion') as comment
      from pg_conversion c join pg_namespace n on n.oid = c.connamespace
     where ('oth:' || 'pg_conversion'::regclass::oid || ':' || c.oid) = any(${ctx.scope.other}::text[])
     order by c.oid`;
  const steps: PlannedStep[] = [];
  const add = (
    kind: string,
    what: string,
    r: { key: string; name: string; comment: string | null },
    sql: string,
  ) => {
    steps.push(planned("pre", kind, r.name, sql, r.key));
    if (r.comment !== null) {
      steps.push(planned("pre", "comment", r.name, commentSql(`${what} ${r.name}`, r.comment), r.key));
    }
  };
  for (const c of collations) {
    add("collation", "COLLATION", c, `CREATE COLLATION ${c.name} (${c.options.join(", ")})`);
  }
  for (const c of conversions) add("conversion", "CONVERSION", c, c.sql);
  for (const c of casts) {
    const how = c.method === "f"
      ? `WITH FUNCTION ${c.func}`
      : c.method === "i"
      ? "WITH INOUT"
      : "WITHOUT FUNCTION";
    add("cast", "CAST", c, `CREATE CAST ${c.name} ${how}${CONTEXT[c.context]}`);
  }
  return steps;
}
