/**
 * Extensions the selected objects use (a `citext` column, a `btree_gist` exclusion constraint) or that live
 * in a selected schema. Each must be available on the target; the planner reports every missing one at once.
 *
 * @module
 */
import { planned, type PlannedStep } from "./_step.ts";
import { oidArray, type PlanContext } from "./_context.ts";

/** Extensions in scope: those given by key (`ext:<oid>`) plus those installed in a selected schema. */
export async function extensionSteps(
  ctx: PlanContext,
  keys: ReadonlySet<string>,
  targetExtensions: readonly string[] | undefined,
): Promise<{ steps: PlannedStep[]; schemas: string[] }> {
  const oids = [...keys].map((k) => k.slice("ext:".length));
  const rows = await ctx.sql<
    { oid: string; name: string; q: string; schema: string; nsp: string; qs: string }[]
  >`
    select e.oid::text as oid, e.extname as name, quote_ident(e.extname) as q, n.nspname as schema,
           n.oid::text as nsp, quote_ident(n.nspname) as qs
      from pg_extension e
      join pg_namespace n on n.oid = e.extnamespace
     where (e.oid = any(${oidArray(oids)}::oid[]) or n.nspname = any(${[...ctx.selected]}::text[]))
       and e.extname <> 'plpgsql'
     order by e.extname`;
  const available = targetExtensions ? new Set(targetExtensions) : null;
  const steps: PlannedStep[] = [];
  const schemas: string[] = [];
  for (const r of rows) {
    if (available && !available.has(r.name)) {
      ctx.unsupported.push(`extension ${r.name} (not available on the target)`);
      continue;
    }
    schemas.push(r.nsp);
    steps.push(
      planned(
        "pre",
        "extension",
        r.name,
        `CREATE EXTENSION IF NOT EXISTS ${r.q} WITH SCHEMA ${r.qs}`,
        `ext:${r.oid}`,
        {
          after: [`nsp:${r.nsp}`],
        },
      ),
    );
  }
  return { steps, schemas };
}
