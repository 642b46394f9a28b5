/**
 * Aggregates, plain, moving, ordered-set and hypothetical, rendered from pg_aggregate as pg_dump does:
 * every non-default option spelled out, support functions by name (the aggregate's argument types pick
 * the overload), the sort operator as `OPERATOR(schema.op)`. Planned like functions: after the data unless
 * something created before it (a default, a check, an index) needs the aggregate.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface AggRow {
  oid: string;
  q: string;
  args: string;
  identity: string;
  kind: string;
  options: [string, string | null][];
  comment: string | null;
}

const MODIFY: Record<string, string> = { r: "READ_ONLY", s: "SHAREABLE", w: "READ_WRITE" };
const PARALLEL: Record<string, string> = { s: "SAFE", r: "RESTRICTED" };

/** Steps creating the aggregates in scope. */
export async function aggregateSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<AggRow[]>`
    select p.oid::text as oid, quote_ident(n.nspname) || '.' || quote_ident(p.proname) as q,
           pg_get_function_arguments(p.oid) as args, pg_get_function_identity_arguments(p.oid) as identity,
           a.aggkind as kind, obj_description(p.oid, 'pg_proc') as comment,
           json_build_array(
             json_build_array('SFUNC', a.aggtransfn::text),
             json_build_array('STYPE', format_type(a.aggtranstype, null)),
             json_build_array('SSPACE', nullif(a.aggtransspace, 0)::text),
             json_build_array('FINALFUNC', nullif(a.aggfinalfn, 0)::regproc::text),
             json_build_array('FINALFUNC_EXTRA', case when a.aggfinalextra then '' end),
             json_build_array('FINALFUNC_MODIFY', case when a.aggfinalfn <> 0 then a.aggfinalmodify::text end),
             json_build_array('COMBINEFUNC', nullif(a.aggcombinefn, 0)::regproc::text),
             json_build_array('SERIALFUNC', nullif(a.aggserialfn, 0)::regproc::text),
             json_build_array('DESERIALFUNC', nullif(a.aggdeserialfn, 0)::regproc::text),
             json_build_array('INITCOND', a.agginitval),
             json_build_array('MSFUNC', nullif(a.aggmtransfn, 0)::regproc::text),
             json_build_array('MINVFUNC', nullif(a.aggminvtransfn, 0)::regproc::text),
             json_build_array('MSTYPE', case when a.aggmtranstype <> 0 then format_type(a.aggmtranstype, null) end),
             json_build_array('MSSPACE', nullif(a.aggmtransspace, 0)::text),
             json_build_array('MFINALFUNC', nullif(a.aggmfinalfn, 0)::regproc::text),
             json_build_array('MFINALFUNC_EXTRA', case when a.aggmfinalextra then '' end),
             json_build_array('MFINALFUNC_MODIFY', case when a.aggmfinalfn <> 0 then a.aggmfinalmodify::text end),
             json_build_array('MINITCOND', a.aggminitval),
             json_build_array('SORTOP', (select 'OPERATOR(' || quote_ident(on_.nspname) || '.' || o.oprname || ')'
                                           from pg_operator o join pg_namespace on_ on on_.oid = o.oprnamespace
                                          where o.oid = a.aggsortop)),
             json_build_array('HYPOTHETICAL', case when a.aggkind = 'h' then '' end),
             json_build_array('PARALLEL', p.proparallel::text)
           ) as options
      from pg_proc p
      join pg_aggregate a on a.aggfnoid = p.oid
      join pg_namespace n on n.oid = p.pronamespace
     where p.oid = any(${ctx.scope.proc}::oid[]) and p.prokind = 'a'
     order by p.oid`;
  const steps: PlannedStep[] = [];
  for (const r of rows) {
    const opts: string[] = [];
    for (const [name, value] of r.options) {
      if (value === null) continue;
      if (value === "") opts.push(name);
      else if (name === "INITCOND" || name === "MINITCOND") opts.push(`${name} = ${literal(value)}`);
      else if (name.endsWith("_MODIFY")) opts.push(`${name} = ${MODIFY[value]}`);
      else if (name === "PARALLEL") {
        if (PARALLEL[value]) opts.push(`${name} = ${PARALLEL[value]}`);
      } else opts.push(`${name} = ${value}`);
    }
    const name = `${r.q}(${r.identity || "*"})`;
    const sql = `CREATE AGGREGATE ${r.q}(${r.args || "*"}) (\n    ${opts.join(",\n    ")}\n)`;
    const key = `proc:${r.oid}`;
    steps.push(planned("post", "aggregate", name, sql, key));
    if (r.comment !== null) {
      steps.push(planned("post", "comment", name, commentSql(`AGGREGATE ${name}`, r.comment), key));
    }
  }
  return steps;
}
