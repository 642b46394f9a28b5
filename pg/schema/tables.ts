/**
 * Tables, partitioned tables and their partitions, with column types, collations, defaults, NOT NULL,
 * identity and generated columns, storage options and comments. Constraints other than NOT NULL come
 * after the data (constraints.ts). Partitions are created whole and attached, as pg_dump does, so a
 * partition keeps its own column order and defaults.
 *
 * @module
 */
import { commentSql, literal, planned, type PlannedStep } from "./_step.ts";
import type { PlanContext } from "./_context.ts";
import { sequenceOptions } from "./sequences.ts";

interface Column {
  name: string;
  q: string;
  type: string;
  collation: string | null;
  not_null: boolean;
  local: boolean;
  default: string | null;
  generated: string;
  identity: string;
  seq: {
    q: string;
    start: string;
    increment: string;
    min: string;
    max: string;
    cache: string;
    cycle: boolean;
  } | null;
  storage: string | null;
  compression: string;
  statistics: number | null;
  comment: string | null;
  /** The column's NOT NULL constraint, read from PostgreSQL 18 sources where it has a name and a state. */
  nn: { name: string; valid: boolean; noinherit: boolean; local: boolean } | null;
}

interface TableRow {
  oid: string;
  q: string;
  schema: string;
  name: string;
  kind: "r" | "p";
  unlogged: boolean;
  options: string[] | null;
  toast_options: string[] | null;
  partkey: string | null;
  partition_of: string | null;
  partition_of_oid: string | null;
  bound: string | null;
  inherits: { oid: string; q: string }[];
  replident: string;
  rls: boolean;
  force_rls: boolean;
  typed: boolean;
  /** The table access method when it is not the default heap. */
  am: string | null;
  comment: string | null;
  columns: Column[];
}

/** Pre-data steps creating the tables in scope. */
export async function tableSteps(ctx: PlanContext): Promise<PlannedStep[]> {
  const rows = await ctx.sql<TableRow[]>`
    select c.oid::text as oid, c.oid::regclass::text as q, n.nspname as schema, c.relname as name,
           c.relkind as kind, c.relpersistence = 'u' as unlogged, c.reloptions as options,
           (select t.reloptions from pg_class t where t.oid = c.reltoastrelid) as toast_options,
           case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partkey,
           case when c.relispartition then (select i.inhparent::regclass::text from pg_inherits i where i.inhrelid = c.oid) end
             as partition_of,
           case when c.relispartition then (select i.inhparent::text from pg_inherits i where i.inhrelid = c.oid) end
             as partition_of_oid,
           case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as bound,
           case when c.relispartition then '[]'::json else (
             select coalesce(json_agg(json_build_object('oid', i.inhparent::text, 'q', i.inhparent::regclass::text)
                      order by i.inhseqno), '[]')
               from pg_inherits i where i.inhrelid = c.oid) end as inherits,
           c.relreplident as replident, c.relrowsecurity as rls, c.relforcerowsecurity as force_rls,
           c.reloftype <> 0 as typed, obj_description(c.oid, 'pg_class') as comment,
           (select quote_ident(am.amname) from pg_am am where am.oid = c.relam and am.amname <> 'heap') as am,
           (select coalesce(json_agg(json_build_object(
                'name', a.attname, 'q', quote_ident(a.attname), 'type', format_type(a.atttypid, a.atttypmod),
                'collation', case when a.attcollation <> t.typcollation then
                  (select quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                     from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace
                    where co.oid = a.attcollation) end,
                'not_null', a.attnotnull, 'local', a.attislocal,
                'default', pg_get_expr(d.adbin, d.adrelid), 'generated', a.attgenerated, 'identity', a.attidentity,
                'seq', case when a.attidentity <> '' then (
                  select json_build_object('q', s.seqrelid::regclass::text, 'start', s.seqstart::text,
                           'increment', s.seqincrement::text, 'min', s.seqmin::text, 'max', s.seqmax::text,
                           'cache', s.seqcache::text, 'cycle', s.seqcycle)
                    from pg_sequence s
                   where s.seqrelid = pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass) end,
                'storage', case when a.attstorage <> t.typstorage then a.attstorage::text end,
                'compression', a.attcompression,
                'statistics', case when a.attstattarget >= 0 then a.attstattarget end,
                'comment', col_description(c.oid, a.attnum),
                'nn', ${
    ctx.sourceVersion >= 180000
      ? ctx.sql`(select json_build_object('name', quote_ident(k.conname), 'valid', k.convalidated,
                   'noinherit', k.connoinherit, 'local', k.conislocal)
                   from pg_constraint k where k.conrelid = c.oid and k.contype = 'n' and k.conkey[1] = a.attnum)`
      : ctx.sql`null::json`
  }) order by a.attnum), '[]')
               from pg_attribute a
               join pg_type t on t.oid = a.atttypid
               left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where c.oid = any(${ctx.scope.rel}::oid[]) and c.relkind in ('r', 'p')
     order by c.oid`;
  const steps: PlannedStep[] = [];
  for (const t of rows) {
    if (t.typed) {
      ctx.unsupported.push(`typed table ${t.q} (CREATE TABLE OF type)`);
      continue;
    }
    if (!ctx.selected.has(t.schema)) {
      ctx.extraTables.add(`${t.schema}.${t.name}`);
      ctx.notes.push(
        `table ${t.q} is in a schema that is not selected: created empty because selected objects need it`,
      );
    } else if (ctx.skipRows.has(`${t.schema}.${t.name}`)) {
      ctx.notes.push(`table ${t.q} has rows: skip: created empty`);
    }
    steps.push(...renderTable(ctx, t));
  }
  return steps;
}

