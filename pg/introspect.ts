/**
 * Reads what the pipeline needs from the catalog: the tables of the selected schemas, their columns with
 * type facts, foreign keys, and the sequences owned by their columns.
 *
 * @module
 */
import type postgres from "postgres";
import type { ColumnInfo, TypeFamily } from "../core/column.ts";

/** A table and its columns as the catalog describes them. */
export interface TableInfo {
  schema: string;
  table: string;
  /** `r` ordinary or `p` partitioned. */
  kind: "r" | "p";
  /** Primary key columns, in key order (empty when there is none). */
  primaryKey: string[];
  /** The planner's row estimate (`pg_class.reltuples`, summed over partitions); -1 when never analysed. */
  estimatedRows: number;
  columns: ColumnInfo[];
}

/**
 * A foreign key between two copied tables. A key declared on a partition (or referencing one) counts as
 * a key of the partitioned table its rows are loaded through: `child`/`parent` name the roots of the
 * partition trees, `childRelation`/`parentRelation` the relations the key is really declared between.
 */
export interface ForeignKey {
  name: string;
  child: string;
  childColumns: string[];
  parent: string;
  parentColumns: string[];
  /** The relation declaring the key, when it is a partition of `child`. */
  childRelation?: string;
  /** The relation the key references, when it is a partition of `parent`. */
  parentRelation?: string;
}

/** A sequence owned by a column (serial or identity). */
export interface OwnedSequence {
  sequence: string;
  table: string;
  column: string;
}

/** The part of a database's catalog a copy needs. */
export interface Catalog {
  tables: Map<string, TableInfo>;
  foreignKeys: ForeignKey[];
  sequences: OwnedSequence[];
  /** How many large objects the source holds (they belong to no schema). */
  largeObjects?: number;
  /** Quoted names of the sequences of the selected schemas that no column owns (pg_dump sets them all). */
  unownedSequences?: string[];
  /**
   * Every partition (at any depth) of a partitioned table in `tables`, mapped to that table: its rows are
   * read and masked through it, under its rules.
   */
  partitions?: Map<string, string>;
  /**
   * NOT VALID check and foreign key constraints per table (its partitions' own included): the rows they
   * were never checked against may break them, so a load lifts them and puts them back NOT VALID.
   */
  notValid?: Map<string, NotValidConstraint[]>;
}

/** A constraint declared NOT VALID, as `ALTER TABLE … ADD CONSTRAINT` would recreate it. */
export interface NotValidConstraint {
  /** The quoted relation it is declared on (the table or one of its partitions). */
  relation: string;
  /** The quoted constraint name. */
  name: string;
  /** `pg_get_constraintdef`, ending in NOT VALID. */
  def: string;
}

const FAMILY: Record<string, TypeFamily> = {
  int2: "integer",
  int4: "integer",
  int8: "integer",
  numeric: "numeric",
  money: "numeric",
  float4: "float",
  float8: "float",
  bool: "boolean",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamp",
  time: "time",
  timetz: "time",
  interval: "interval",
  uuid: "uuid",
  json: "json",
  jsonb: "json",
  inet: "network",
  cidr: "network",
  macaddr: "network",
  macaddr8: "network",
  bytea: "bytea",
};

/** The family of a base type, from its name and pg_type.typcategory. */
export function typeFamily(name: string, category: string): TypeFamily {
  return FAMILY[name] ?? (category === "S" ? "string" : "other");
}

/**
 * Reads tables, columns, foreign keys and owned sequences of `schemas`. The schema list is written into
 * the SQL as quoted literals, so the client needs no array types (target clients skip postgres.js's
 * start-up type query).
 */
