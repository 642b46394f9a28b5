/**
 * `deno task demo`: masks a small shop database end to end and shows the result.
 *
 * With no PRIVACI_SOURCE_URL / PRIVACI_TARGET_URL it starts a real embedded PostgreSQL 18 (no install
 * needed). With them set, it creates the databases `privaci_demo_source` and `privaci_demo_target` on
 * those servers instead. Either way it seeds the source, creates the schema on the target, runs the policy
 * in examples/demo/privaci.yaml, and prints a before/after sample and the run report.
 *
 * @module
 */
import postgres from "postgres";
import { loadPolicy } from "../../config/load.ts";
import { run } from "../../execute/run.ts";
import { formatText } from "../../report/format_text.ts";
import { startEmbedded } from "../../pg/embedded.ts";
import { redactUrl } from "../../pg/connect.ts";
import { DEMO_SCHEMA, demoRows } from "./seed.ts";
import { ConfigError, PrivaciError } from "../../errors.ts";
import { formatDiagnostics } from "../../core/diagnostic.ts";

const DEMO_KEY = "base64:" + btoa("privaci demo key - never use it for real data!");

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function recreate(adminUrl: string, db: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${db}" with (force)`);
    await admin.unsafe(`create database "${db}"`);
  } finally {
    await admin.end();
  }
  return withDb(adminUrl, db);
}

async function sample(url: string, query: string): Promise<Record<string, unknown>[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return [...await sql.unsafe(query)];
  } finally {
    await sql.end();
  }
}

const envSource = Deno.env.get("PRIVACI_SOURCE_URL");
const envTarget = Deno.env.get("PRIVACI_TARGET_URL");
let failed = 0;
let server: Awaited<ReturnType<typeof startEmbedded>> | null = null;
let sourceAdmin: string;
let targetAdmin: string;
if (envSource && envTarget) {
  sourceAdmin = envSource;
  targetAdmin = envTarget;
  console.log(`using the servers of PRIVACI_SOURCE_URL (${redactUrl(envSource)}) and PRIVACI_TARGET_URL`);
} else {
  console.log("starting an embedded PostgreSQL 18 (no PRIVACI_SOURCE_URL/PRIVACI_TARGET_URL set)…");
  server = await startEmbedded();
  sourceAdmin = targetAdmin = server.url;
}
try {
  const sourceUrl = await recreate(sourceAdmin, "privaci_demo_source");
  const targetUrl = await recreate(targetAdmin, "privaci_demo_target");
  const seed = postgres(sourceUrl, { max: 1, onnotice: () => {} });
  await seed.unsafe(DEMO_SCHEMA + demoRows(200));
  await seed.end();
  const target = postgres(targetUrl, { max: 1, onnotice: () => {} });
  await target.unsafe(DEMO_SCHEMA);
  await target.end();

  const env: Record<string, string> = {
    PRIVACI_SOURCE_URL: sourceUrl,
    PRIVACI_TARGET_URL: targetUrl,
    PRIVACI_KEY: Deno.env.get("PRIVACI_KEY") ?? DEMO_KEY,
  };
  const policyFile = new URL("./privaci.yaml", import.meta.url).pathname;
  const loaded = await loadPolicy(policyFile, { env: (n) => env[n] ?? Deno.env.get(n) });
  const report = await run(loaded, {
    onProgress: (e) => e.type === "table-done" && console.log(`  ✓ ${e.table}: ${e.report.rows} rows`),
  });

  const customers =
    "select id, first_name, last_name, email, phone, city, card_number from customers order by id limit 3";
  const tickets = `select t.id, t.body, c.first_name || ' ' || c.last_name as customer
    from support_tickets t join customers c on c.id = t.customer_id order by t.id limit 4`;
  console.log("\nBEFORE (source) customers:");
  console.table(await sample(sourceUrl, customers));
  console.log("AFTER (target) customers:");
  console.table(await sample(targetUrl, customers));
  const before = await sample(sourceUrl, tickets);
  const after = await sample(targetUrl, tickets);
  console.log("\nSupport tickets, before → after:");
  for (let i = 0; i < before.length; i++) {
    console.log(`  customer ${before[i].customer} → ${after[i].customer}`);
    console.log(`  - ${before[i].body}\n  + ${after[i].body}\n`);
  }
  console.log(formatText(report));
} catch (e) {
  if (!(e instanceof PrivaciError)) throw e;
  console.error(`error: ${e.message}`);
  if (e instanceof ConfigError) console.error(formatDiagnostics(e.diagnostics));
  if (e.hint) console.error(`hint: ${e.hint}`);
  failed = e.exitCode;
} finally {
  await server?.stop();
}
if (failed) Deno.exit(failed);
