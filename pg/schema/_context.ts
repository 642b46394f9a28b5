/**
 * What every catalog reader of the schema planner gets: the read-only transaction on the source (with
 * `search_path` empty, so PostgreSQL's renderers qualify every name), the objects in scope, and the lists
 * where readers add notes and unsupported objects.
 *
 * @module
 */
import type postgres from "postgres";

/** The oids of the objects to recreate, per catalog, as PostgreSQL array literals (`{1,2,3}`). */
export interface Scope {
  /** pg_class: tables, partitions, sequences, views, materialized views, indexes of those. */
  rel: string;
  /** pg_type: enums, domains, composite types, ranges. */
  type: string;
  /** pg_proc: functions and procedures. */
  proc: string;
  /** pg_namespace: every schema something in scope lives in. */
  nsp: string;
  /**
   * Everything else, by graph key (`{oth:2617:16501,…}`, class oid and object oid): operators, operator
   * classes and families, casts, collations, conversions, text search objects, foreign-data wrappers and
   * servers, policies.
   */
  other: string;
}

/** The planner's state shared by the readers. */
export interface PlanContext {
  /** The source, inside the planner's read-only repeatable-read transaction. */
  sql: postgres.TransactionSql;
  scope: Scope;
  /** server_version_num of the source. */
  sourceVersion: number;
  /** server_version_num of the target (the source's when not given). */
  targetVersion: number;
  /** Selected schema names. */
  selected: ReadonlySet<string>;
  /** `schema.table` names whose rows are not copied. */
  skipRows: ReadonlySet<string>;
  /** `schema.table` names of tables created only because selected objects need them (their rows are not copied). */
  extraTables: Set<string>;
  /** Notes for the report. */
  notes: string[];
  /** Objects that cannot be recreated on the target, one description each. */
  unsupported: string[];
}

/** `{1,2,3}` from oids. */
export function oidArray(oids: Iterable<string>): string {
  return `{${[...oids].join(",")}}`;
}
