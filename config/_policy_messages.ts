/**
 * Messages of the policy's own that read better than the generic ones for a few keys: the version, the
 * column rule forms, table names, an empty file, and `source`/`target` that may come from the environment.
 *
 * @module
 */
import { kindOf, type ZodIssue } from "./_zod_issues.ts";

const ENV_NAMES: Record<string, string> = { source: "PRIVACI_SOURCE_URL", target: "PRIVACI_TARGET_URL" };

/** A policy-specific message for a zod issue, or `undefined` for the generic one. */
export function policyExplain(issue: ZodIssue, value: unknown): string | undefined {
  const path = issue.path;
  if (path.length === 0 && issue.code === "invalid_type") {
    if (value === null || value === undefined) return "the policy is empty: start it with 'version: 1'";
    return `the policy must be a mapping of keys (version, source, target, tables...), got ${kindOf(value)}`;
  }
  if (path.length === 1 && path[0] === "version" && value === undefined) {
    return "missing required key 'version': start the policy with 'version: 1'";
  }
  if (path.length === 1 && path[0] === "version" && issue.code === "invalid_value") {
    return typeof value === "number"
      ? "unsupported policy version: this release reads version 1"
      : `expected 1, got ${kindOf(value)}`;
  }
  if (
    path.length === 1 && issue.code === "invalid_type" && value === undefined && ENV_NAMES[String(path[0])]
  ) {
    return `missing required key '${String(path[0])}': write it, or set ${ENV_NAMES[String(path[0])]}`;
  }
  if (path.length === 2 && path[0] === "tables" && issue.code === "invalid_key") {
    return `invalid table name '${String(path[1])}': write it as schema.table, e.g. public.customer`;
  }
  const isColumn = path.length === 4 && path[0] === "tables" && path[2] === "columns";
  if (
    isColumn && issue.code === "invalid_union" &&
    (typeof value !== "object" || value === null) && typeof value !== "string"
  ) {
    return `expected a strategy name, a mapping with 'strategy' or a list of when: alternatives, got ${
      kindOf(value)
    }`;
  }
  return undefined;
}
