/**
 * Reading the source: one REPEATABLE READ, READ ONLY transaction exports a snapshot, and every table is
 * read with `COPY (SELECT …) TO STDOUT` on its own connection that imports that snapshot, so all tables
 * come from one consistent point in time while production keeps writing.
 *
 * @module
 */
import type postgres from "postgres";
import { PgError } from "../errors.ts";
import { connectError, openClient, reserveConnection } from "./connect.ts";
import { readableToWeb } from "./_node_readable.ts";
import { copyOutStream } from "./copy_out.ts";
import { CopyRowStream } from "./copy_rows.ts";
import type { CopyChunk } from "./copy_text.ts";
import { type TapSocket, tapSocketFactory } from "./_tap_socket.ts";
import { pgErrorFields } from "./server_error.ts";
import { sqlConditionProblem } from "../core/sql_condition.ts";

/** What to read from one table. */
export interface ReadSpec {
  schema: string;
  table: string;
  /** `p` tables are read with their partitions; `r` tables with `ONLY`. */
  kind: "r" | "p";
  columns: readonly string[];
  /** Optional SQL filter (policy `where:`). */
  where?: string;
  /** SQL read in place of a column, by column name (a subset's cut reference: NULL where its row is not kept). */
  expressions?: Readonly<Record<string, string>>;
}

/** An open snapshot of the source database. */
export class SourceSnapshot {
  #url: string;
  #coordinator: postgres.ReservedSql;
  #pool: postgres.Sql;
  #snapshot: string;
  #origin: string;
  #open = new Set<postgres.Sql>();

  private constructor(
    url: string,
    pool: postgres.Sql,
    coordinator: postgres.ReservedSql,
    snapshot: string,
    origin: string,
  ) {
    this.#url = url;
    this.#pool = pool;
    this.#coordinator = coordinator;
    this.#snapshot = snapshot;
    this.#origin = origin;
  }

  /**
   * Begins the exporting transaction on `url`; with `options.join`, imports that snapshot (exported by
   * another process, e.g. the first shard of a run) and exports it again for this process's readers.
   *
   * @throws {PgError} `PG_CONNECT` when the connection cannot be opened (nothing is left open).
   * @throws {PgError} `SNAPSHOT_GONE` when the snapshot to join no longer exists (its exporting
   *   transaction ended).
   */
  static async open(url: string, options: { join?: string } = {}): Promise<SourceSnapshot> {
    const pool = openClient(url, { name: "privaci snapshot" });
    let coordinator: postgres.ReservedSql;
    try {
      coordinator = await reserveConnection(pool);
    } catch (e) {
      await pool.end({ timeout: 0 }).catch(() => {});
      throw connectError(url, "source", e);
    }
    try {
      await coordinator.unsafe("begin isolation level repeatable read read only");
      if (options.join !== undefined) await importSnapshot(coordinator, options.join);
      const [{ id }] = await coordinator.unsafe<{ id: string }[]>("select pg_export_snapshot() as id");
      return new SourceSnapshot(url, pool, coordinator, id, options.join ?? id);
    } catch (e) {
      coordinator.release();
      await pool.end({ timeout: 0 }).catch(() => {});
      throw e;
    }
  }

  /** The exported snapshot id (this process's readers import it). */
  get id(): string {
    return this.#snapshot;
  }

  /** The id of the snapshot as first exported: the joined one, else {@link SourceSnapshot.id}. */
  get origin(): string {
    return this.#origin;
  }

  /** Runs a query inside the snapshot (catalog reads, sequence values). */
  get sql(): postgres.ReservedSql {
    return this.#coordinator;
  }