function renderTable(ctx: PlanContext, t: TableRow): PlannedStep[] {
  const key = `rel:${t.oid}`;
  const steps: PlannedStep[] = [];
  const isChild = t.inherits.length > 0;
  const lines: string[] = [];
  const alters: string[] = [];
  const later: PlannedStep[] = [];
  for (const c of t.columns) {
    // An inheritance child lists only its own columns; the inherited ones come from INHERITS.
    if (isChild && !c.local) {
      if (c.default !== null && c.generated === "") {
        alters.push(`ALTER COLUMN ${c.q} SET DEFAULT ${c.default}`);
      }
      continue;
    }
    let line = `${c.q} ${c.type}`;
    if (c.collation) line += ` COLLATE ${c.collation}`;
    if (c.generated === "s") line += ` GENERATED ALWAYS AS (${c.default}) STORED`;
    else if (c.generated === "v") {
      if (ctx.targetVersion < 180000) {
        ctx.unsupported.push(`virtual generated column ${t.q}.${c.q} (needs PostgreSQL 18)`);
      }
      line += ` GENERATED ALWAYS AS (${c.default}) VIRTUAL`;
    } else if (c.default !== null) line += ` DEFAULT ${c.default}`;
    if (c.identity !== "" && c.seq) {
      const how = c.identity === "a" ? "ALWAYS" : "BY DEFAULT";
      line += ` GENERATED ${how} AS IDENTITY (SEQUENCE NAME ${c.seq.q} ${sequenceOptions(c.seq)})`;
    }
    line += notNull(ctx, t, c, later);
    lines.push(line);
  }
  for (const c of t.columns) {
    if (c.storage) alters.push(`ALTER COLUMN ${c.q} SET STORAGE ${STORAGE[c.storage]}`);
    if (c.compression) {
      alters.push(`ALTER COLUMN ${c.q} SET COMPRESSION ${c.compression === "p" ? "pglz" : "lz4"}`);
    }
    if (c.statistics !== null) alters.push(`ALTER COLUMN ${c.q} SET STATISTICS ${c.statistics}`);
    if (isChild && !c.local && c.not_null) alters.push(`ALTER COLUMN ${c.q} SET NOT NULL`);
  }
  let sql = `CREATE ${t.unlogged ? "UNLOGGED " : ""}TABLE ${t.q} (${
    lines.length ? `\n    ${lines.join(",\n    ")}\n` : ""
  })`;
  if (isChild) sql += ` INHERITS (${t.inherits.map((i) => i.q).join(", ")})`;
  if (t.partkey) sql += ` PARTITION BY ${t.partkey}`;
  if (t.am) sql += ` USING ${t.am}`;
  const options = [
    ...(t.options ?? []).map(option),
    ...(t.toast_options ?? []).map((o) => `toast.${option(o)}`),
  ];
  if (options.length) sql += ` WITH (${options.join(", ")})`;
  steps.push(
    planned("pre", t.partition_of ? "partition" : "table", t.q, sql, key, {
      after: t.inherits.map((i) => `rel:${i.oid}`),
    }),
  );
  for (const a of alters) {
    steps.push(planned("pre", "table option", t.q, `ALTER TABLE ONLY ${t.q} ${a}`, key));
  }
  if (t.replident === "f" || t.replident === "n") {
    const how = t.replident === "f" ? "FULL" : "NOTHING";
    steps.push(
      planned("pre", "replica identity", t.q, `ALTER TABLE ONLY ${t.q} REPLICA IDENTITY ${how}`, key),
    );
  }
  if (t.rls) {
    steps.push(planned("pre", "row security", t.q, `ALTER TABLE ONLY ${t.q} ENABLE ROW LEVEL SECURITY`, key));
  }
  if (t.force_rls) {
    steps.push(planned("pre", "row security", t.q, `ALTER TABLE ONLY ${t.q} FORCE ROW LEVEL SECURITY`, key));
  }
  if (t.comment !== null) {
    steps.push(planned("pre", "comment", t.q, commentSql(`TABLE ${t.q}`, t.comment), key));
  }
  for (const c of t.columns) {
    if (c.comment !== null) {
      steps.push(
        planned("pre", "comment", `${t.q}.${c.q}`, commentSql(`COLUMN ${t.q}.${c.q}`, c.comment), key),
      );
    }
  }
  steps.push(...later);
  if (t.partition_of) {
    steps.push(
      planned(
        "pre",
        "attach partition",
        t.q,
        `ALTER TABLE ONLY ${t.partition_of} ATTACH PARTITION ${t.q} ${t.bound}`,
        `att:${t.oid}`,
        {
          after: [key, `rel:${t.partition_of_oid}`],
        },
      ),
    );
  }
  return steps;
}

