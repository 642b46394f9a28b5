/**
 * `schema: copy` planning: reads the source's catalog and renders the DDL that recreates the selected
 * schemas in an empty target, using PostgreSQL's own renderers (`pg_get_constraintdef`, `pg_get_indexdef`,
 * `pg_get_viewdef`, `pg_get_functiondef`, `pg_get_triggerdef`, `format_type`, `pg_get_expr`, …), so no
 * pg_dump binary is needed. Steps come in the order pg_restore would run them: pre-data before the rows,
 * post-data (constraints, indexes, views, triggers) after them, then sequence values and materialized view
 * refreshes.
 *
 * @example Plan, then apply around the data copy
 * ```ts ignore
 * const plan = await planSchemaCopy(source, { schemas: ["public"] });
 * await applyPre(target, plan);
 * // … copy the rows …
 * await applyPost(target, plan, { parallel: 4 });
 * await applySequences(target, plan);
 * ```
 *
 * @module
 */
import type postgres from "postgres";
import { PrivaciError } from "../../errors.ts";
import { closure, orderingDeps, readGraph } from "./_graph.ts";
import { oidArray, type PlanContext } from "./_context.ts";
import { literal, orderSteps, type PlannedStep } from "./_step.ts";
import { schemaSteps } from "./schemas.ts";
import { extensionSteps } from "./extensions.ts";
import { typeSteps } from "./types.ts";
import { sequenceSteps } from "./sequences.ts";
import { tableSteps } from "./tables.ts";
import { functionSteps } from "./functions.ts";
import { constraintSteps } from "./constraints.ts";
import { indexSteps } from "./indexes.ts";
import { viewSteps } from "./views.ts";
import { triggerSteps } from "./triggers.ts";
import { findUnsupported, noteSkipped } from "./unsupported.ts";
import { grantSteps } from "./grants.ts";
import { aggregateSteps } from "./aggregates.ts";
import { operatorSteps } from "./operators.ts";
import { operatorClassSteps } from "./operator_classes.ts";
import { castSteps } from "./casts.ts";
import { textSearchSteps } from "./text_search.ts";
import { policySteps } from "./policies.ts";
import { foreignSteps } from "./foreign.ts";
import { eventTriggerSteps } from "./event_triggers.ts";
import { defaultPrivilegeSteps } from "./default_privileges.ts";
import { securityLabelSteps } from "./labels.ts";

export type { DdlStep } from "./_step.ts";
import type { DdlStep } from "./_step.ts";

/** Everything a schema copy runs, in order, plus notes for the report. */
export interface SchemaPlan {
  pre: DdlStep[];
  post: DdlStep[];
  sequences: DdlStep[];
  refresh: DdlStep[];
  /** After everything else: objects that would act on the copy's own statements (event triggers, default privileges). */
  final: DdlStep[];
  /** What the report should say: objects created outside the selection, foreign keys left NOT VALID, … */
  notes: string[];
}

/** Options of {@link planSchemaCopy}. */
export interface PlanSchemaOptions {
  /** Selected schemas. */
  schemas: readonly string[];
  /** `schema.table` names whose rows are skipped: still created, empty. */
  skipRows?: readonly string[];
  /** server_version_num of the target, to adapt syntax; the source's when absent. */
  targetVersion?: number;
  /** Extensions available on the target (pg_available_extensions); not checked when absent. */
  targetExtensions?: readonly string[];
  /** An exported snapshot (pg_export_snapshot) to read the catalog in, the one the data is read in. */
  snapshot?: string;
  /** Copy privileges (GRANT, and REVOKE of defaults) too; off by default. Ownership is never copied. */
  grants?: boolean;
  /**
   * Roles that exist on the target; grants and user mappings for other roles are left out with a note, a
   * policy naming one is refused. All assumed present when absent.
   */
  targetRoles?: readonly string[];
}

