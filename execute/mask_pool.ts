/**
 * A pool of masking workers for one run, so Level 1 masking uses every core. Workers start only when a
 * chunk needs one, build each table's maskers once (from the built-in strategies and the subkeys the main
 * thread derived), and take at most {@link CHUNKS_PER_WORKER} chunks at a time; more wait in a queue.
 *
 * Each worker has a few pairs of buffers that travel to it and back, transferred, for the whole run: a
 * chunk is copied into one, the worker writes its output into the other, and the output is copied out
 * on return. So the source reader's buffers are never detached under it (whatever it does with them),
 * and a worker allocates no buffer per chunk; the two copies cost far less than masking the chunk.
 *
 * Only tables whose every masked column uses built-in strategies can go to the pool: plugins run in
 * their own sandboxes, and a strategy whose meta says `ownWorkers` runs workers of its own.
 *
 * @module
 */
import { PipelineError, PrivaciError } from "../errors.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import type { TableRef } from "../strategies/types.ts";
import { qualified } from "./mask_chunk.ts";
import type { CopyChunk } from "../pg/copy_text.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import {
  type ChunkMessage,
  type FailedMessage,
  fromWire,
  type MaskedMessage,
  type TableMessage,
} from "./_mask_protocol.ts";

/** Chunks a worker holds at once: one being masked, one waiting, so it never idles between them. */
export const CHUNKS_PER_WORKER = 2;

const counts = { started: 0, running: 0 };

/**
 * Masking workers started by this thread so far, and those not yet terminated. Threads of the process
 * cannot tell (other isolates, e.g. parallel test modules, start workers too); these counts can.
 */
export function maskWorkerCounts(): { started: number; running: number } {
  return { ...counts };
}

/** Buffers larger than this (a chunk of huge rows) are used once, not kept for the next chunk. */
const KEEP_BUFFER_BYTES = 4 * 1024 * 1024;

/** The size of a new buffer: the source's chunks are about 256 KiB. */
const BUFFER_BYTES = 320 * 1024;

const BUILTINS = builtinStrategies();

/**
 * The default number of masking workers: none below 4 cores, else one core fewer than there are (the
 * main thread reads and writes), at most 8. On 2 cores, with both PostgreSQL servers on the same machine,
 * 2 workers made a 1M-row, 8-column Level 1 table 5% faster (6.3 s against 6.65 s) for 160 MB more
 * memory: the cores were already busy with the servers' COPY work.
 */
export function defaultMaskWorkers(cores: number = navigator.hardwareConcurrency ?? 1): number {
  return cores < 4 ? 0 : Math.min(8, cores - 1);
}

/** How to build a {@link MaskPool}. */
export interface MaskPoolOptions {
  /** Workers at most (0: none, every table is masked inline). */
  size: number;
  /** The worker module (default `./_mask_worker.ts`). */
  workerUrl?: URL;
  /**
   * A table whose chunks the calling thread masks faster than this many bytes per millisecond stays
   * there: the workers would cost more than they save (default {@link INLINE_FASTER_THAN}).
   */
  inlineFasterThan?: number;
}

/**
 * Bytes per millisecond (64 MB/s) above which a table is masked on the calling thread: copying rows is
 * about that fast, so masking at this speed does not hold the load back.
 */
export const INLINE_FASTER_THAN = 64_000;

/** Options of {@link MaskPool.mask}. */
export interface MaskJobOptions {
  /** 1-based ordinal of the chunk's first row in the table's stream. */
  firstRow: number;
  /** Rejects the job with the signal's reason once aborted. */
  signal?: AbortSignal;
}

interface Job {
  id: number;
  table: TableRef;
  tableId: number;
  columns: readonly MaskedColumn[];
  chunk: CopyChunk;
  firstRow: number;
  settle(error: unknown, out?: CopyChunk): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  tables: Set<number>;
  /** Buffer pairs back from the worker, ready for the next chunk. */
  free: { input: ArrayBuffer; output: ArrayBuffer }[];
}

/** Masking workers shared by every table of a run; {@link close} ends them. */
export class MaskPool {
  #size: number;
  #url: URL;
  #inlineFasterThan: number;
  #slots: Slot[] = [];
  #queue: Job[] = [];
  #tableIds = new WeakMap<readonly MaskedColumn[], number>();
  #nextTable = 1;
  #nextJob = 1;
  #closed = false;

