/**
 * Table constraints, created after the data as pg_restore does: primary keys, unique, check and exclusion
 * constraints (grouped by table so different tables can be built in parallel), then foreign keys. NOT NULL
 * stays on the column (tables.ts). Constraints a partitioned table passes down to its partitions are
 * recreated the way pg_dump does: `ONLY` on the parent, each partition's own, then `ATTACH PARTITION` of
 * the indexes (indexes.ts).
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface ConRow {
  oid: string;
  q: string;
  name: string;
  type: string;
  table_oid: string;
  table: string;
  table_schema: string;
  table_name: string;
  table_kind: string;
  group: string;
  def: string;
  inherited: boolean;
  parent: boolean;
  ref_schema: string | null;
  ref_name: string | null;
  ref_q: string | null;
  enforced: boolean;
  period: boolean;
  comment: string | null;
}

const KIND: Record<string, string> = {
  p: "primary key",
  u: "unique",
  c: "check",
  x: "exclusion",
  f: "foreign key",
};

/** Post-data steps adding the constraints of the tables in scope. */
export async function constraintSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const v18 = ctx.sourceVersion >= 180000;
  const rows = await ctx.sql<ConRow[]>`
    with recursive root(oid, top) as (
      select c.oid, c.oid from pg_class c where c.oid = any(${ctx.scope.rel}::oid[])
      union
      select r.oid, i.inhparent from root r join pg_inherits i on i.inhrelid = r.top
    ), roots as (
      select r.oid, r.top::regclass::text as top from root r
       where not exists (select 1 from pg_inherits i where i.inhrelid = r.top)
    )
    select k.oid::text as oid, quote_ident(k.conname) as q, k.conname as name, k.contype as type,
           t.oid::text as table_oid, t.oid::regclass::text as table, n.nspname as table_schema,
           t.relname as table_name, t.relkind as table_kind,
           roots.top as group,
           pg_get_constraintdef(k.oid) as def, k.coninhcount > 0 and not k.conislocal as inherited,
           k.conparentid <> 0 as parent,
           rn.nspname as ref_schema, rt.relname as ref_name, rt.oid::regclass::text as ref_q,
           ${v18 ? ctx.sql`k.conenforced` : ctx.sql`true`} as enforced,
           ${v18 ? ctx.sql`k.conperiod` : ctx.sql`false`} as period,
           obj_description(k.oid, 'pg_constraint') as comment
      from pg_constraint k
      join pg_class t on t.oid = k.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join roots on roots.oid = t.oid
      left join pg_class rt on rt.oid = k.confrelid
      left join pg_namespace rn on rn.oid = rt.relnamespace
     where k.conrelid = any(${ctx.scope.rel}::oid[]) and k.contype in ('p', 'u', 'c', 'x', 'f')
       and t.relkind in ('r', 'p')
     order by case k.contype when 'f' then 1 else 0 end, t.oid, k.contype, k.conname`;
  const steps: PlannedStep[] = [];
  for (const k of rows) {
    const key = `con:${k.oid}`;
    const label = `${k.table}.${k.q}`;
    if (k.type === "f" && k.parent) continue; // cloned onto partitions by the parent's own foreign key
    if (k.type === "c" && k.inherited) continue; // comes with the parent's check
    if (ctx.targetVersion < 180000 && (!k.enforced || k.period)) {
      ctx.unsupported.push(`constraint ${label} (NOT ENFORCED or WITHOUT OVERLAPS needs PostgreSQL 18)`);
    }
    let def = k.def;
    if (k.type === "f" && k.ref_schema !== null && !/ NOT VALID$/.test(def) && !emptyOk(ctx, k)) {
      // The referenced rows are not copied: the key cannot be checked against them.
      def += " NOT VALID";
      ctx.notes.push(
        `foreign key ${label} is created NOT VALID: its referenced table ${k.ref_q} is created empty`,
      );
    }
    // A check reaches the children (inheritance or partitions) unless NO INHERIT; so does a foreign key
    // on a partitioned table. Keys and indexes go on the parent ONLY; each partition gets its own.
    const recurse = (k.type === "c" && !/ NO INHERIT/.test(k.def)) ||
      (k.type === "f" && k.table_kind === "p");
    const only = recurse ? "" : "ONLY ";
    const sql = `ALTER TABLE ${only}${k.table} ADD CONSTRAINT ${k.q} ${def}`;
    steps.push(
      planned("post", KIND[k.type], label, sql, key, {
        after: [`rel:${k.table_oid}`],
        table: k.type === "f" ? undefined : k.group,
      }),
    );
    if (k.comment !== null) {
      steps.push(
        planned(
          "post",
          "comment",
          label,
          commentSql(`CONSTRAINT ${k.q} ON ${k.table}`, k.comment),
          `cmt:${k.oid}`,
          {
            after: [key],
          },
        ),
      );
    }
  }
  return steps;
}

/** Whether a foreign key can be validated: its referenced table gets rows, or its own table gets none. */
function emptyOk(ctx: PlanContext, k: ConRow): boolean {
  const ref = `${k.ref_schema}.${k.ref_name}`;
  const own = `${k.table_schema}.${k.table_name}`;
  const refEmpty = ctx.skipRows.has(ref) || ctx.extraTables.has(ref);
  const ownEmpty = ctx.skipRows.has(own) || ctx.extraTables.has(own);
  return !refEmpty || ownEmpty;
}