/**
 * Reads the source's catalog and plans the DDL recreating `options.schemas` on an empty target. Objects in
 * other schemas that selected objects need are planned too, with a note. Every object the target cannot
 * receive is listed in one {@link PrivaciError} `SCHEMA_COPY` before anything is created.
 *
 * Sequence values are read when planning (sequences are not transactional): plan after the data is read,
 * or inside the data's snapshot, for values that match the rows.
 */
export async function planSchemaCopy(source: postgres.Sql, options: PlanSchemaOptions): Promise<SchemaPlan> {
  return await source.begin("isolation level repeatable read read only", async (sql) => {
    if (options.snapshot !== undefined) {
      await sql.unsafe(`set transaction snapshot ${literal(options.snapshot)}`);
    }
    await sql`select set_config('search_path', '', true)`;
    const [{ version }] = await sql<
      { version: number }[]
    >`select current_setting('server_version_num')::int as version`;
    if (version < 140000) {
      throw new PrivaciError(
        "SCHEMA_COPY",
        `Cannot copy the schema: the source runs PostgreSQL ${version}, 14 or newer is needed`,
      );
    }
    const graph = await readGraph(sql);
    const seeds = await readSeeds(sql, options.schemas);
    const { keys, extensions } = closure(graph, seeds.filter((k) => !graph.memberOf.has(k)));
    const ctx: PlanContext = {
      sql,
      scope: {
        rel: oids(keys, "rel"),
        type: oids(keys, "type"),
        proc: oids(keys, "proc"),
        nsp: "{}",
        other: oidArray([...keys].filter((k) => k.startsWith("oth:"))),
      },
      sourceVersion: version,
      targetVersion: options.targetVersion ?? version,
      selected: new Set(options.schemas),
      skipRows: new Set(options.skipRows ?? []),
      extraTables: new Set(),
      notes: [],
      unsupported: [],
    };
    const ext = await extensionSteps(ctx, extensions, options.targetExtensions);
    ctx.scope.nsp = await namespaces(ctx, options.schemas, ext.schemas);
    await noteOutsiders(ctx);
    const all: PlannedStep[] = [
      ...await schemaSteps(ctx),
      ...ext.steps,
      ...await typeSteps(ctx),
      ...await castSteps(ctx),
      ...await operatorSteps(ctx),
      ...await operatorClassSteps(ctx),
      ...await textSearchSteps(ctx),
    ];
    const seq = await sequenceSteps(ctx);
    all.push(
      ...seq.steps,
      ...await tableSteps(ctx),
      ...await foreignSteps(ctx, options.targetRoles),
      ...await functionSteps(ctx),
      ...await aggregateSteps(ctx),
    );
    const tableLevel = [...await constraintSteps(ctx), ...await indexSteps(ctx)];
    const views = await viewSteps(ctx);
    const triggers = await triggerSteps(ctx);
    const policies = await policySteps(ctx, options.targetRoles);
    const grants = options.grants ? await grantSteps(ctx, options.targetRoles) : [];
    const final = [
      ...await eventTriggerSteps(ctx),
      ...options.grants ? await defaultPrivilegeSteps(ctx, options.targetRoles) : [],
      ...await securityLabelSteps(ctx),
    ];
    await noteSkipped(ctx);
    await findUnsupported(ctx);
    if (ctx.unsupported.length > 0) {
      throw new PrivaciError(
        "SCHEMA_COPY",
        `Cannot copy the schema: ${ctx.unsupported.length} object(s) cannot be recreated on the target: ${
          ctx.unsupported.join("; ")
        }`,
        {
          hint:
            "install the missing extensions on the target, or leave these objects' schemas out of the selection",
        },
      );
    }
    const deps = orderingDeps(graph);
    movePrerequisitesToPre([...all, ...tableLevel], deps);
    const onCycle = (key: string) =>
      ctx.notes.push(`dependency cycle at ${key}: kept the catalog order there`);
    const pre = orderSteps(all.filter((s) => s.step.phase === "pre"), deps, onCycle);
    const wave = tableLevel.filter((s) => s.step.table !== undefined);
    // A partitioned table's unique index is valid, so foreign keys can reference it, once every partition's is attached.
    const attach = tableLevel.filter((s) => s.step.kind === "attach index");
    const fks = tableLevel.filter((s) => s.step.kind === "foreign key");
    const rest = orderSteps(
      [
        ...all.filter((s) => s.step.phase === "post"),
        ...tableLevel.filter((s) =>
          s.step.table === undefined && s.step.kind !== "foreign key" && s.step.kind !== "attach index"
        ),
        ...views.steps,
        ...triggers,
        ...policies,
        ...grants,
      ],
      deps,
      onCycle,
    );
    const position = new Map(rest.map((s, i) => [s.key.replace(/^rel:/, ""), i]));
    const refresh = [...views.refresh].sort((a, b) =>
      (position.get(a.key.slice(4)) ?? 0) - (position.get(b.key.slice(4)) ?? 0)
    );
    return {
      pre: pre.map((s) => s.step),
      post: [...wave, ...attach, ...fks, ...rest].map((s) => s.step),
      sequences: seq.setval.map((s) => s.step),
      refresh: refresh.map((s) => s.step),
      final: orderSteps(final, deps, onCycle).map((s) => s.step),
      notes: [...new Set(ctx.notes)],
    };
  });
}

