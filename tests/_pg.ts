/**
 * Test helpers for the real PostgreSQL the tests run against: `PRIVACI_TEST_PG_URL`, else
 * postgres://postgres@127.0.0.1:5432/postgres. Each test makes its own throwaway databases.
 *
 * @module
 */
import postgres from "postgres";

/** The admin URL tests connect to. */
export const ADMIN_URL = Deno.env.get("PRIVACI_TEST_PG_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The URL of database `db` on the test server. */
export function dbUrl(db: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = "/" + db;
  return u.toString();
}

/** A postgres.js client with notices silenced and one connection. */
export function connect(url: string, max = 1): postgres.Sql {
  return postgres(url, { max, onnotice: () => {}, connection: { application_name: "privaci-test" } });
}

let counter = 0;

/** Creates a database with a unique name and returns its name. */
export async function createDb(prefix = "t"): Promise<string> {
  const name = `privaci_${prefix}_${Deno.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = connect(ADMIN_URL);
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return name;
}

/** Drops a database, ending its other sessions first. */
export async function dropDb(name: string): Promise<void> {
  const admin = connect(ADMIN_URL);
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** Runs `fn` with fresh databases (source and target by default) and drops them afterwards. */
export async function withDbs<T>(
  fn: (dbs: { source: string; target: string; sourceUrl: string; targetUrl: string }) => Promise<T>,
): Promise<T> {
  const source = await createDb("src");
  const target = await createDb("dst");
  try {
    return await fn({ source, target, sourceUrl: dbUrl(source), targetUrl: dbUrl(target) });
  } finally {
    await dropDb(source);
    await dropDb(target);
  }
}

/** Runs SQL text (several statements) against a database. */
export async function exec(url: string, sqlText: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.unsafe(sqlText);
  } finally {
    await sql.end();
  }
}

/** The COPY text output of `COPY (query) TO STDOUT`, as bytes, read with psql so it is independent of PrivaCI. */
export async function copyOut(url: string, query: string): Promise<Uint8Array> {
  const out = await new Deno.Command("psql", {
    args: [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", `COPY (${query}) TO STDOUT`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`psql failed: ${new TextDecoder().decode(out.stderr)}`);
  return out.stdout;
}

/** Loads a .sql file with psql (for datasets that use psql meta-commands). */
export async function psqlFile(url: string, file: string): Promise<void> {
  const out = await new Deno.Command("psql", {
    args: [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`psql -f ${file} failed: ${new TextDecoder().decode(out.stderr)}`);
}
