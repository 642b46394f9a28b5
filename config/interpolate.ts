/**
 * `${VAR}` interpolation for policy string values, as in a shell or Docker Compose:
 *
 * - `${NAME}` is the variable's value; it is an error when the variable is not set.
 * - `${NAME:-default}` is the value, or `default` when the variable is unset or empty.
 * - `$${` writes a literal `${`. A `$` not followed by `{` is kept as it is.
 *
 * Names are `[A-Za-z_][A-Za-z0-9_]*`. Values are never part of what this module reports.
 *
 * @module
 */

/** Reads one environment variable; `undefined` when it is not set. */
export type EnvReader = (name: string) => string | undefined;

/** A problem found in one string. `index` is the offset of its `${` in the string. */
export interface InterpolationProblem {
  kind: "missing" | "malformed";
  /** The variable's name (for `missing`), or what is wrong (for `malformed`). */
  detail: string;
  index: number;
}

/** The outcome of {@link interpolate}. */
export interface InterpolationResult {
  /** The string with every reference replaced (missing ones by `""`). */
  value: string;
  /** True when the string held at least one `${...}` reference. */
  changed: boolean;
  /** Missing variables and malformed references, in order. */
  problems: InterpolationProblem[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` references in `text`.
 *
 * @param text A string value from the policy.
 * @param env Reads a variable.
 * @returns The new string and every problem found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { interpolate } from "./interpolate.ts";
 * const env = (n: string) => ({ HOST: "db1" } as Record<string, string>)[n];
 * assert.equal(interpolate("postgres://${HOST}:${PORT:-5432}/app", env).value, "postgres://db1:5432/app");
 * assert.deepEqual(interpolate("${NOPE}", env).problems, [{ kind: "missing", detail: "NOPE", index: 0 }]);
 * ```
 */
export function interpolate(text: string, env: EnvReader): InterpolationResult {
  const problems: InterpolationProblem[] = [];
  let out = "";
  let changed = false;
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith("$${", dollar)) {
      out += "${";
      changed = true;
      i = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== "{") {
      out += "$";
      i = dollar + 1;
      continue;
    }
    changed = true;
    const close = text.indexOf("}", dollar + 2);
    if (close < 0) {
      problems.push({ kind: "malformed", detail: "'${' has no closing '}'", index: dollar });
      break;
    }
    const body = text.slice(dollar + 2, close);
    const sep = body.indexOf(":-");
    const name = sep < 0 ? body : body.slice(0, sep);
    if (!NAME.test(name)) {
      problems.push({
        kind: "malformed",
        detail: name === "" ? "'${}' names no variable" : "a variable name is letters, digits and '_'",
        index: dollar,
      });
    } else {
      const value = env(name);
      if (sep >= 0) {
        out += value === undefined || value === "" ? body.slice(sep + 2) : value;
      } else if (value === undefined) {
        problems.push({ kind: "missing", detail: name, index: dollar });
      } else {
        out += value;
      }
    }
    i = close + 1;
  }
  return { value: out, changed, problems };
}
