/**
 * Opening postgres.js clients for the source and the target, with errors that name the database but
 * never its password.
 *
 * @module
 */
import postgres from "postgres";
import { EXIT, PgError } from "../errors.ts";
import type { SocketOptions } from "./_tap_socket.ts";

/** Which side of the copy a connection is for. */
/**
 * Options of `sql.unsafe(query, [], ONE_STATEMENT)`: the query goes with the extended protocol, which takes
 * one statement, so a policy's SQL in it cannot end it and run another on the source. postgres.js uses the
 * simple protocol for a query without parameters unless told (`simple: false`, an option its types do not
 * list), and always for `COPY` (`.readable()`): those check the SQL they embed instead (core/sql_condition.ts).
 */
export const ONE_STATEMENT = { prepare: false, simple: false } as postgres.UnsafeQueryOptions;

export type Side = "source" | "target";

/** The URL with its password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) u.searchParams.set(key, "***");
    }
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** Options of {@link openClient}. */
export interface ClientOptions {
  /** Connections in the pool (default 1). */
  max?: number;
  /** `application_name` seen in pg_stat_activity. */
  name?: string;
  /** Seconds to wait for a connection (default 10). */
  connectTimeout?: number;
  /** Read the server's array types at start-up (default true; needed for array parameters). */
  fetchTypes?: boolean;
  /** A postgres.js `socket` option: connects the client's socket itself (see _tap_socket.ts). */
  socket?: (options: SocketOptions) => Promise<unknown>;
}

/** A postgres.js client with notices silenced and no prepared statements. */
export function openClient(url: string, options: ClientOptions = {}): postgres.Sql {
  return postgres(url, {
    max: options.max ?? 1,
    prepare: false,
    onnotice: () => {},
    connect_timeout: options.connectTimeout ?? 10,
    idle_timeout: 0,
    // Per-table clients skip the start-up type query: a connection terminated during it leaves a promise
    // postgres.js never handles (an unhandled rejection). They only run COPY and parameterless SQL;
    // catalog clients keep it, as array parameters need the array types.
    fetch_types: options.fetchTypes ?? true,
    // postgres.js supports a `socket` factory, but its typings do not declare it.
    ...(options.socket ? { socket: options.socket } as unknown as Record<string, never> : {}),
    connection: {
      application_name: options.name ?? "privaci",
      DateStyle: "ISO",
      IntervalStyle: "postgres",
      extra_float_digits: "3",
    },
  });
}

/**
 * Reserves a connection of `sql` for a session of its own (a transaction, temporary tables). A plain
 * query opens the connection first: postgres.js 3.4.9's `reserve()` on a pool with no open connection
 * both queues its request and hands it to the new connection, so a refused connection is tried once more
 * after the caller has seen the error — and when that retry succeeds (the slot it was refused for has
 * freed), it leaves an idle session that nobody ends.
 */
export async function reserveConnection(sql: postgres.Sql): Promise<postgres.ReservedSql> {
  await sql.unsafe("select 1");
  return await sql.reserve();
}

/** Connects and runs a trivial query, turning failures into a {@link PgError} `PG_CONNECT` (exit 4). */
export async function connect(url: string, side: Side, options: ClientOptions = {}): Promise<postgres.Sql> {
  let sql: postgres.Sql;
  try {
    sql = openClient(url, options);
  } catch (e) {
    throw connectError(url, side, e);
  }
  try {
    await sql`select 1`;
  } catch (e) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw connectError(url, side, e);
  }
  return sql;
}

/** The {@link PgError} `PG_CONNECT` (exit 4) for a failure to open a connection to `url`. */
export function connectError(url: string, side: Side, e: unknown): PgError {
  const err = e as { code?: string; message?: string };
  const reason = describeConnectFailure(err);
  return new PgError(
    "PG_CONNECT",
    `Cannot connect to the ${side} database at ${redactUrl(url)}: ${reason}`,
    { sqlstate: /^[0-9A-Z]{5}$/.test(err.code ?? "") ? err.code : undefined },
    {
      exitCode: EXIT.connect,
      cause: e,
      hint: `check the ${side} URL (policy '${side}:' or PRIVACI_${side.toUpperCase()}_URL)`,
    },
  );
}

function describeConnectFailure(err: { code?: string; message?: string }): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return "connection refused (is the server running and listening there?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return "timed out";
    case "28P01":
      return "password authentication failed";
    case "28000":
      return "the server refused this user or host (pg_hba.conf)";
    case "3D000":
      return "the database does not exist";
    case "53300":
      return "the server refused another connection (too many connections for this role or server)";
    case "SASL_SIGNATURE_MISMATCH":
      return "the server's SASL signature did not match";
    default:
      if (/ssl|tls/i.test(err.message ?? "")) return "TLS could not be negotiated";
      return err.code ? `error ${err.code}` : "unknown error";
  }
}
