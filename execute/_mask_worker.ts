/**
 * A masking worker: builds each table's maskers from the built-in strategies and the subkeys it is sent
 * (once per table), then masks the chunks it is sent with the same {@link ChunkMasker} the main thread
 * uses. Buffers travel transferred, both ways.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { PipelineError } from "../errors.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import { ChunkMasker } from "./mask_chunk.ts";
import { type MaskedColumn, MaskerFactory } from "../plan/maskers.ts";
import {
  type ChunkMessage,
  type FailedMessage,
  type MaskedMessage,
  type TableMessage,
  toWire,
} from "./_mask_protocol.ts";

const registry = builtinStrategies();
const tables = new Map<number, Promise<ChunkMasker>>();

async function build(msg: TableMessage): Promise<ChunkMasker> {
  try {
    return await buildColumns(msg);
  } catch (e) {
    const table = `${msg.table.schema}.${msg.table.table}`;
    throw new PipelineError(
      "INTERNAL",
      `Cannot mask ${table} in a masking worker: building its maskers failed: ${(e as Error).message}`,
      { table },
      { cause: e },
    );
  }
}

async function buildColumns(msg: TableMessage): Promise<ChunkMasker> {
  const keys = new Map(msg.keys);
  const factory = new MaskerFactory(registry, {
    derive(purpose: string) {
      const key = keys.get(purpose);
      return key
        ? Promise.resolve(key)
        : Promise.reject(new Error(`Cannot build a masker in a worker: no subkey for ${purpose}`));
    },
  });
  const columns: MaskedColumn[] = [];
  for (const c of msg.columns) {
    const masker = c.rule === null ? null : await factory.rebuild(c.rule, c.column);
    columns.push({ column: c.column, strategy: c.strategy, masker, ...(c.where ? { where: c.where } : {}) });
  }
  return new ChunkMasker(msg.table, columns);
}

async function mask(msg: ChunkMessage): Promise<void> {
  try {
    const masker = await tables.get(msg.table)!;
    const chunk = { bytes: new Uint8Array(msg.input, 0, msg.length), rows: msg.rows };
    // Written into the slot's output buffer, or a larger new one when the rows do not fit.
    const out = await masker.mask(chunk, msg.firstRow, new Uint8Array(msg.output));
    const output = out.bytes.buffer as ArrayBuffer;
    const written = out.bytes.length;
    const rows = out.rows;
    const reply: MaskedMessage = {
      type: "masked",
      job: msg.job,
      input: msg.input,
      output,
      length: written,
      rows,
    };
    self.postMessage(reply, [reply.input, reply.output]);
  } catch (e) {
    const reply: FailedMessage = {
      type: "failed",
      job: msg.job,
      input: msg.input,
      output: msg.output,
      error: toWire(e),
    };
    self.postMessage(reply, [reply.input, reply.output]);
  }
}

self.onmessage = (event: MessageEvent<TableMessage | ChunkMessage>) => {
  const msg = event.data;
  if (msg.type === "table") {
    const built = build(msg);
    built.catch(() => {}); // reported through each chunk of the table
    tables.set(msg.id, built);
  } else {
    void mask(msg);
  }
};
