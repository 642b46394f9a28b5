/**
 * Text search parsers and templates (their functions are C, so only a superuser creates them, on the
 * source and on the target alike), dictionaries and configurations with their token mappings. Pre-data: a
 * generated column or an index expression may name a configuration.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface Row {
  key: string;
  kind: "parser" | "template" | "dictionary" | "configuration";
  name: string;
  sql: string;
  mappings: string[];
  after: string[];
  comment: string | null;
}

/** Pre-data steps creating the text search objects in scope. */
export async function textSearchSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const inScope = (catalog: string, oid: string) =>
    `('oth:' || '${catalog}'::regclass::oid || ':' || ${oid}) = any('${ctx.scope.other}'::text[])`;
  const qname = (nsp: string, name: string) => `quote_ident(${nsp}) || '.' || quote_ident(${name})`;
  const rows = await ctx.sql.unsafe<Row[]>(`
    select 'oth:' || 'pg_ts_parser'::regclass::oid || ':' || p.oid as key, 'parser' as kind,
           ${qname("n.nspname", "p.prsname")} as name,
           'CREATE TEXT SEARCH PARSER ' || ${
    qname("n.nspname", "p.prsname")
  } || ' (START = ' || p.prsstart::text
             || ', GETTOKEN = ' || p.prstoken::text || ', END = ' || p.prsend::text || ', LEXTYPES = '
             || p.prslextype::text || coalesce(', HEADLINE = ' || nullif(p.prsheadline, 0)::regproc::text, '') || ')'
             as sql,
           '{}'::text[] as mappings, '{}'::text[] as after, obj_description(p.oid, 'pg_ts_parser') as comment, 1 as rank, p.oid
      from pg_ts_parser p join pg_namespace n on n.oid = p.prsnamespace where ${
    inScope("pg_ts_parser", "p.oid")
  }
    union all
    select 'oth:' || 'pg_ts_template'::regclass::oid || ':' || t.oid, 'template', ${
    qname("n.nspname", "t.tmplname")
  },
           'CREATE TEXT SEARCH TEMPLATE ' || ${qname("n.nspname", "t.tmplname")} || ' ('
             || coalesce('INIT = ' || nullif(t.tmplinit, 0)::regproc::text || ', ', '') || 'LEXIZE = '
             || t.tmpllexize::text || ')',
           '{}', '{}', obj_description(t.oid, 'pg_ts_template'), 2, t.oid
      from pg_ts_template t join pg_namespace n on n.oid = t.tmplnamespace where ${
    inScope("pg_ts_template", "t.oid")
  }
    union all
    select 'oth:' || 'pg_ts_dict'::regclass::oid || ':' || d.oid, 'dictionary', ${
    qname("n.nspname", "d.dictname")
  },
           'CREATE TEXT SEARCH DICTIONARY ' || ${qname("n.nspname", "d.dictname")} || ' (TEMPLATE = '
             || ${qname("tn.nspname", "t.tmplname")} || coalesce(', ' || d.dictinitoption, '') || ')',
           '{}',
           array['oth:' || 'pg_ts_template'::regclass::oid || ':' || d.dicttemplate],
           obj_description(d.oid, 'pg_ts_dict'), 3, d.oid
      from pg_ts_dict d join pg_namespace n on n.oid = d.dictnamespace
      join pg_ts_template t on t.oid = d.dicttemplate join pg_namespace tn on tn.oid = t.tmplnamespace
     where ${inScope("pg_ts_dict", "d.oid")}
    union all
    select 'oth:' || 'pg_ts_config'::regclass::oid || ':' || c.oid, 'configuration', ${
    qname("n.nspname", "c.cfgname")
  },
           'CREATE TEXT SEARCH CONFIGURATION ' || ${qname("n.nspname", "c.cfgname")} || ' (PARSER = '
             || ${qname("pn.nspname", "p.prsname")} || ')'
             as sql,
           array(select 'ALTER TEXT SEARCH CONFIGURATION ' || ${qname("n.nspname", "c.cfgname")}
                          || ' ADD MAPPING FOR ' || m.alias || ' WITH ' || m.dicts
                   from (select t.tokid, t.alias,
                                string_agg(${
    qname("dn.nspname", "d.dictname")
  }, ', ' order by x.mapseqno) as dicts
                           from pg_ts_config_map x
                           join ts_token_type(c.cfgparser) t on t.tokid = x.maptokentype
                           join pg_ts_dict d on d.oid = x.mapdict join pg_namespace dn on dn.oid = d.dictnamespace
                          where x.mapcfg = c.oid group by t.tokid, t.alias) m order by m.tokid),
           array['oth:' || 'pg_ts_parser'::regclass::oid || ':' || c.cfgparser]
             || array(select distinct 'oth:' || 'pg_ts_dict'::regclass::oid || ':' || x.mapdict
                        from pg_ts_config_map x where x.mapcfg = c.oid),
           obj_description(c.oid, 'pg_ts_config'), 4, c.oid
      from pg_ts_config c join pg_namespace n on n.oid = c.cfgnamespace
      join pg_ts_parser p on p.oid = c.cfgparser join pg_namespace pn on pn.oid = p.prsnamespace
     where ${inScope("pg_ts_config", "c.oid")}
     order by rank, oid`);
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const what = `TEXT SEARCH ${r.kind.toUpperCase()}`;
    steps.push(planned("pre", `text search ${r.kind}`, r.name, r.sql, r.key, { after: r.after }));
    for (const m of r.mappings) steps.push(planned("pre", "text search mapping", r.name, m, r.key));
    if (r.comment !== null) {
      steps.push(planned("pre", "comment", r.name, commentSql(`${what} ${r.name}`, r.comment), r.key));
    }
  }
  return steps;
}