  /** Streams one table's COPY text rows from the snapshot, on a connection of its own, in chunks of whole rows. */
  async read(spec: ReadSpec): Promise<ReadableStream<CopyChunk>> {
    // COPY goes with the simple protocol, which runs every statement of the text it is given: the
    // filter and the expressions placed in it must each stay one piece of SQL (a policy's `where:` was
    // checked when the policy was loaded; this holds for a policy built in code too).
    for (const part of [spec.where ?? "", ...Object.values(spec.expressions ?? {})]) {
      const problem = sqlConditionProblem(part);
      if (problem !== undefined) {
        throw new PgError(
          "PG_QUERY",
          `Cannot read ${spec.schema}.${spec.table} from the source as its filter ${problem}`,
          { table: `${spec.schema}.${spec.table}` },
          {
            hint:
              "a 'where:' is one SQL condition: put a ';' or an unmatched parenthesis inside a quoted string",
          },
        );
      }
    }
    let socket: TapSocket | null = null;
    const client = openClient(this.#url, {
      name: `privaci read ${spec.schema}.${spec.table}`,
      fetchTypes: false,
      socket: tapSocketFactory((s) => socket = s),
    });
    this.#open.add(client);
    let pid: number | null = null;
    const release = async (error?: unknown) => {
      this.#open.delete(client);
      // A backend blocked writing COPY data never reads our Terminate message and would keep its
      // snapshot (holding back vacuum on production): end it from the coordinator's session.
      if (error !== undefined && pid !== null) {
        await this.#coordinator.unsafe("select pg_terminate_backend($1)", [pid]).catch(() => {});
      }
      await client.end({ timeout: 0 }).catch(() => {});
    };
    try {
      [{ pid }] = await client.unsafe<{ pid: number }[]>("select pg_backend_pid() as pid");
      await client.unsafe("begin isolation level repeatable read read only");
      await client.unsafe(`set transaction snapshot '${this.#snapshot}'`);
      const cols = spec.columns.map((c) =>
        spec.expressions?.[c] === undefined ? quoteIdent(c) : `${spec.expressions[c]} as ${quoteIdent(c)}`
      ).join(", ");
      const from = fromTable(spec);
      const where = spec.where ? ` where ${spec.where}` : "";
      const copy = `copy (select ${cols} from ${from}${where}) to stdout`;
      const tapped = socket as TapSocket | null;
      if (tapped?.tappable) {
        // Rows are split off the socket's bytes (copy_out.ts); postgres.js sees every other message.
        const out = copyOutStream(tapped, { onDone: release });
        try {
          out.attach(await client.unsafe(copy).readable());
        } catch (e) {
          out.detach();
          throw e;
        }
        return out.stream;
      }
      const node = await client.unsafe(copy).readable();
      return readableToWeb(node, { onDone: release }).pipeThrough(new CopyRowStream());
    } catch (e) {
      await release(e);
      const f = pgErrorFields(e);
      throw new PgError(
        "PG_QUERY",
        `Cannot read ${spec.schema}.${spec.table} from the source: ${f.summary}`,
        { sqlstate: f.sqlstate, table: `${spec.schema}.${spec.table}` },
        { cause: e },
      );
    }
  }

  /**
   * Streams the bytes of `copy` (a `COPY (…) TO STDOUT` of PrivaCI's own SQL) from the snapshot, on a
   * connection of its own that ends with the stream. Not on {@link SourceSnapshot.sql}: a COPY that fills
   * postgres.js's stream pauses that connection's socket, and a reply after it may then never be read.
   */
  async copyOut(name: string, copy: string): Promise<ReadableStream<Uint8Array>> {
    const client = openClient(this.#url, { name: `privaci ${name}`, fetchTypes: false });
    this.#open.add(client);
    const release = async () => {
      this.#open.delete(client);
      await client.end({ timeout: 0 }).catch(() => {});
    };
    try {
      await client.unsafe("begin isolation level repeatable read read only");
      await client.unsafe(`set transaction snapshot '${this.#snapshot}'`);
      return readableToWeb(await client.unsafe(copy).readable(), { onDone: release });
    } catch (e) {
      await release();
      throw e;
    }
  }

  /** Ends every connection. */
  async close(): Promise<void> {
    for (const c of this.#open) await c.end({ timeout: 0 }).catch(() => {});
    this.#open.clear();
    await this.#coordinator.unsafe("rollback").catch(() => {});
    this.#coordinator.release();
    await this.#pool.end({ timeout: 0 }).catch(() => {});
  }
}

async function importSnapshot(sql: postgres.ReservedSql, id: string): Promise<void> {
  if (!/^[0-9A-F]+(-[0-9A-F]+)+$/i.test(id)) {
    throw new PgError("SNAPSHOT_GONE", `Cannot join snapshot "${id}": not a snapshot id`, {});
  }
  try {
    await sql.unsafe(`set transaction snapshot '${id}'`);
  } catch (e) {
    const f = pgErrorFields(e);
    throw new PgError(
      "SNAPSHOT_GONE",
      `Cannot join snapshot ${id}: ${f.summary}`,
      { sqlstate: f.sqlstate },
      { cause: e, hint: "the process that exported it has ended; this process reads a snapshot of its own" },
    );
  }
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`. */
export function quoteTable(t: { schema: string; table: string }): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** What a read selects from: `only` an ordinary table (not its inheritance children), a partitioned one whole. */
export function fromTable(t: { schema: string; table: string; kind: "r" | "p" }): string {
  return `${t.kind === "r" ? "only " : ""}${quoteTable(t)}`;
}
