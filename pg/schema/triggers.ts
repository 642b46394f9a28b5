/**
 * Triggers, rendered by `pg_get_triggerdef`, with their enabled state and comments. Triggers a partitioned
 * table clones onto its partitions come with the parent's. Post-data, after the functions they call.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

const ENABLED: Record<string, string> = {
  D: "DISABLE TRIGGER",
  R: "ENABLE REPLICA TRIGGER",
  A: "ENABLE ALWAYS TRIGGER",
};

/** Post-data steps creating the triggers of the tables and views in scope. */
export async function triggerSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    {
      oid: string;
      q: string;
      table: string;
      table_oid: string;
      def: string;
      enabled: string;
      comment: string | null;
    }[]
  >`
    select g.oid::text as oid, quote_ident(g.tgname) as q, g.tgrelid::regclass::text as table,
           g.tgrelid::text as table_oid, pg_get_triggerdef(g.oid) as def, g.tgenabled as enabled,
           obj_description(g.oid, 'pg_trigger') as comment
      from pg_trigger g
     where g.tgrelid = any(${ctx.scope.rel}::oid[]) and not g.tgisinternal and g.tgparentid = 0
     order by g.tgrelid, g.tgname`;
  const steps: PlannedStep[] = [];
  for (const g of rows) {
    const key = `trg:${g.oid}`;
    const name = `${g.table}.${g.q}`;
    steps.push(planned("post", "trigger", name, g.def, key, { after: [`rel:${g.table_oid}`] }));
    const state = ENABLED[g.enabled];
    if (state) {
      steps.push(planned("post", "trigger state", name, `ALTER TABLE ${g.table} ${state} ${g.q}`, key));
    }
    if (g.comment !== null) {
      steps.push(
        planned("post", "comment", name, commentSql(`TRIGGER ${g.q} ON ${g.table}`, g.comment), key),
      );
    }
  }
  return steps;
}
