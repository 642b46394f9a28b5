/**
 * A representative column for each type family, so documentation examples and conformance tests can
 * run every strategy on a column it accepts.
 *
 * @module
 */
import type { ColumnInfo, StrategyDefinition, TypeFamily } from "./types.ts";

const BY_FAMILY: Partial<Record<TypeFamily, Partial<ColumnInfo>>> = {
  string: { type: "text", baseType: "text" },
  integer: { type: "integer", baseType: "int4" },
  numeric: { type: "numeric", baseType: "numeric" },
  float: { type: "double precision", baseType: "float8" },
  boolean: { type: "boolean", baseType: "bool" },
  date: { type: "date", baseType: "date" },
  timestamp: { type: "timestamp with time zone", baseType: "timestamptz" },
  uuid: { type: "uuid", baseType: "uuid" },
  json: { type: "jsonb", baseType: "jsonb" },
  network: { type: "inet", baseType: "inet" },
  array: { type: "text[]", baseType: "_text", elementFamily: "string" },
};

/** A nullable column of the first family the strategy writes (text when it writes any). */
export function exampleColumn(def: StrategyDefinition<unknown>, table = "example"): ColumnInfo {
  const family = def.meta.columnTypes?.[0] ?? "string";
  return {
    schema: "public",
    table,
    column: "value",
    ordinal: 1,
    type: "text",
    baseType: "text",
    family,
    elementFamily: family,
    maxLength: null,
    notNull: false,
    unique: false,
    generated: false,
    identity: "",
    ...BY_FAMILY[family],
  };
}
