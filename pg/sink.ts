/**
 * Writing the target: one table per transaction, `COPY … FROM STDIN` fed by a Web WritableStream that
 * waits for 'drain' (so backpressure reaches the pipeline), surfaces the server's error whenever it
 * arrives, and on abort sends CopyFail and rolls back, so a half table is never committed.
 *
 * postgres.js 3.4.9 never settles its COPY writable when the server rejects the data after CopyDone
 * (porsager/postgres#1173). The server's error still reaches the query's `reject`, which we observe, so
 * the stream fails with that error instead of hanging.
 *
 * postgres.js also copies every chunk written to its COPY writable into a new CopyData message
 * (`Buffer.concat` of a 5-byte header and the chunk). On a plain TCP connection the sink writes the
 * header and the chunk to the socket itself instead; postgres.js still sends CopyDone or CopyFail and
 * reads every reply, so its state machine and error handling stay its own.
 *
 * @module
 */
import type postgres from "postgres";
import type { Writable } from "node:stream";
import { PgError } from "../errors.ts";
import { openClient } from "./connect.ts";
import { quoteIdent, quoteTable } from "./source.ts";
import { pgErrorFields } from "./server_error.ts";
import { type TapSocket, tapSocketFactory } from "./_tap_socket.ts";

const COPY_DATA = 0x64; // 'd'

/** A CopyData message header for a payload of `length` bytes. */
function copyDataHeader(length: number): Uint8Array {
  const h = new Uint8Array(5);
  h[0] = COPY_DATA;
  new DataView(h.buffer).setUint32(1, length + 4);
  return h;
}

/** What to write into one table. */
export interface WriteSpec {
  schema: string;
  table: string;
  columns: readonly string[];
  /** Runs inside the table's transaction after the COPY succeeded, before COMMIT (checkpoints). */
  beforeCommit?: (tx: postgres.Sql) => Promise<void>;
  /** Runs inside the transaction before the COPY (e.g. `SET LOCAL session_replication_role`). */
  setup?: readonly string[];
  /** Stops waiting for the COPY to start (e.g. behind a lock on the table): the query is cancelled. */
  signal?: AbortSignal;
}

/** A table load in progress. */
export interface TableSink {
  /** Where the COPY text rows go; closing it commits, aborting it rolls back. */
  writable: WritableStream<Uint8Array>;
  /** Settles once the transaction committed (or failed). */
  committed: Promise<void>;
}

