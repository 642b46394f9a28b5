/**
 * shared/datasets/chinook.sql, prepared for throwaway databases: without its `DROP/CREATE DATABASE
 * chinook` and `\c chinook` lines (so it loads into the database psql is given), and its DDL part alone.
 *
 * @module
 */
import assert from "node:assert/strict";

/** The dataset; CI has shared/ beside the checkout, as here. */
export const CHINOOK = new URL("../../shared/datasets/chinook.sql", import.meta.url).pathname;
const DATA_MARKER = "Populate Tables";

/** Writes the whole script and its DDL part into `dir` and returns their paths. */
export async function chinookScripts(dir: string): Promise<{ full: string; ddl: string }> {
  const sql = await Deno.readTextFile(CHINOOK);
  const lines = sql.split("\n").filter((l) => !/^\s*(drop database|create database|\\c\s)/i.test(l));
  const rewritten = lines.join("\n");
  const cut = rewritten.indexOf(DATA_MARKER);
  assert.ok(cut > 0, `${CHINOOK} has no '${DATA_MARKER}' section`);
  const full = `${dir}/chinook.sql`;
  const ddl = `${dir}/chinook_ddl.sql`;
  await Deno.writeTextFile(full, rewritten);
  // Cut at the start of the comment block that introduces the data.
  await Deno.writeTextFile(ddl, rewritten.slice(0, rewritten.lastIndexOf("/*", cut)));
  return { full, ddl };
}
