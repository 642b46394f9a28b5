/**
 * Operator families and classes. Each family is created first (`CREATE OPERATOR FAMILY`), then each class
 * names its family; the members bound to a class (pg_depend `i`) go into its `CREATE OPERATOR CLASS`, the
 * family's loose members (pg_depend `a`) into an `ALTER OPERATOR FAMILY … ADD`, as pg_dump does. Pre-data:
 * indexes and constraints name classes, and a range type may.
 *
 * @module
 */
import { commentSql, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";

interface Member {
  owner: string;
  sql: string;
  needs: string;
}

interface FamilyRow {
  key: string;
  q: string;
  am: string;
  comment: string | null;
}

interface ClassRow extends FamilyRow {
  family_key: string;
  family_q: string;
  is_default: boolean;
  type: string;
  storage: string | null;
}

/** Pre-data steps creating the operator families and classes in scope. */
export async function operatorClassSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const families = await ctx.sql<FamilyRow[]>`
    select 'oth:' || 'pg_opfamily'::regclass::oid || ':' || f.oid as key,
           quote_ident(n.nspname) || '.' || quote_ident(f.opfname) as q, quote_ident(am.amname) as am,
           obj_description(f.oid, 'pg_opfamily') as comment
      from pg_opfamily f join pg_namespace n on n.oid = f.opfnamespace join pg_am am on am.oid = f.opfmethod
     where ('oth:' || 'pg_opfamily'::regclass::oid || ':' || f.oid) = any(${ctx.scope.other}::text[])
     order by f.oid`;
  const classes = await ctx.sql<ClassRow[]>`
    select 'oth:' || 'pg_opclass'::regclass::oid || ':' || c.oid as key,
           quote_ident(n.nspname) || '.' || quote_ident(c.opcname) as q, quote_ident(am.amname) as am,
           'oth:' || 'pg_opfamily'::regclass::oid || ':' || c.opcfamily as family_key,
           quote_ident(fn.nspname) || '.' || quote_ident(f.opfname) as family_q,
           c.opcdefault as is_default, format_type(c.opcintype, null) as type,
           case when c.opckeytype <> 0 then format_type(c.opckeytype, null) end as storage,
           obj_description(c.oid, 'pg_opclass') as comment
      from pg_opclass c join pg_namespace n on n.oid = c.opcnamespace join pg_am am on am.oid = c.opcmethod
      join pg_opfamily f on f.oid = c.opcfamily join pg_namespace fn on fn.oid = f.opfnamespace
     where ('oth:' || 'pg_opclass'::regclass::oid || ':' || c.oid) = any(${ctx.scope.other}::text[])
     order by c.oid`;
  // Members keyed by their owner: the class they are bound to, or the family they are loose in.
  const members = await ctx.sql<Member[]>`
    select case when d.refclassid = 'pg_opclass'::regclass then 'oth:' || d.refclassid::oid || ':' || d.refobjid
                else 'oth:' || 'pg_opfamily'::regclass::oid || ':' || a.amopfamily end as owner,
           'OPERATOR ' || a.amopstrategy || ' ' || a.amopopr::regoperator::text
             || case when a.amoppurpose = 'o' then ' FOR ORDER BY '
                  || (select quote_ident(sn.nspname) || '.' || quote_ident(sf.opfname) from pg_opfamily sf
                        join pg_namespace sn on sn.oid = sf.opfnamespace where sf.oid = a.amopsortfamily)
                else '' end as sql,
           'oth:' || 'pg_operator'::regclass::oid || ':' || a.amopopr as needs
      from pg_amop a
      left join pg_depend d on d.classid = 'pg_amop'::regclass and d.objid = a.oid and d.deptype = 'i'
            and d.refclassid = 'pg_opclass'::regclass
     where ('oth:' || 'pg_opfamily'::regclass::oid || ':' || a.amopfamily) = any(${ctx.scope.other}::text[])
    union all
    select case when d.refclassid = 'pg_opclass'::regclass then 'oth:' || d.refclassid::oid || ':' || d.refobjid
                else 'oth:' || 'pg_opfamily'::regclass::oid || ':' || p.amprocfamily end,
           'FUNCTION ' || p.amprocnum || ' (' || format_type(p.amproclefttype, null) || ', '
             || format_type(p.amprocrighttype, null) || ') ' || p.amproc::regprocedure::text,
           'proc:' || p.amproc::oid
      from pg_amproc p
      left join pg_depend d on d.classid = 'pg_amproc'::regclass and d.objid = p.oid and d.deptype = 'i'
            and d.refclassid = 'pg_opclass'::regclass
     where ('oth:' || 'pg_opfamily'::regclass::oid || ':' || p.amprocfamily) = any(${ctx.scope.other}::text[])
     order by 1, 2`;
  const byOwner = new Map<string, Member[]>();
  for (const m of members) byOwner.set(m.owner, [...(byOwner.get(m.owner) ?? []), m]);
  const steps: PlannedStep[] = [];
  for (const f of families) {
    const name = `${f.q} USING ${f.am}`;
    steps.push(planned("pre", "operator family", name, `CREATE OPERATOR FAMILY ${name}`, f.key));
  }
  for (const c of classes) {
    const name = `${c.q} USING ${c.am}`;
    const own = byOwner.get(c.key) ?? [];
    const items = [...own.map((m) => m.sql), ...(c.storage ? [`STORAGE ${c.storage}`] : [])];
    const sql = `CREATE OPERATOR CLASS ${c.q}${
      c.is_default ? " DEFAULT" : ""
    } FOR TYPE ${c.type} USING ${c.am} FAMILY ${c.family_q} AS\n    ${items.join(",\n    ")}`;
    steps.push(
      planned("pre", "operator class", name, sql, c.key, {
        after: [c.family_key, ...own.map((m) => m.needs)],
      }),
    );
    if (c.comment !== null) {
      steps.push(planned("pre", "comment", name, commentSql(`OPERATOR CLASS ${name}`, c.comment), c.key));
    }
  }
  for (const f of families) {
    const name = `${f.q} USING ${f.am}`;
    const loose = byOwner.get(f.key) ?? [];
    if (loose.length > 0) {
      // After the classes: a loose member may need the types or functions a class brought.
      steps.push(
        planned(
          "pre",
          "operator family members",
          name,
          `ALTER OPERATOR FAMILY ${name} ADD\n    ${loose.map((m) => m.sql).join(",\n    ")}`,
          `opfm:${f.key}`,
          {
            after: [
              f.key,
              ...classes.filter((c) => c.family_key === f.key).map((c) => c.key),
              ...loose.map((m) => m.needs),
            ],
          },
        ),
      );
    }
    if (f.comment !== null) {
      steps.push(planned("pre", "comment", name, commentSql(`OPERATOR FAMILY ${name}`, f.comment), f.key));
    }
  }
  return steps;
}
