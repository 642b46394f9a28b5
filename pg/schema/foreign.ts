/**
 * Foreign-data wrappers (a superuser creates them), their servers, user mappings and foreign tables, pre-data.
 * Options that hold a password or another secret are never copied: each one left out is a note, so the
 * target's owner can set it. Foreign tables get no rows: they live elsewhere.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

/** Option names that hold secrets (libpq's `password`, `sslpassword`, tokens, keys, credentials). */
const SECRET = "(pass(word|wd)?|secret|token|api_?key|credential)";

interface Options {
  /** `name 'value'` pairs, secrets left out. */
  kept: string[];
  /** Names of the secret options left out. */
  secret: string[];
}

const options = (column: string) => `
  json_build_object(
    'kept', array(select quote_ident(o.option_name) || ' ' || quote_literal(o.option_value)
                    from pg_options_to_table(${column}) o where o.option_name !~* '${SECRET}'),
    'secret', array(select o.option_name from pg_options_to_table(${column}) o where o.option_name ~* '${SECRET}'))`;

function withOptions(o: Options): string {
  return o.kept.length ? ` OPTIONS (${o.kept.join(", ")})` : "";
}

/** Pre-data steps creating the wrappers, servers, user mappings and foreign tables in scope. */
export async function foreignSteps(
  ctx: PlanContext,
  roles: readonly string[] | undefined,
): Promise<PlannedStep[]> {
  const inScope = (catalog: string, oid: string) =>
    `('oth:' || '${catalog}'::regclass::oid || ':' || ${oid}) = any('${ctx.scope.other}'::text[])`;
  const wrappers = await ctx.sql.unsafe<
    {
      key: string;
      q: string;
      handler: string | null;
      validator: string | null;
      options: Options;
      comment: string | null;
    }[]
  >(`
    select 'oth:' || 'pg_foreign_data_wrapper'::regclass::oid || ':' || w.oid as key, quote_ident(w.fdwname) as q,
           nullif(w.fdwhandler, 0)::regproc::text as handler, nullif(w.fdwvalidator, 0)::regproc::text as validator,
           ${options("w.fdwoptions")} as options, obj_description(w.oid, 'pg_foreign_data_wrapper') as comment
      from pg_foreign_data_wrapper w where ${inScope("pg_foreign_data_wrapper", "w.oid")} order by w.oid`);
  const servers = await ctx.sql.unsafe<
    {
      key: string;
      oid: string;
      q: string;
      type: string | null;
      version: string | null;
      fdw: string;
      fdw_key: string;
      options: Options;
      comment: string | null;
    }[]
  >(`
    select 'oth:' || 'pg_foreign_server'::regclass::oid || ':' || s.oid as key, s.oid::text as oid,
           quote_ident(s.srvname) as q, s.srvtype as type, s.srvversion as version, quote_ident(w.fdwname) as fdw,
           'oth:' || 'pg_foreign_data_wrapper'::regclass::oid || ':' || w.oid as fdw_key,
           ${options("s.srvoptions")} as options, obj_description(s.oid, 'pg_foreign_server') as comment
      from pg_foreign_server s join pg_foreign_data_wrapper w on w.oid = s.srvfdw
     where ${inScope("pg_foreign_server", "s.oid")} order by s.oid`);
  const serverOids = servers.map((s) => s.oid);
  const mappings = serverOids.length === 0 ? [] : await ctx.sql.unsafe<
    {
      oid: string;
      user: string | null;
      user_q: string;
      server: string;
      server_key: string;
      options: Options;
    }[]
  >(`
    select m.oid::text as oid, a.rolname as user, coalesce(quote_ident(a.rolname), 'PUBLIC') as user_q,
           quote_ident(s.srvname) as server,
           'oth:' || 'pg_foreign_server'::regclass::oid || ':' || s.oid as server_key,
           ${options("m.umoptions")} as options
      from pg_user_mapping m join pg_foreign_server s on s.oid = m.umserver left join pg_roles a on a.oid = m.umuser
     where m.umserver = any('{${serverOids.join(",")}}'::oid[]) order by m.oid`);
  const tables = await ctx.sql<
    {
      oid: string;
      q: string;
      server: string;
      server_key: string;
      options: Options;
      columns: {
        q: string;
        type: string;
        collation: string | null;
        not_null: boolean;
        default: string | null;
        options: string[];
        comment: string | null;
      }[];
      comment: string | null;
    }[]
  >`
    select c.oid::text as oid, c.oid::regclass::text as q, quote_ident(s.srvname) as server,
           'oth:' || 'pg_foreign_server'::regclass::oid || ':' || s.oid as server_key,
           json_build_object('kept', array(select quote_ident(o.option_name) || ' ' || quote_literal(o.option_value)
                                             from pg_options_to_table(f.ftoptions) o), 'secret', '{}'::text[]) as options,
           (select json_agg(json_build_object('q', quote_ident(a.attname), 'type', format_type(a.atttypid, a.atttypmod),
                    'collation', case when a.attcollation <> t.typcollation then
                      (select quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                         from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace where co.oid = a.attcollation) end,
                    'not_null', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid),
                    'options', array(select quote_ident(o.option_name) || ' ' || quote_literal(o.option_value)
                                       from pg_options_to_table(a.attfdwoptions) o),
                    'comment', col_description(c.oid, a.attnum)) order by a.attnum)
              from pg_attribute a join pg_type t on t.oid = a.atttypid
              left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
           obj_description(c.oid, 'pg_class') as comment
      from pg_class c join pg_foreign_table f on f.ftrelid = c.oid join pg_foreign_server s on s.oid = f.ftserver
     where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind = 'f' and not c.relispartition
     order by c.oid`;
  const available = roles ? new Set(roles) : null;
  const steps: PlannedStep[] = [];
  const noteSecrets = (what: string, o: Options) => {
    for (const name of o.secret) {
      ctx.notes.push(`option ${name} of ${what} is not copied: it holds a secret; set it on the target`);
    }
  };
  for (const w of wrappers) {
    let sql = `CREATE FOREIGN DATA WRAPPER ${w.q}`;
    if (w.handler) sql += ` HANDLER ${w.handler}`;
    if (w.validator) sql += ` VALIDATOR ${w.validator}`;
    noteSecrets(`foreign-data wrapper ${w.q}`, w.options);
    steps.push(planned("pre", "foreign-data wrapper", w.q, sql + withOptions(w.options), w.key));
    if (w.comment !== null) {
      steps.push(planned("pre", "comment", w.q, commentSql(`FOREIGN DATA WRAPPER ${w.q}`, w.comment), w.key));
    }
  }
  for (const s of servers) {
    let sql = `CREATE SERVER ${s.q}`;
    if (s.type !== null) sql += ` TYPE ${literal(s.type)}`;
    if (s.version !== null) sql += ` VERSION ${literal(s.version)}`;
    sql += ` FOREIGN DATA WRAPPER ${s.fdw}`;
    noteSecrets(`server ${s.q}`, s.options);
    steps.push(planned("pre", "server", s.q, sql + withOptions(s.options), s.key, { after: [s.fdw_key] }));
    if (s.comment !== null) {
      steps.push(planned("pre", "comment", s.q, commentSql(`SERVER ${s.q}`, s.comment), s.key));
    }
  }
  for (const m of mappings) {
    const user = m.user_q;
    const what = `user mapping for ${user} on server ${m.server}`;
    if (available && m.user !== null && !available.has(m.user)) {
      ctx.notes.push(`${what} is not copied: the role does not exist on the target`);
      continue;
    }
    noteSecrets(what, m.options);
    const sql = `CREATE USER MAPPING FOR ${user} SERVER ${m.server}${withOptions(m.options)}`;
    steps.push(planned("pre", "user mapping", what, sql, `oth:um:${m.oid}`, { after: [m.server_key] }));
  }
  for (const t of tables) {
    const lines = t.columns.map((c) => {
      let line = `${c.q} ${c.type}`;
      if (c.options.length) line += ` OPTIONS (${c.options.join(", ")})`;
      if (c.collation) line += ` COLLATE ${c.collation}`;
      if (c.default !== null) line += ` DEFAULT ${c.default}`;
      if (c.not_null) line += " NOT NULL";
      return line;
    });
    const sql = `CREATE FOREIGN TABLE ${t.q} (\n    ${lines.join(",\n    ")}\n) SERVER ${t.server}${
      withOptions(t.options)
    }`;
    const key = `rel:${t.oid}`;
    steps.push(planned("pre", "foreign table", t.q, sql, key, { after: [t.server_key] }));
    if (t.comment !== null) {
      steps.push(planned("pre", "comment", t.q, commentSql(`FOREIGN TABLE ${t.q}`, t.comment), key));
    }
    for (const c of t.columns) {
      if (c.comment !== null) {
        steps.push(
          planned("pre", "comment", `${t.q}.${c.q}`, commentSql(`COLUMN ${t.q}.${c.q}`, c.comment), key),
        );
      }
    }
  }
  return steps;
}