  constructor(options: MaskPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 0 || options.size > 256) {
      throw new RangeError(
        `Cannot construct MaskPool as size must be an integer in 0..256: current value is ${options.size}`,
      );
    }
    this.#size = options.size;
    this.#url = options.workerUrl ?? new URL("./_mask_worker.ts", import.meta.url);
    this.#inlineFasterThan = options.inlineFasterThan ?? INLINE_FASTER_THAN;
  }

  /** Bytes per millisecond above which a table stays on the calling thread (see {@link MaskPoolOptions}). */
  get inlineFasterThan(): number {
    return this.#inlineFasterThan;
  }

  /** Workers at most. */
  get size(): number {
    return this.#size;
  }

  /** Workers running now (they start on demand). */
  get running(): number {
    return this.#slots.length;
  }

  /**
   * True when the pool has workers and every masked column of `columns` (at least one) can be rebuilt
   * in a worker: built from a rule with built-in strategies only, none of which runs workers of its own,
   * by a masker that need not see the whole column.
   */
  accepts(columns: readonly MaskedColumn[]): boolean {
    if (this.#size === 0 || this.#closed) return false;
    let masked = 0;
    for (const c of columns) {
      if (c.masker === null) continue;
      if (!c.recipe || c.masker.wholeColumn) return false;
      for (const def of c.recipe.strategies) {
        const name = def.meta.name;
        if (BUILTINS.get(name) !== def || def.meta.ownWorkers) return false;
      }
      masked++;
    }
    return masked > 0;
  }

  /**
   * Masks one chunk of whole rows of `table` on a worker.
   *
   * @throws {PipelineError} as {@link ChunkMasker.mask} does, or `INTERNAL` when the worker died.
   */
  mask(
    table: TableRef,
    columns: readonly MaskedColumn[],
    chunk: CopyChunk,
    options: MaskJobOptions,
  ): Promise<CopyChunk> {
    if (this.#closed) return Promise.reject(new Error("Cannot mask a chunk as the masking pool is closed"));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let tableId = this.#tableIds.get(columns);
    if (tableId === undefined) this.#tableIds.set(columns, tableId = this.#nextTable++);
    return new Promise<CopyChunk>((resolve, reject) => {
      const onAbort = () => job.settle(signal!.reason);
      const job: Job = {
        id: this.#nextJob++,
        table,
        tableId: tableId!,
        columns,
        chunk,
        firstRow: options.firstRow,
        settle: (error, out) => {
          job.settle = () => {};
          signal?.removeEventListener("abort", onAbort);
          const i = this.#queue.indexOf(job);
          if (i !== -1) this.#queue.splice(i, 1);
          if (out) resolve(out);
          else reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Ends every worker; jobs still pending are rejected. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const stopped = new PrivaciError("INTERRUPTED", "Stopped masking: the masking workers were closed");
    for (const slot of this.#slots) {
      slot.worker.terminate();
      counts.running--;
      for (const job of slot.jobs.values()) job.settle(stopped);
    }
    this.#slots = [];
    for (const job of [...this.#queue]) job.settle(stopped);
  }

  #pump(): void {
    while (!this.#closed && this.#queue.length > 0) {
      const slot = this.#pick();
      if (slot === null) return;
      this.#send(slot, this.#queue.shift()!);
    }
  }

  /** The least busy worker with room, a new one while none is idle and the pool is not full, or null. */
  #pick(): Slot | null {
    let best: Slot | null = null;
    for (const s of this.#slots) {
      if (s.jobs.size < CHUNKS_PER_WORKER && (best === null || s.jobs.size < best.jobs.size)) best = s;
    }
    if ((best === null || best.jobs.size > 0) && this.#slots.length < this.#size) return this.#spawn();
    return best;
  }

  #send(slot: Slot, job: Job): void {
    const settle = job.settle;
    job.settle = (error, out) => {
      slot.jobs.delete(job.id);
      settle(error, out);
      this.#pump();
    };
    slot.jobs.set(job.id, job);
    if (!slot.tables.has(job.tableId)) {
      slot.tables.add(job.tableId);
      const keys = new Map<string, Uint8Array>();
      for (const c of job.columns) for (const [p, k] of c.recipe?.keys ?? []) keys.set(p, k);
      const msg: TableMessage = {
        type: "table",
        id: job.tableId,
        table: { schema: job.table.schema, table: job.table.table },
        columns: job.columns.map((c) => ({
          column: c.column,
          strategy: c.strategy,
          rule: c.masker === null ? null : c.recipe!.rule,
          ...(c.where !== undefined ? { where: c.where } : {}),
        })),
        keys: [...keys],
      };
      slot.worker.postMessage(msg);
    }
    const pair = slot.free.pop() ??
      { input: new ArrayBuffer(BUFFER_BYTES), output: new ArrayBuffer(BUFFER_BYTES) };
    const length = job.chunk.bytes.byteLength;
    if (pair.input.byteLength < length) pair.input = new ArrayBuffer(Math.max(length, BUFFER_BYTES));
    new Uint8Array(pair.input).set(job.chunk.bytes);
    const msg: ChunkMessage = {
      type: "chunk",
      job: job.id,
      table: job.tableId,
      input: pair.input,
      length,
      rows: job.chunk.rows,
      output: pair.output,
      firstRow: job.firstRow,
    };
    slot.worker.postMessage(msg, [pair.input, pair.output]);
  }

  #spawn(): Slot {
    const worker = new Worker(this.#url, { type: "module" });
    counts.started++;
    counts.running++;
    const slot: Slot = { worker, jobs: new Map(), tables: new Set(), free: [] };
    this.#slots.push(slot);
    worker.onmessage = (event: MessageEvent<MaskedMessage | FailedMessage>) => {
      const msg = event.data;
      const job = slot.jobs.get(msg.job);
      // Copied out before the buffer is used again; the copy is the main thread's own allocation.
      const out = msg.type === "masked" ? new Uint8Array(msg.output, 0, msg.length).slice() : null;
      if (msg.input.byteLength <= KEEP_BUFFER_BYTES && msg.output.byteLength <= KEEP_BUFFER_BYTES) {
        slot.free.push({ input: msg.input, output: msg.output });
      }
      if (!job) return;
      if (msg.type === "masked") job.settle(null, { bytes: out!, rows: msg.rows });
      else job.settle(fromWire(msg.error));
    };
    const fail = (reason: string) => {
      worker.terminate();
      if (this.#slots.includes(slot)) counts.running--;
      this.#slots = this.#slots.filter((s) => s !== slot);
      for (const job of [...slot.jobs.values()]) {
        const table = qualified(job.table);
        job.settle(
          new PipelineError(
            "INTERNAL",
            `Cannot mask ${table} as its masking worker failed in the batch from row ${job.firstRow}: ${reason}`,
            { table, row: job.firstRow },
            { hint: "set options.mask_workers: 0 in the policy to mask on the main thread" },
          ),
        );
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      fail(event.message || "it stopped");
    };
    worker.onmessageerror = () => fail("a message could not be read");
    return slot;
  }
}
