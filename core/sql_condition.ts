/**
 * Whether a policy's SQL condition (`where:`) stays one condition once placed in a query. PrivaCI puts it
 * inside `COPY (SELECT … WHERE (<condition>)) TO STDOUT` and other queries; a `;` outside string literals,
 * quoted identifiers and comments would end that statement and let the next one run on the source
 * outside its read-only transaction (`true; commit; delete …`), and a `)` that closes more than the
 * condition opened would let it rewrite the statement around it (`true) TO PROGRAM '…' --`). An
 * unterminated literal or comment would swallow the SQL after it.
 *
 * Backslashes in plain `'…'` literals are escapes or not depending on the server's
 * `standard_conforming_strings`, so a condition is scanned both ways and must pass both.
 *
 * @module
 */

/**
 * The reason `sql` is not one self-contained condition, or `undefined` when it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sqlConditionProblem } from "./sql_condition.ts";
 * assert.equal(sqlConditionProblem("country = 'DE;AT' and (id > 3)"), undefined);
 * assert.equal(
 *   sqlConditionProblem("true; commit; delete from customers"),
 *   "has a statement separator ';' at character 5",
 * );
 * ```
 */
export function sqlConditionProblem(sql: string): string | undefined {
  return scan(sql, false) ?? scan(sql, true);
}

function scan(sql: string, backslashEscapes: boolean): string | undefined {
  let depth = 0;
  let i = 0;
  const n = sql.length;
  const at = (k: number) => `at character ${k + 1}`;
  while (i < n) {
    const c = sql[i];
    const start = i;
    if (c === ";") return `has a statement separator ';' ${at(i)}`;
    if (c === "(") depth++;
    else if (c === ")") {
      if (--depth < 0) return `closes a parenthesis it did not open ${at(i)}`;
    } else if (c === "-" && sql[i + 1] === "-") {
      // A line comment: what follows the condition on its line would be commented out.
      const end = sql.indexOf("\n", i);
      if (end < 0) return `ends in a '--' comment ${at(i)}, which would swallow the query after it`;
      i = end;
    } else if (c === "/" && sql[i + 1] === "*") {
      // Block comments nest in PostgreSQL.
      let level = 1;
      i += 2;
      while (i < n && level > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") level++, i++;
        else if (sql[i] === "*" && sql[i + 1] === "/") level--, i++;
        i++;
      }
      if (level > 0) return `leaves the comment opened ${at(start)} unclosed`;
      continue;
    } else if (c === "'") {
      const prev = sql[i - 1];
      const escaped = backslashEscapes || ((prev === "E" || prev === "e") && !isIdent(sql[i - 2]));
      i = endOfQuoted(sql, i, "'", escaped);
      if (i < 0) return `leaves the string literal opened ${at(start)} unclosed`;
      continue;
    } else if (c === '"') {
      i = endOfQuoted(sql, i, '"', false);
      if (i < 0) return `leaves the quoted identifier opened ${at(start)} unclosed`;
      continue;
    } else if (c === "$" && !isIdent(sql[i - 1])) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        if (end < 0) return `leaves the dollar-quoted string opened ${at(start)} unclosed`;
        i = end + tag[0].length;
        continue;
      }
    }
    i++;
  }
  if (depth > 0) return `leaves ${depth} parenthes${depth === 1 ? "is" : "es"} open`;
  return undefined;
}

/** The index after the closing `quote` of the quoted text starting at `i`, or -1 when it is not closed. */
function endOfQuoted(sql: string, i: number, quote: string, backslash: boolean): number {
  for (let k = i + 1; k < sql.length; k++) {
    if (backslash && sql[k] === "\\") k++;
    else if (sql[k] === quote) {
      if (sql[k + 1] === quote) k++;
      else return k + 1;
    }
  }
  return -1;
}

function isIdent(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}
