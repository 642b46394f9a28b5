/**
 * The bench's databases: throwaway source and targets on the local PostgreSQL, seeded and shaped with
 * psql (the same client the physical-limit pipe uses), plus the facts the report needs about them.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The server the bench runs on: `BENCH_PG_URL`, else the local trust-auth PostgreSQL. */
export const ADMIN_URL = Deno.env.get("BENCH_PG_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The benchmark tables in foreign-key order (parents first). */
export const TABLES = ["customers", "orders", "support_tickets"] as const;

/** One of {@link TABLES}. */
export type BenchTable = (typeof TABLES)[number];

/** The two kinds of target every scenario loads into. */
export const TARGET_KINDS = ["cheap", "realistic"] as const;

/** One of {@link TARGET_KINDS}. */
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A file of this folder. */
export function benchFile(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

/** The URL of database `db` on the bench server. */
export function dbUrl(db: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = "/" + db;
  return u.toString();
}

/** Runs psql on `url` with `args` and fails with its stderr when it fails; returns stdout. */
export async function psql(url: string, args: readonly string[]): Promise<string> {
  const out = await new Deno.Command("psql", {
    args: [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Cannot run psql: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** One value of a one-row, one-column query. */
export async function scalar(url: string, query: string): Promise<string> {
  return (await psql(url, ["-A", "-t", "-c", query])).trim();
}

/** Creates a fresh, uniquely named database and returns its name. */
export async function createDb(role: string): Promise<string> {
  const name = `privaci_bench_${role}_${Deno.pid}_${Date.now().toString(36)}`;
  await psql(ADMIN_URL, ["-c", `create database "${name}"`]);
  return name;
}

/** Drops a database, ending its sessions first. */
export async function dropDb(name: string): Promise<void> {
  await psql(ADMIN_URL, ["-c", `drop database if exists "${name}" with (force)`]);
}

/** Creates the source schema, seeds it at `scale` and adds its keys and indexes. */
export async function seedSource(url: string, scale: number): Promise<void> {
  await psql(url, ["-f", benchFile("schema.sql")]);
  await psql(url, ["-v", `scale=${scale}`, "-f", benchFile("seed.sql")]);
  await psql(url, ["-f", benchFile("constraints.sql")]);
}

/**
 * Creates a source seeded at `scale` and an empty realistic target, naming both in `dbs` as soon as they
 * exist (the caller drops them). Returns their URLs.
 */
export async function sourceAndTarget(
  scale: number,
  dbs: string[],
  log: (s: string) => void,
): Promise<{ sourceUrl: string; targetUrl: string }> {
  const source = await createDb("src");
  dbs.push(source);
  const target = await createDb("realistic");
  dbs.push(target);
  log(`seeding the source at scale ${scale} …`);
  await seedSource(dbUrl(source), scale);
  await shapeTarget(dbUrl(target), "realistic");
  return { sourceUrl: dbUrl(source), targetUrl: dbUrl(target) };
}

/** Creates the target schema of one kind. */
export async function shapeTarget(url: string, kind: TargetKind): Promise<void> {
  if (kind === "cheap") await psql(url, ["-f", benchFile("target_cheap.sql")]);
  else {
    await psql(url, ["-f", benchFile("schema.sql")]);
    await psql(url, ["-f", benchFile("constraints.sql")]);
  }
}

/** Empties the target tables and writes a checkpoint, so every timed run starts from the same state. */
export async function resetTarget(url: string): Promise<void> {
  await psql(url, ["-c", `truncate ${TABLES.join(", ")}`, "-c", "checkpoint"]);
}

/** What the report needs to know about one source table. */
export interface TableFacts {
  rows: number;
  /** Size of its `COPY … TO STDOUT` text. */
  copyBytes: number;
}

/** Row counts and COPY text sizes of every table (each read once with psql). */
export async function tableFacts(url: string): Promise<Record<BenchTable, TableFacts>> {
  const facts = {} as Record<BenchTable, TableFacts>;
  for (const t of TABLES) {
    const child = new Deno.Command("psql", {
      args: [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", `copy ${t} to stdout`],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    let bytes = 0;
    let rows = 0;
    for await (const chunk of child.stdout) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) rows++;
    }
    const status = await child.status;
    if (!status.success) throw new Error(`Cannot read ${t} from the source: psql exited with ${status.code}`);
    facts[t] = { rows, copyBytes: bytes };
  }
  return facts;
}

/** Whitespace-separated words in every support ticket body (what Level 2 scrubs). */
export async function ticketWords(url: string): Promise<number> {
  const n = await scalar(
    url,
    "select coalesce(sum(array_length(regexp_split_to_array(body, '\\s+'), 1)), 0) from support_tickets",
  );
  return Number(n);
}

/** The server's `server_version`. */
export async function serverVersion(url: string): Promise<string> {
  return await scalar(url, "show server_version");
}