/** Keys of the user objects in the selected schemas, extension members included (the caller drops them). */
async function readSeeds(sql: postgres.TransactionSql, schemas: readonly string[]): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`
    with own as (select n.oid from pg_namespace n where n.nspname = any(${schemas as string[]}::text[]))
    select 'rel:' || c.oid as key from pg_class c
     where c.relnamespace in (select oid from own) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    union all
    select 'type:' || t.oid from pg_type t left join pg_class c on c.oid = t.typrelid
     where t.typnamespace in (select oid from own)
       and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and c.relkind = 'c')
            or (t.typtype = 'b' and not exists (select 1 from pg_type e where e.typarray = t.oid)))
    union all
    select 'proc:' || p.oid from pg_proc p where p.pronamespace in (select oid from own)
    union all
    select 'oth:' || x.cls || ':' || x.oid from (
      select 'pg_operator'::regclass::oid as cls, oid, oprnamespace as nsp from pg_operator
      union all select 'pg_opclass'::regclass::oid, oid, opcnamespace from pg_opclass
      union all select 'pg_opfamily'::regclass::oid, oid, opfnamespace from pg_opfamily
      union all select 'pg_collation'::regclass::oid, oid, collnamespace from pg_collation
      union all select 'pg_conversion'::regclass::oid, oid, connamespace from pg_conversion
      union all select 'pg_ts_parser'::regclass::oid, oid, prsnamespace from pg_ts_parser
      union all select 'pg_ts_template'::regclass::oid, oid, tmplnamespace from pg_ts_template
      union all select 'pg_ts_dict'::regclass::oid, oid, dictnamespace from pg_ts_dict
      union all select 'pg_ts_config'::regclass::oid, oid, cfgnamespace from pg_ts_config
    ) x where x.nsp in (select oid from own)
    union all
    -- A user's cast has no schema: it goes with the selection when its types and function are built in or
    -- in a selected schema (those a range creates for its multirange come with the range).
    select 'oth:' || 'pg_cast'::regclass::oid || ':' || c.oid from pg_cast c
     where c.oid >= 16384
       and not exists (select 1 from pg_depend d where d.classid = 'pg_cast'::regclass and d.objid = c.oid
                          and d.deptype in ('i', 'e'))
       and (select bool_and(o < 16384 or ns in (select oid from own)) from (
              select c.castsource, (select typnamespace from pg_type where oid = c.castsource)
              union all select c.casttarget, (select typnamespace from pg_type where oid = c.casttarget)
              union all select c.castfunc, (select pronamespace from pg_proc where oid = c.castfunc)
               where c.castfunc <> 0) t(o, ns))`;
  return rows.map((r) => r.key);
}