/** Opens a connection and a transaction for one table and starts `COPY … FROM STDIN`. */
export async function openSink(url: string, spec: WriteSpec): Promise<TableSink> {
  const name = `${spec.schema}.${spec.table}`;
  let socket: TapSocket | null = null;
  const client = openClient(url, {
    name: `privaci write ${name}`,
    fetchTypes: false,
    socket: tapSocketFactory((s) => socket = s),
  });
  let node: Writable;
  let serverError: unknown = undefined;
  let onServerError: ((e: unknown) => void) | null = null;
  const toError = (e: unknown) => {
    if (e instanceof PgError) return e;
    const f = pgErrorFields(e);
    const at = f.copyLine ? ` at row ${f.copyLine}` : "";
    const col = f.column ? ` column ${f.column}` : "";
    return new PgError(
      "PG_COPY",
      `Cannot load ${name}${col ? " (" + col.trim() + ")" : ""}${at}: ${f.summary}`,
      { sqlstate: f.sqlstate, table: name, column: f.column },
      { cause: e },
    );
  };
  const end = () => client.end({ timeout: 0 }).catch(() => {});
  try {
    await client.unsafe("begin");
    for (const s of spec.setup ?? []) await client.unsafe(s);
    const cols = spec.columns.map(quoteIdent).join(", ");
    const query = client.unsafe(
      `copy ${quoteTable(spec)} (${cols}) from stdin`,
    );
    const q = query as unknown as { reject: (e: unknown) => void };
    const reject = q.reject;
    q.reject = (e: unknown) => {
      serverError ??= e;
      onServerError?.(e);
      return reject(e);
    };
    const cancel = () => void query.cancel();
    spec.signal?.addEventListener("abort", cancel, { once: true });
    try {
      spec.signal?.throwIfAborted();
      node = await query.writable();
    } finally {
      spec.signal?.removeEventListener("abort", cancel);
    }
  } catch (e) {
    await end();
    throw toError(e);
  }
  let resolveCommitted!: () => void;
  let rejectCommitted!: (e: unknown) => void;
  const committed = new Promise<void>((res, rej) => {
    resolveCommitted = res;
    rejectCommitted = rej;
  });
  committed.catch(() => {});
  const fail = async (e: unknown) => {
    const err = toError(e);
    rejectCommitted(err);
    await end();
    return err;
  };

  /** Resolves when `node` is ready for more, the server failed, or the stream errored. */
  const wait = (event: "drain" | "finish") =>
    new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        node.off(event, ok);
        node.off("error", bad);
        onServerError = null;
      };
      const ok = () => (cleanup(), resolve());
      const bad = (e: unknown) => (cleanup(), reject(e));
      if (serverError !== undefined) return reject(serverError);
      node.once(event, ok);
      node.once("error", bad);
      onServerError = bad;
    });
  node.on("error", () => {}); // handled through wait(); keeps Node from treating it as unhandled

  // Frames written straight to the socket: only on plain TCP (a TLS socket wraps this one).
  const direct = (socket as TapSocket | null)?.tappable ? socket as unknown as TapSocket : null;
  /** Resolves when the socket drained, and rejects when the server failed or the connection ended. */
  const drained = (sock: TapSocket) =>
    new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        sock.off("drain", ok);
        sock.off("close", closed);
        onServerError = null;
      };
      const ok = () => (cleanup(), resolve());
      const bad = (e: unknown) => (cleanup(), reject(e));
      const closed = () => bad(serverError ?? new Error("The connection closed during COPY"));
      if (serverError !== undefined) return reject(serverError);
      if (sock.destroyed) return closed();
      sock.once("drain", ok);
      sock.once("close", closed);
      onServerError = bad;
    });

  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      if (serverError !== undefined) throw await fail(serverError);
      if (chunk.length === 0) return;
      try {
        if (direct === null) {
          if (!node.write(chunk)) await wait("drain");
          return;
        }
        direct.write(copyDataHeader(chunk.length));
        if (!direct.write(chunk)) await drained(direct);
      } catch (e) {
        throw await fail(e);
      }
    },
    async close() {
      try {
        if (serverError !== undefined) throw serverError;
        const finished = wait("finish");
        node.end();
        // An abort that arrives while the server still works through the data (all of it already sent)
        // must still roll back: close() cannot be interrupted by the stream's own abort.
        let onAbort: (() => void) | undefined;
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(spec.signal!.reason ?? new Error("aborted"));
          if (spec.signal?.aborted) onAbort();
          else spec.signal?.addEventListener("abort", onAbort, { once: true });
        });
        aborted.catch(() => {});
        try {
          await (spec.signal ? Promise.race([finished, aborted]) : finished);
        } finally {
          if (onAbort) spec.signal?.removeEventListener("abort", onAbort);
        }
        if (serverError !== undefined) throw serverError;
        spec.signal?.throwIfAborted();
        if (spec.beforeCommit) await spec.beforeCommit(client);
        spec.signal?.throwIfAborted();
        await client.unsafe("commit");
        resolveCommitted();
        await end();
      } catch (e) {
        throw await fail(e);
      }
    },
    async abort(reason) {
      node.destroy(reason instanceof Error ? reason : new Error("aborted"));
      await fail(reason ?? new Error("aborted"));
    },
  }, { highWaterMark: 1 });
  return { writable, committed };
}
