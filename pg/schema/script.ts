/**
 * A {@link SchemaPlan} as one SQL script, for `--dry-run`: the statements in the order the apply functions
 * run them, each under a comment naming its kind and object, pre-data wrapped in one transaction. The
 * script runs as is with psql; where the rows would be copied there is only a comment.
 *
 * @module
 */
import type { DdlStep, SchemaPlan } from "./plan.ts";

/** The plan as a psql-runnable script. */
export function planToSql(plan: SchemaPlan): string {
  const out = [
    "SET search_path = '';",
    "SET check_function_bodies = off;",
    "SET client_min_messages = warning;",
    "",
  ];
  for (const note of plan.notes) out.push(`-- note: ${oneLine(note)}`);
  if (plan.notes.length > 0) out.push("");
  const section = (title: string, steps: readonly DdlStep[]) => {
    out.push(`-- ${title}`, "");
    for (const s of steps) out.push(`-- ${oneLine(s.kind)}: ${oneLine(s.name)}`, `${s.sql};`, "");
  };
  out.push("BEGIN;", "");
  section("pre-data", plan.pre);
  out.push("COMMIT;", "", "-- the rows are copied here", "");
  section("post-data", plan.post);
  section("materialized views", plan.refresh);
  section("last: event triggers, default privileges, security labels", plan.final);
  section("sequences", plan.sequences);
  return out.join("\n");
}

/** A comment must not end early: quoted identifiers may hold line breaks. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
