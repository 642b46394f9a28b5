/**
 * Views and materialized views (created `WITH NO DATA`, refreshed once the data is in when the source's
 * was populated), their column defaults and comments, and the rewrite rules of tables and views other than
 * a view's own. Rendered by `pg_get_viewdef` and `pg_get_ruledef`.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface ViewRow {
  oid: string;
  q: string;
  kind: "v" | "m";
  def: string;
  options: string[] | null;
  populated: boolean;
  comment: string | null;
  columns: { q: string; default: string | null; comment: string | null }[];
}

/** Post-data steps for views, and the refresh steps of the populated materialized views. */
export async function viewSteps(ctx: PlanContext): Promise<{ steps: PlannedStep[]; refresh: PlannedStep[] }> {
  const rows = await ctx.sql<ViewRow[]>`
    select c.oid::text as oid, c.oid::regclass::text as q, c.relkind as kind, pg_get_viewdef(c.oid) as def,
           c.reloptions as options, c.relispopulated as populated, obj_description(c.oid, 'pg_class') as comment,
           (select coalesce(json_agg(json_build_object('q', quote_ident(a.attname),
                    'default', pg_get_expr(d.adbin, d.adrelid), 'comment', col_description(c.oid, a.attnum))
                    order by a.attnum), '[]')
              from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
      from pg_class c
     where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind in ('v', 'm')
     order by c.oid`;
  const steps: PlannedStep[] = [];
  const refresh: PlannedStep[] = [];
  for (const v of rows) {
    const key = `rel:${v.oid}`;
    const body = v.def.trim().replace(/;$/, "");
    const opts = v.options?.length ? ` WITH (${v.options.map(option).join(", ")})` : "";
    const matview = v.kind === "m";
    const sql = matview
      ? `CREATE MATERIALIZED VIEW ${v.q}${opts} AS\n${body}\nWITH NO DATA`
      : `CREATE VIEW ${v.q}${opts} AS\n${body}`;
    steps.push(planned("post", matview ? "materialized view" : "view", v.q, sql, key));
    const what = matview ? "MATERIALIZED VIEW" : "VIEW";
    for (const c of v.columns) {
      if (c.default !== null) {
        steps.push(
          planned(
            "post",
            "view default",
            v.q,
            `ALTER ${what} ${v.q} ALTER COLUMN ${c.q} SET DEFAULT ${c.default}`,
            key,
          ),
        );
      }
    }
    if (v.comment !== null) {
      steps.push(planned("post", "comment", v.q, commentSql(`${what} ${v.q}`, v.comment), key));
    }
    for (const c of v.columns) {
      if (c.comment !== null) {
        steps.push(
          planned("post", "comment", `${v.q}.${c.q}`, commentSql(`COLUMN ${v.q}.${c.q}`, c.comment), key),
        );
      }
    }
    if (matview && v.populated) {
      refresh.push(planned("refresh", "refresh", v.q, `REFRESH MATERIALIZED VIEW ${v.q}`, `ref:${v.oid}`));
    }
  }
  return { steps: [...steps, ...await ruleSteps(ctx)], refresh };
}

async function ruleSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    { oid: string; name: string; table_oid: string; def: string; comment: string | null }[]
  >`
    select w.oid::text as oid, w.ev_class::regclass::text || '.' || quote_ident(w.rulename) as name,
           w.ev_class::text as table_oid, pg_get_ruledef(w.oid) as def,
           obj_description(w.oid, 'pg_rewrite') as comment
      from pg_rewrite w
     where w.ev_class = any(${ctx.scope.rel}::oid[]) and w.rulename <> '_RETURN'
     order by w.oid`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const key = `rule:${r.oid}`;
    steps.push(
      planned("post", "rule", r.name, r.def.trim().replace(/;$/, ""), key, { after: [`rel:${r.table_oid}`] }),
    );
    if (r.comment !== null) {
      const [table, rule] = [
        r.name.slice(0, r.name.lastIndexOf(".")),
        r.name.slice(r.name.lastIndexOf(".") + 1),
      ];
      steps.push(planned("post", "comment", r.name, commentSql(`RULE ${rule} ON ${table}`, r.comment), key));
    }
  }
  return steps;
}

function option(o: string): string {
  const i = o.indexOf("=");
  return i < 0 ? o : `${o.slice(0, i)}=${literal(o.slice(i + 1))}`;
}
