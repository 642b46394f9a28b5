/**
 * Operators, rendered from pg_operator as pg_dump does. A commutator or negator that does not exist yet is
 * created as a shell by the first operator naming it and filled in by its own `CREATE OPERATOR`, so the
 * pairs need no particular order. Pre-data: a default, a check or an index may use an operator.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface OperatorRow {
  key: string;
  name: string;
  signature: string;
  options: string[];
  comment: string | null;
}

/** Pre-data steps creating the operators in scope. */
export async function operatorSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<OperatorRow[]>`
    with ref(oid, q) as (
      select o.oid, 'OPERATOR(' || quote_ident(n.nspname) || '.' || o.oprname || ')'
        from pg_operator o join pg_namespace n on n.oid = o.oprnamespace
    )
    select 'oth:' || 'pg_operator'::regclass::oid || ':' || o.oid as key,
           quote_ident(n.nspname) || '.' || o.oprname as name, o.oid::regoperator::text as signature,
           array_remove(array[
             'FUNCTION = ' || o.oprcode::regproc::text,
             case when o.oprleft <> 0 then 'LEFTARG = ' || format_type(o.oprleft, null) end,
             'RIGHTARG = ' || format_type(o.oprright, null),
             'COMMUTATOR = ' || (select q from ref where ref.oid = o.oprcom),
             'NEGATOR = ' || (select q from ref where ref.oid = o.oprnegate),
             case when o.oprrest <> 0 then 'RESTRICT = ' || o.oprrest::regproc::text end,
             case when o.oprjoin <> 0 then 'JOIN = ' || o.oprjoin::regproc::text end,
             case when o.oprcanhash then 'HASHES' end,
             case when o.oprcanmerge then 'MERGES' end
           ], null) as options,
           obj_description(o.oid, 'pg_operator') as comment
      from pg_operator o join pg_namespace n on n.oid = o.oprnamespace
     where ('oth:' || 'pg_operator'::regclass::oid || ':' || o.oid) = any(${ctx.scope.other}::text[])
     order by o.oid`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const sql = `CREATE OPERATOR ${r.name} (\n    ${r.options.join(",\n    ")}\n)`;
    steps.push(planned("pre", "operator", r.signature, sql, r.key));
    if (r.comment !== null) {
      steps.push(
        planned("pre", "comment", r.signature, commentSql(`OPERATOR ${r.signature}`, r.comment), r.key),
      );
    }
  }
  return steps;
}
