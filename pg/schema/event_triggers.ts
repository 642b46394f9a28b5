/**
 * Event triggers (a superuser creates them) whose function is in scope. They run last, after every other
 * step, as pg_restore places them: created earlier, they would fire on the copy's own DDL.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

const ENABLED: Record<string, string> = { D: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" };

/** Final steps creating the event triggers that call functions in scope. */
export async function eventTriggerSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<
    {
      oid: string;
      q: string;
      event: string;
      tags: string[] | null;
      func: string;
      enabled: string;
      comment: string | null;
    }[]
  >`
    select e.oid::text as oid, quote_ident(e.evtname) as q, e.evtevent as event, e.evttags as tags,
           e.evtfoid::regproc::text as func, e.evtenabled::text as enabled,
           obj_description(e.oid, 'pg_event_trigger') as comment
      from pg_event_trigger e
     where e.evtfoid = any(${ctx.scope.proc}::oid[])
     order by e.evtname`;
  const steps: PlannedStep[] = [];
  for (const e of rows) {
    const key = `oth:evt:${e.oid}`;
    let sql = `CREATE EVENT TRIGGER ${e.q} ON ${e.event}`;
    if (e.tags?.length) sql += ` WHEN TAG IN (${e.tags.map(literal).join(", ")})`;
    sql += ` EXECUTE FUNCTION ${e.func}()`;
    steps.push(planned("final", "event trigger", e.q, sql, key));
    if (ENABLED[e.enabled]) {
      steps.push(
        planned("final", "event trigger state", e.q, `ALTER EVENT TRIGGER ${e.q} ${ENABLED[e.enabled]}`, key),
      );
    }
    if (e.comment !== null) {
      steps.push(planned("final", "comment", e.q, commentSql(`EVENT TRIGGER ${e.q}`, e.comment), key));
    }
  }
  return steps;
}
