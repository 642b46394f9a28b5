/**
 * The masking stage: chunks of whole COPY text rows of the source table in (as the source reader hands
 * them on, with their row count), COPY text bytes for the target out. Kept columns are copied as raw
 * bytes; masked columns are decoded, masked a batch at a time, checked and re-encoded. A table with no
 * masked column passes through untouched.
 *
 * Each chunk is masked by a {@link ChunkMasker},
 * on this thread or, given a {@link MaskPool} that accepts the table, on its workers, at most two chunks
 * per worker at a time and in the source's order. A table goes to the workers only once its first
 * chunks, masked here and timed, show that masking is slower than {@link MaskPool.inlineFasterThan}.
 *
 * @module
 */
import type { TableRef } from "../strategies/types.ts";
import type { CopyChunk } from "../pg/copy_text.ts";
import { ChunkMasker } from "./mask_chunk.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import type { MaskPool } from "./mask_pool.ts";
import { Collector } from "../core/collector.ts";

export { qualified } from "./mask_chunk.ts";

/** Counters the stage keeps while it runs. */
export interface MaskStats {
  rows: number;
  bytesIn: number;
  bytesOut: number;
}

/** Options of {@link MaskStream}. */
export interface MaskStreamOptions {
  /**
   * Masking workers to use when they accept the table (see {@link MaskPool.accepts}); otherwise, and for
   * a table that fits in one chunk, chunks are masked on the calling thread.
   */
  pool?: MaskPool | null;
  /** Stops waiting for the workers once aborted. */
  signal?: AbortSignal;
}

/** Bytes masked on the calling thread, after the first chunk, before choosing between it and the workers. */
const PROBE_BYTES = 256 * 1024;

/**
 * Full collections on this thread, once per {@link COLLECT_BYTES} of chunks and in at most
 * {@link COLLECT_SHARE} of its time: dead chunks are byte arrays, whose memory V8 frees late (see
 * core/collector.ts), and the C heap they were taken from keeps its high-water mark for the rest of the
 * run, also for a table passed through untouched.
 */
const COLLECT_BYTES = 16 * 2 ** 20;
const COLLECT_SHARE = 0.02;
let collector: Collector | null = null;

/** Masks COPY text rows column by column. */
export class MaskStream extends TransformStream<CopyChunk, Uint8Array> {
  /** Live counters, read by progress reporting. */
  readonly stats: MaskStats;

  /**
   * @param table the table being copied, for errors.
   * @param columns the COPY column list, in order, each with its masker (or `null` to keep).
   */
  constructor(table: TableRef, columns: readonly MaskedColumn[], options: MaskStreamOptions = {}) {
    if (columns.length === 0) {
      throw new RangeError("Cannot construct MaskStream as the column list is empty: current value is 0");
    }
    const stats: MaskStats = { rows: 0, bytesIn: 0, bytesOut: 0 };
    const inline = new ChunkMasker(table, columns);
    const pool = options.pool?.accepts(columns) ? options.pool : null;
    // Chunks masked or being masked on the workers, in stream order: output keeps the source's order.
    const inFlight: Promise<CopyChunk>[] = [];
    const window = (pool?.size ?? 0) * 2;
    let sent = 0; // rows handed to masking
    // Chunks are masked here and timed until PROBE_BYTES past the first chunk (which warms the code up)
    // tell whether masking is slow enough for workers to pay; a one-chunk table never starts one.
    let mode: "probe" | "inline" | "pooled" = pool ? "probe" : "inline";
    let probed = 0;
    let timedBytes = 0;
    let timedMs = 0;
    // Once the stream fails or is cancelled, its chunks still queued for the workers are dropped.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;

    const emit = (out: CopyChunk, controller: TransformStreamDefaultController<Uint8Array>) => {
      stats.rows += out.rows;
      stats.bytesOut += out.bytes.length;
      controller.enqueue(out.bytes);
      collector ??= new Collector({ everyBytes: COLLECT_BYTES, maxShare: COLLECT_SHARE });
      collector.handled(out.bytes.length);
    };
    const drain = async (until: number, controller: TransformStreamDefaultController<Uint8Array>) => {
      try {
        while (inFlight.length > until) emit(await inFlight.shift()!, controller);
      } catch (e) {
        stop.abort(e);
        throw e;
      }
    };

    super({
      async transform(chunk, controller) {
        stats.bytesIn += chunk.bytes.length;
        if (chunk.rows === 0) return;
        if (mode !== "pooled") {
          const t0 = performance.now();
          const out = await inline.mask(chunk, sent + 1);
          sent += out.rows;
          if (mode === "probe" && probed++ > 0) {
            timedMs += performance.now() - t0;
            timedBytes += chunk.bytes.length;
            if (timedBytes >= PROBE_BYTES) {
              mode = timedBytes / Math.max(timedMs, 0.001) < pool!.inlineFasterThan ? "pooled" : "inline";
            }
          }
          emit(out, controller);
          return;
        }
        const job = pool!.mask(table, columns, chunk, { firstRow: sent + 1, signal });
        job.catch(() => {}); // seen when it reaches the head; dropped with the stream otherwise
        inFlight.push(job);
        sent += chunk.rows;
        await drain(window - 1, controller);
      },
      async flush(controller) {
        await drain(0, controller);
      },
      cancel(reason) {
        stop.abort(reason);
      },
    });
    this.stats = stats;
  }
}