function oids(keys: ReadonlySet<string>, prefix: string): string {
  const out: string[] = [];
  for (const k of keys) if (k.startsWith(prefix + ":")) out.push(k.slice(prefix.length + 1));
  return oidArray(out);
}

/** The selected schemas, the extensions' schemas, and the schema of every object in scope. */
async function namespaces(ctx: PlanContext, schemas: readonly string[], extra: string[]): Promise<string> {
  const rows = await ctx.sql<{ oid: string }[]>`
    select n.oid::text as oid from pg_namespace n
     where (n.nspname = any(${schemas as string[]}::text[]) or n.oid = any(${oidArray(extra)}::oid[])
        or n.oid in (select relnamespace from pg_class where oid = any(${ctx.scope.rel}::oid[]) and relkind <> 't')
        or n.oid in (select typnamespace from pg_type where oid = any(${ctx.scope.type}::oid[]))
        or n.oid in (select pronamespace from pg_proc where oid = any(${ctx.scope.proc}::oid[]))
        or n.nspname in (select (pg_identify_object(split_part(k, ':', 2)::oid, split_part(k, ':', 3)::oid, 0)).schema
                           from unnest(${ctx.scope.other}::text[]) k))
       and n.nspname not in ('pg_catalog', 'pg_toast', 'information_schema')`;
  return oidArray(rows.map((r) => r.oid));
}

/** Notes each type, function, sequence or view created outside the selection (tables.ts notes tables). */
async function noteOutsiders(ctx: PlanContext): Promise<void> {
  const rows = await ctx.sql<{ what: string }[]>`
    select case c.relkind when 'S' then 'sequence ' when 'v' then 'view ' else 'materialized view ' end
           || c.oid::regclass::text as what
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind in ('S', 'v', 'm')
       and not n.nspname = any(${[...ctx.selected]}::text[])
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                         and d.deptype = 'i')
    union all
    select 'type ' || t.oid::regtype::text from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where t.oid = any(${ctx.scope.type}::oid[]) and not n.nspname = any(${[...ctx.selected]}::text[])
    union all
    select 'function ' || p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where p.oid = any(${ctx.scope.proc}::oid[]) and not n.nspname = any(${[...ctx.selected]}::text[])
       and not exists (select 1 from pg_depend d
                        where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'i')
    order by 1`;
  for (const r of rows) {
    ctx.notes.push(`${r.what} is in a schema that is not selected: created because selected objects need it`);
  }
}

/**
 * Moves to pre-data every function that something created before the data needs (a default, a check, a
 * generated column, a domain, a range, an index expression), with the functions those call in turn.
 */
function movePrerequisitesToPre(steps: PlannedStep[], deps: ReadonlyMap<string, ReadonlySet<string>>): void {
  const byKey = new Map<string, PlannedStep[]>();
  for (const s of steps) {
    const list = byKey.get(s.key);
    if (list) list.push(s);
    else byKey.set(s.key, [s]);
  }
  const needs = (s: PlannedStep) =>
    s.step.phase === "pre" || s.step.table !== undefined || s.step.kind === "foreign key";
  const todo = [...new Set(steps.filter(needs).map((s) => s.key))];
  const seen = new Set(todo);
  // Through functions and catalog objects (an operator class needs its operators, which need functions),
  // never through relations or types: those are placed by their own kind.
  const next = (k: string) => [
    ...deps.get(k) ?? [],
    ...(byKey.get(k) ?? []).flatMap((s) => s.after ?? []),
  ];
  while (todo.length > 0) {
    const k = todo.pop()!;
    for (const d of next(k)) {
      if (!(d.startsWith("proc:") || d.startsWith("oth:")) || seen.has(d)) continue;
      seen.add(d);
      todo.push(d);
      for (const s of byKey.get(d) ?? []) if (s.step.phase === "post") s.step.phase = "pre";
    }
  }
}
