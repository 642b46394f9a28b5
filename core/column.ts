/**
 * The shapes every layer shares: a COPY text value, a table, a column and its type family. pg/ reads them
 * from the catalog and the COPY stream, strategies/ masks them, the pipeline moves them; all import them
 * from here, the bottom layer.
 *
 * @module
 */

/** One value as PostgreSQL's COPY text format spells it once unescaped; `null` is SQL NULL. */
export type Cell = string | null;

/** A table, as `schema` and `table`. */
export interface TableRef {
  /** The schema name. */
  schema: string;
  /** The table name. */
  table: string;
}

/** Broad type families a strategy can declare it accepts. */
export const TYPE_FAMILIES = [
  "string",
  "integer",
  "numeric",
  "float",
  "boolean",
  "date",
  "timestamp",
  "time",
  "interval",
  "uuid",
  "json",
  "network",
  "bytea",
  "array",
  "other",
] as const;

/** A broad type family, see {@link TYPE_FAMILIES}. */
export type TypeFamily = (typeof TYPE_FAMILIES)[number];

/** What the target needs to know about a column to produce valid values for it. */
export interface ColumnInfo extends TableRef {
  /** Column name. */
  column: string;
  /** 1-based position in the table. */
  ordinal: number;
  /** `format_type()` of the column, e.g. `character varying(40)`, `integer`, `text[]`. */
  type: string;
  /** Base type name after resolving domains, without modifiers, e.g. `varchar`, `int4`, `_text`. */
  baseType: string;
  /** Broad family of the base type (for arrays: `array`). */
  family: TypeFamily;
  /** Element family for arrays, otherwise the same as `family`. */
  elementFamily: TypeFamily;
  /** Maximum length in characters for `varchar(n)` / `char(n)`, else `null`. */
  maxLength: number | null;
  /** True when the column is `NOT NULL` (or its domain is). */
  notNull: boolean;
  /** True when the column alone is a primary key or under a unique constraint or index. */
  unique: boolean;
  /** True for `GENERATED ALWAYS AS (...) STORED` columns, which are never written. */
  generated: boolean;
  /** `a` (always) or `d` (by default) for identity columns, else `""`. */
  identity: "" | "a" | "d";
}
