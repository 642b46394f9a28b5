/**
 * Indexes that do not back a constraint, the `ATTACH PARTITION` linking each partition's index (or
 * constraint index) to its parent's, `CLUSTER ON` and `REPLICA IDENTITY USING INDEX`, and extended
 * statistics objects. All post-data.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface IndexRow {
  oid: string;
  key: string;
  q: string;
  table_oid: string;
  table: string;
  table_kind: string;
  group: string;
  def: string | null;
  parent_q: string | null;
  parent_key: string | null;
  clustered: boolean;
  replident: boolean;
  nulls_not_distinct: boolean;
  comment: string | null;
}

/** Post-data steps for indexes and statistics objects of the relations in scope. */
export async function indexSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<IndexRow[]>`
    with recursive root(oid, top) as (
      select c.oid, c.oid from pg_class c where c.oid = any(${ctx.scope.rel}::oid[])
      union
      select r.oid, i.inhparent from root r join pg_inherits i on i.inhrelid = r.top
    ), roots as (
      select r.oid, r.top::regclass::text as top from root r
       where not exists (select 1 from pg_inherits i where i.inhrelid = r.top)
    ), keyed as (
      select x.indexrelid as oid,
             coalesce((select 'con:' || k.oid from pg_constraint k
                        where k.conindid = x.indexrelid and k.conrelid = x.indrelid and k.contype in ('p', 'u', 'x')),
                      'rel:' || x.indexrelid) as key,
             exists (select 1 from pg_constraint k
                      where k.conindid = x.indexrelid and k.conrelid = x.indrelid and k.contype in ('p', 'u', 'x'))
               as backs_constraint
        from pg_index x where x.indrelid = any(${ctx.scope.rel}::oid[])
    )
    select x.indexrelid::text as oid, ky.key, x.indexrelid::regclass::text as q, t.oid::text as table_oid,
           t.oid::regclass::text as table, t.relkind as table_kind,
           roots.top as group,
           case when not ky.backs_constraint then pg_get_indexdef(x.indexrelid) end as def,
           p.inhparent::regclass::text as parent_q, pk.key as parent_key,
           x.indisclustered as clustered, x.indisreplident as replident,
           ${
    ctx.sourceVersion >= 150000 ? ctx.sql`x.indnullsnotdistinct` : ctx.sql`false`
  } as nulls_not_distinct,
           case when not ky.backs_constraint then obj_description(x.indexrelid, 'pg_class') end as comment
      from pg_index x
      join keyed ky on ky.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join roots on roots.oid = t.oid
      left join pg_inherits p on p.inhrelid = x.indexrelid
      left join keyed pk on pk.oid = p.inhparent
     where x.indrelid = any(${ctx.scope.rel}::oid[]) and t.relkind in ('r', 'p', 'm')
     order by t.oid, x.indexrelid`;
  const steps: PlannedStep[] = [];
  const attach: PlannedStep[] = [];
  for (const x of rows) {
    if (x.nulls_not_distinct && ctx.targetVersion < 150000) {
      ctx.unsupported.push(`index ${x.q} (NULLS NOT DISTINCT needs PostgreSQL 15)`);
    }
    if (x.def !== null) {
      // Indexes of materialized views follow the view; table indexes may be built in parallel per table.
      const table = x.table_kind === "m" ? undefined : x.group;
      steps.push(planned("post", "index", x.q, x.def, x.key, { after: [`rel:${x.table_oid}`], table }));
      if (x.comment !== null) {
        steps.push(planned("post", "comment", x.q, commentSql(`INDEX ${x.q}`, x.comment), `cmt:${x.oid}`, {
          after: [x.key],
        }));
      }
    }
    if (x.parent_q !== null && x.parent_key !== null) {
      attach.push(
        planned(
          "post",
          "attach index",
          x.q,
          `ALTER INDEX ${x.parent_q} ATTACH PARTITION ${x.q}`,
          `iat:${x.oid}`,
          {
            after: [x.key, x.parent_key],
          },
        ),
      );
    }
    if (x.clustered) {
      steps.push(
        planned(
          "post",
          "cluster on",
          x.q,
          `ALTER TABLE ONLY ${x.table} CLUSTER ON ${x.q.replace(/^.*\./, "")}`,
          `clu:${x.oid}`,
          {
            after: [x.key],
          },
        ),
      );
    }
    if (x.replident) {
      const name = x.q.replace(/^.*\./, "");
      steps.push(
        planned(
          "post",
          "replica identity",
          x.table,
          `ALTER TABLE ONLY ${x.table} REPLICA IDENTITY USING INDEX ${name}`,
          `rid:${x.oid}`,
          {
            after: [x.key],
          },
        ),
      );
    }
  }
  return [...steps, ...attach, ...await statisticsSteps(ctx)];
}

async function statisticsSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    { oid: string; q: string; def: string; table_oid: string; comment: string | null }[]
  >`
    select s.oid::text as oid, quote_ident(n.nspname) || '.' || quote_ident(s.stxname) as q,
           pg_get_statisticsobjdef(s.oid) as def, s.stxrelid::text as table_oid,
           obj_description(s.oid, 'pg_statistic_ext') as comment
      from pg_statistic_ext s join pg_namespace n on n.oid = s.stxnamespace
     where s.stxrelid = any(${ctx.scope.rel}::oid[])
     order by s.oid`;
  const steps: PlannedStep[] = [];
  for (const s of rows) {
    steps.push(planned("post", "statistics", s.q, s.def, `stx:${s.oid}`, { after: [`rel:${s.table_oid}`] }));
    if (s.comment !== null) {
      steps.push(planned("post", "comment", s.q, commentSql(`STATISTICS ${s.q}`, s.comment), `stx:${s.oid}`));
    }
  }
  return steps;
}
