/**
 * What the masking pool and its workers say to each other, and how an error crosses between them so
 * that the main thread rethrows the very {@link PipelineError} the worker raised.
 *
 * @module
 */
import { type ErrorCode, PipelineError, PrivaciError } from "../errors.ts";
import type { ColumnInfo, TableRef } from "../strategies/types.ts";
import type { WireRule } from "../plan/maskers.ts";

/** Main → worker: build the maskers of one table. */
export interface TableMessage {
  type: "table";
  id: number;
  table: TableRef;
  /** The COPY column list; `rule` is `null` for kept columns. */
  columns: { column: ColumnInfo; strategy: string; rule: WireRule | null; where?: string }[];
  keys: [string, Uint8Array][];
}

/**
 * Main → worker: mask the first `length` bytes of `input` (`rows` whole rows), writing the result into
 * `output`. Both buffers belong to the worker's slot and come back with the reply, to be used again.
 */
export interface ChunkMessage {
  type: "chunk";
  job: number;
  table: number;
  input: ArrayBuffer;
  length: number;
  rows: number;
  output: ArrayBuffer;
  firstRow: number;
}

/** Worker → main: the masked rows are the first `length` bytes of `output` (possibly a bigger new buffer). */
export interface MaskedMessage {
  type: "masked";
  job: number;
  input: ArrayBuffer;
  output: ArrayBuffer;
  length: number;
  rows: number;
}

/** Worker → main: masking the chunk failed; the buffers come back all the same. */
export interface FailedMessage {
  type: "failed";
  job: number;
  input: ArrayBuffer;
  output: ArrayBuffer;
  error: WireError;
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  hint?: string;
  fields?: { table: string; column?: string; strategy?: string; row?: number };
  cause?: WireError;
}

/** Flattens an error (and its causes, a few deep) for `postMessage`. */
export function toWire(e: unknown, depth = 0): WireError {
  if (!(e instanceof Error)) return { name: "Error", message: String(e) };
  const wire: WireError = { name: e.name, message: e.message };
  if (e.stack !== undefined) wire.stack = e.stack;
  if (e instanceof PrivaciError) {
    wire.code = e.code;
    if (e.hint !== undefined) wire.hint = e.hint;
  }
  if (e instanceof PipelineError) {
    wire.fields = { table: e.table };
    if (e.column !== undefined) wire.fields.column = e.column;
    if (e.strategy !== undefined) wire.fields.strategy = e.strategy;
    if (e.row !== undefined) wire.fields.row = e.row;
  }
  if (e.cause !== undefined && depth < 4) wire.cause = toWire(e.cause, depth + 1);
  return wire;
}

/** Rebuilds the error a worker raised: a {@link PipelineError} stays one, with its code and fields. */
export function fromWire(wire: WireError): Error {
  const options = {
    ...(wire.cause ? { cause: fromWire(wire.cause) } : {}),
    ...(wire.hint !== undefined ? { hint: wire.hint } : {}),
  };
  let e: Error;
  if (wire.fields && wire.code) {
    e = new PipelineError(wire.code as ErrorCode, wire.message, wire.fields, options);
  } else if (wire.code) {
    e = new PrivaciError(wire.code as ErrorCode, wire.message, options);
    e.name = wire.name;
  } else {
    e = new Error(wire.message, options.cause ? { cause: options.cause } : undefined);
    e.name = wire.name;
  }
  if (wire.stack !== undefined) e.stack = wire.stack;
  return e;
}
