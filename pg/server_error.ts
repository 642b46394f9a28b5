/**
 * Turning a server error into fields that are safe to show: SQLSTATE, the objects it names, the COPY line
 * and column, and a summary with every quoted value removed (PostgreSQL quotes the offending input in
 * messages such as `invalid input syntax for type integer: "…"` and in DETAIL lines, which are never shown).
 *
 * @module
 */

/** The safe parts of a server or client error. */
export interface SafeErrorFields {
  sqlstate?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** 1-based line of the COPY data where the server stopped, when it said. */
  copyLine?: number;
  /** Message with quoted values removed. */
  summary: string;
}

/** Extracts {@link SafeErrorFields} from anything thrown by postgres.js. */
export function pgErrorFields(e: unknown): SafeErrorFields {
  const err = (e ?? {}) as Record<string, unknown>;
  const code = typeof err.code === "string" ? err.code : undefined;
  const sqlstate = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const where = typeof err.where === "string" ? err.where : "";
  const m = /COPY [^,]+, line (\d+)(?:, column ([^:\n]+))?/.exec(where);
  const message = typeof err.message === "string" ? err.message : String(e);
  const fields: SafeErrorFields = {
    summary: sanitizeMessage(message) + (sqlstate ? ` (SQLSTATE ${sqlstate})` : ""),
  };
  if (sqlstate) fields.sqlstate = sqlstate;
  if (typeof err.table_name === "string") fields.table = err.table_name;
  if (typeof err.column_name === "string") fields.column = err.column_name;
  else if (m?.[2]) fields.column = m[2];
  if (typeof err.constraint_name === "string") fields.constraint = err.constraint_name;
  if (m) fields.copyLine = Number(m[1]);
  return fields;
}

/** Removes quoted values from a server message, keeping quoted identifiers of constraints and relations. */
export function sanitizeMessage(message: string): string {
  return message
    .replace(/: "[\s\S]*"$/, "") // greedy: PostgreSQL does not escape quotes inside the value it shows
    .replace(/: '(?:[^']|'')*'$/s, "")
    .replace(/=\([\s\S]*\)/, "=(…)")
    .split("\n")[0];
}
