/**
 * SQL pieces `verify` runs on both sides: a keyed 64-bit digest of a text, the text form of a column, and
 * its tokens. Values are digested inside each server, so only digests travel, and only into a temporary
 * table of the target.
 *
 * The digest key is random per verification and set as a session setting (`privaci.verify_key`) through a
 * bound parameter, so it never appears in a statement text or a server log; digests mean nothing once the
 * session ends.
 *
 * @module
 */
import type postgres from "postgres";
import { quoteIdent } from "../pg/source.ts";
import type { ColumnInfo } from "../strategies/types.ts";

/** The session setting holding the digest key. */
const KEY_SETTING = "privaci.verify_key";

/** A fresh random digest key, as hex (it never leaves the two sessions). */
export function newDigestKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sets the digest key in a session (for the session, not only the transaction). */
export async function setDigestKey(sql: postgres.Sql | postgres.ReservedSql, key: string): Promise<void> {
  await sql.unsafe(`select set_config('${KEY_SETTING}', $1, false)`, [key]);
}

/** The keyed 64-bit digest of a text expression: the first 8 bytes of SHA-256(key ‖ text), as bigint. */
export function digest(textExpr: string): string {
  return `('x' || left(encode(sha256(convert_to(current_setting('${KEY_SETTING}') || (${textExpr}), 'UTF8')), 'hex'), 16))::bit(64)::bigint`;
}

/** The column as text: arrays as their elements one per line, everything else in its text form. */
export function textOf(column: ColumnInfo, alias = ""): string {
  const ref = `${alias}${quoteIdent(column.column)}`;
  return column.family === "array" ? `array_to_string(${ref}, E'\\n')` : `${ref}::text`;
}

/**
 * A lateral source of a column's tokens (`tok`): lower-cased runs of letters and digits, at least three
 * characters with a letter, or six digits. Shorter tokens and short numbers (years, house numbers) say
 * nothing about a person and would match everywhere.
 */
export function tokensOf(textExpr: string): string {
  return `lateral (select t as tok from regexp_split_to_table(lower(${textExpr}), '[^[:alnum:]]+') t
    where length(t) >= 3 and (t ~ '[[:alpha:]]' or length(t) >= 6)) toks`;
}

/** The primary key of a row as one text (columns joined by U+001F), for per-row digests. */
export function rowKey(primaryKey: readonly string[], alias = ""): string {
  return primaryKey.map((c) => `coalesce(${alias}${quoteIdent(c)}::text, '')`).join(` || E'\\x1f' || `);
}
