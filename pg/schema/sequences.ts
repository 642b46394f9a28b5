/**
 * Sequences: `CREATE SEQUENCE` with every option spelled out (pre-data), `OWNED BY` once the owning table
 * exists, and `setval` to the source's current values (after the data). Identity sequences are created by
 * their column (see tables.ts) but get a `setval` too.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface SeqRow {
  oid: string;
  q: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  unlogged: boolean;
  identity: boolean;
  owner_table: string | null;
  owner_q: string | null;
  owner_column: string | null;
  comment: string | null;
}

/** The options clause shared by CREATE SEQUENCE and identity columns. */
export function sequenceOptions(s: {
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}): string {
  return `START WITH ${s.start} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} CACHE ${s.cache} ${
    s.cycle ? "CYCLE" : "NO CYCLE"
  }`;
}

/** Pre-data steps for the sequences in scope, and the `setval` steps run after the data. */
export async function sequenceSteps(
  ctx: PlanContext,
): Promise<{ steps: PlannedStep[]; setval: PlannedStep[] }> {
  const rows = await ctx.sql<SeqRow[]>`
    select c.oid::text as oid, c.oid::regclass::text as q, format_type(s.seqtypid, null) as type,
           s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min,
           s.seqmax::text as max, s.seqcache::text as cache, s.seqcycle as cycle,
           c.relpersistence = 'u' as unlogged, coalesce(d.deptype = 'i', false) as identity,
           d.refobjid::text as owner_table, d.refobjid::regclass::text as owner_q,
           quote_ident(a.attname) as owner_column, obj_description(c.oid, 'pg_class') as comment
      from pg_class c
      join pg_sequence s on s.seqrelid = c.oid
      left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = c.oid
            and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
      left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
     where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind = 'S'
     order by c.oid`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    if (r.identity) continue;
    const key = `rel:${r.oid}`;
    const create = `CREATE ${r.unlogged ? "UNLOGGED " : ""}SEQUENCE ${r.q} AS ${r.type} ${
      sequenceOptions(r)
    }`;
    steps.push(planned("pre", "sequence", r.q, create, key));
    if (r.comment !== null) {
      steps.push(planned("pre", "comment", r.q, commentSql(`SEQUENCE ${r.q}`, r.comment), key));
    }
    if (r.owner_table !== null) {
      steps.push(
        planned(
          "pre",
          "sequence owned by",
          r.q,
          `ALTER SEQUENCE ${r.q} OWNED BY ${r.owner_q}.${r.owner_column}`,
          `own:${r.oid}`,
          {
            after: [key, `rel:${r.owner_table}`],
          },
        ),
      );
    }
  }
  return { steps, setval: await setvalSteps(ctx, rows) };
}

/**
 * Reads each sequence's `last_value` and `is_called` (sequences are not transactional: this is their state
 * now, as pg_dump reads it) and renders the `setval` that restores it.
 */
async function setvalSteps(ctx: PlanContext, rows: SeqRow[]): Promise<PlannedStep[]> {
  const out: PlannedStep[] = [];
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const query = chunk.map((r, j) => `select ${j} as i, last_value::text as v, is_called from ${r.q}`).join(
      " union all ",
    );
    const states = await ctx.sql.unsafe<{ i: number; v: string; is_called: boolean }[]>(query);
    for (const s of states) {
      const r = chunk[s.i];
      const sql = `SELECT pg_catalog.setval(${literal(r.q)}, ${s.v}, ${s.is_called})`;
      out.push(planned("sequences", "setval", r.q, sql, `seq:${r.oid}`));
    }
  }
  return out;
}