export async function introspect(sql: postgres.Sql, schemas: readonly string[]): Promise<Catalog> {
  const list = sql.unsafe(schemas.map((s) => `'${s.replaceAll("'", "''")}'`).join(", ") || "null");
  const cols = await sql<ColumnRow[]>`
    with recursive base(oid, base, typmod, nn) as (
      select t.oid, t.oid, -1, false from pg_type t where t.typtype <> 'd'
      union all
      select d.oid, b.base, case when d.typtypmod <> -1 then d.typtypmod else b.typmod end,
             d.typnotnull or b.nn
        from pg_type d join base b on b.oid = d.typbasetype where d.typtype = 'd'
    )
    select n.nspname as schema, c.relname as table, c.relkind as kind, a.attname as column,
           a.attnum as ordinal, format_type(a.atttypid, a.atttypmod) as type,
           bt.typname as base_type, bt.typcategory as category,
           coalesce(et.typname, '') as elem_type, coalesce(et.typcategory, '') as elem_category,
           case when a.atttypmod <> -1 then a.atttypmod else b.typmod end as typmod,
           a.attnotnull or b.nn as not_null,
           a.attgenerated <> '' as generated, a.attidentity as identity,
           exists (
             select 1 from pg_index i
              where i.indrelid = c.oid and i.indisunique and i.indnkeyatts = 1
                and i.indkey[0] = a.attnum and i.indpred is null
           ) as unique
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join base b on b.oid = a.atttypid
      join pg_type bt on bt.oid = b.base
      left join pg_type et on et.oid = bt.typelem and bt.typcategory = 'A'
     where c.relkind in ('r', 'p') and not c.relispartition and n.nspname in (${list})
     order by n.nspname, c.relname, a.attnum`;
  const tables = new Map<string, TableInfo>();
  for (const r of cols) {
    const key = `${r.schema}.${r.table}`;
    let t = tables.get(key);
    if (!t) {
      tables.set(
        key,
        t = {
          schema: r.schema,
          table: r.table,
          kind: r.kind,
          columns: [],
          primaryKey: [],
          estimatedRows: -1,
        },
      );
    }
    const isArray = r.category === "A";
    const elementFamily = isArray
      ? typeFamily(r.elem_type, r.elem_category)
      : typeFamily(r.base_type, r.category);
    const lengthTyped = ["varchar", "bpchar"].includes(r.base_type);
    t.columns.push({
      schema: r.schema,
      table: r.table,
      column: r.column,
      ordinal: r.ordinal,
      type: r.type,
      baseType: r.base_type,
      family: isArray ? "array" : elementFamily,
      elementFamily,
      maxLength: lengthTyped && r.typmod > 4 ? r.typmod - 4 : null,
      notNull: r.not_null,
      unique: r.unique,
      generated: r.generated,
      identity: r.identity as ColumnInfo["identity"],
    });
  }
  for (
    const r of await sql<{ name: string; pk: string[] | null; est: number }[]>`
    select n.nspname || '.' || c.relname as name,
           array(select a.attname from pg_index i
                   cross join lateral unnest(i.indkey) with ordinality k(n, o)
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n
                 where i.indrelid = c.oid and i.indisprimary order by k.o) as pk,
           coalesce((select sum(p.reltuples) from pg_inherits h join pg_class p on p.oid = h.inhrelid
                      where h.inhparent = c.oid), 0) + c.reltuples as est
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition and n.nspname in (${list})`
  ) {
    const t = tables.get(r.name);
    if (t) {
      t.primaryKey = r.pk ?? [];
      t.estimatedRows = Number(r.est);
    }
  }
  // Each relation's root: a partition is loaded through the partitioned table at the top of its tree.
  const roots = sql`
    with recursive up(oid, root) as (
      select c.oid, c.oid from pg_class c where c.relkind in ('r', 'p') and not c.relispartition
      union all
      select i.inhrelid, u.root from up u join pg_inherits i on i.inhparent = u.oid
        join pg_class k on k.oid = i.inhrelid and k.relispartition
    )
    select u.oid, u.root, n.nspname || '.' || c.relname as name, rn.nspname || '.' || r.relname as root_name,
           rn.nspname as root_schema
      from up u join pg_class c on c.oid = u.oid join pg_namespace n on n.oid = c.relnamespace
      join pg_class r on r.oid = u.root join pg_namespace rn on rn.oid = r.relnamespace`;
  const partitions = new Map<string, string>();
  for (
    const r of await sql<{ name: string; root_name: string }[]>`
      select name, root_name from (${roots}) x where oid <> root and root_schema in (${list}) order by 1`
  ) partitions.set(r.name, r.root_name);
  // Keys a partition inherits from its parent's key are left out (conparentid <> 0): the parent's counts.
  const foreignKeys = (await sql<FkRow[]>`
    with rel as (${roots})
    select con.conname as name, cr.root_name as child, pr.root_name as parent,
           cr.name as child_relation, pr.name as parent_relation,
           array(select attname from unnest(con.conkey) with ordinality k(n, i)
                   join pg_attribute on attrelid = con.conrelid and attnum = k.n order by k.i) as child_columns,
           array(select attname from unnest(con.confkey) with ordinality k(n, i)
                   join pg_attribute on attrelid = con.confrelid and attnum = k.n order by k.i) as parent_columns
      from pg_constraint con
      join rel cr on cr.oid = con.conrelid
      join rel pr on pr.oid = con.confrelid
     where con.contype = 'f' and cr.root_schema in (${list}) and con.conparentid = 0
     order by 2, 1`).map((r) => ({
    name: r.name,
    child: r.child,
    parent: r.parent,
    childColumns: r.child_columns,
    parentColumns: r.parent_columns,
    ...(r.child_relation !== r.child ? { childRelation: r.child_relation } : {}),
    ...(r.parent_relation !== r.parent ? { parentRelation: r.parent_relation } : {}),
  }));
  const sequences = (await sql<SeqRow[]>`
    select quote_ident(sn.nspname) || '.' || quote_ident(s.relname) as sequence,
           tn.nspname || '.' || t.relname as table, a.attname as column
      from pg_depend d
      join pg_class s on s.oid = d.objid and s.relkind = 'S'
      join pg_namespace sn on sn.oid = s.relnamespace
      join pg_class t on t.oid = d.refobjid
      join pg_namespace tn on tn.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
     where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
       and d.deptype in ('a', 'i') and tn.nspname in (${list})
     order by 1`).map((r) => ({ sequence: r.sequence, table: r.table, column: r.column }));
  const unownedSequences = (await sql<{ sequence: string }[]>`
    select quote_ident(sn.nspname) || '.' || quote_ident(s.relname) as sequence
      from pg_class s join pg_namespace sn on sn.oid = s.relnamespace
     where s.relkind = 'S' and sn.nspname in (${list})
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = s.oid
                          and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i'))
     order by 1`).map((r) => r.sequence);
  const [{ n: largeObjects }] = await sql<{ n: number }[]>`
    select count(*)::int as n from pg_largeobject_metadata`;
  const notValid = new Map<string, NotValidConstraint[]>();
  for (
    const r of await sql<(NotValidConstraint & { table: string })[]>`
      with rel as (${roots})
      select rel.root_name as table, quote_ident(n.nspname) || '.' || quote_ident(c.relname) as relation,
             quote_ident(k.conname) as name, pg_get_constraintdef(k.oid) as def
        from pg_constraint k join rel on rel.oid = k.conrelid
        join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where not k.convalidated and k.contype in ('c', 'f') and k.conislocal and k.conparentid = 0
         and rel.root_schema in (${list})
       order by 1, 2, 3`
  ) {
    const list = notValid.get(r.table) ?? [];
    list.push({ relation: r.relation, name: r.name, def: r.def });
    notValid.set(r.table, list);
  }
  return { tables, foreignKeys, sequences, unownedSequences, largeObjects, partitions, notValid };
}

interface ColumnRow {
  schema: string;
  table: string;
  kind: "r" | "p";
  column: string;
  ordinal: number;
  type: string;
  base_type: string;
  category: string;
  elem_type: string;
  elem_category: string;
  typmod: number;
  not_null: boolean;
  generated: boolean;
  identity: string;
  unique: boolean;
}

interface FkRow {
  name: string;
  child: string;
  parent: string;
  child_relation: string;
  parent_relation: string;
  child_columns: string[];
  parent_columns: string[];
}

interface SeqRow {
  sequence: string;
  table: string;
  column: string;
}

/**
 * The statements that lift a table's NOT VALID constraints for its load and put them back afterwards, in
 * the same transaction: the target holds them NOT VALID because older rows may break them, and the source's
 * rows are such rows.
 */
export function liftNotValid(
  constraints: readonly NotValidConstraint[],
): { drop: string[]; restore: string[] } {
  return {
    drop: constraints.map((c) => `alter table ${c.relation} drop constraint ${c.name}`),
    restore: constraints.map((c) => `alter table ${c.relation} add constraint ${c.name} ${c.def}`),
  };
}