/**
 * The column's NOT NULL clause. From PostgreSQL 18 on, a NOT NULL is a named constraint (a partition's
 * carries its parent's name), possibly NOT VALID or NO INHERIT: the name is kept when the target has such
 * constraints too; a NOT VALID one is added after the data.
 */
function notNull(ctx: PlanContext, t: TableRow, c: Column, later: PlannedStep[]): string {
  const nn = c.nn;
  if (nn === null) return c.not_null ? " NOT NULL" : "";
  if (ctx.targetVersion < 180000) {
    if (!nn.valid) {
      ctx.unsupported.push(`constraint ${t.q}.${nn.name} (NOT NULL NOT VALID needs PostgreSQL 18)`);
    }
    return " NOT NULL";
  }
  if (nn.valid) return ` CONSTRAINT ${nn.name} NOT NULL${nn.noinherit ? " NO INHERIT" : ""}`;
  if (nn.local) {
    const sql = `ALTER TABLE ${t.q} ADD CONSTRAINT ${nn.name} NOT NULL ${c.q}${
      nn.noinherit ? " NO INHERIT" : ""
    } NOT VALID`;
    later.push(
      planned("post", "not null", `${t.q}.${nn.name}`, sql, `nn:${t.oid}:${c.q}`, {
        after: [`rel:${t.oid}`],
      }),
    );
  }
  return "";
}

const STORAGE: Record<string, string> = { p: "PLAIN", e: "EXTERNAL", m: "MAIN", x: "EXTENDED" };

/** `name=value` from reloptions as `name='value'`. */
function option(o: string): string {
  const i = o.indexOf("=");
  return i < 0 ? o : `${o.slice(0, i)}=${literal(o.slice(i + 1))}`;
}
