/**
 * Full garbage collections asked for by a thread whose garbage V8 would collect late: the pipeline's
 * thread, whose garbage is mostly the byte arrays of COPY chunks, and a detector worker, whose old
 * generation fills with each batch's texts and spans. V8 frees the memory behind a dead `Uint8Array`
 * only when it collects the array object, and counts that memory only as "external": a thread that
 * allocates few objects per byte lets tens of MiB of dead chunks pile up before its own trigger fires.
 *
 * Deno takes V8 flags only on its command line and its workers have no `resourceLimits`, so the
 * collection is asked for from here: `--expose-gc` set at run time through `node:v8` makes `gc` a global
 * of the contexts created afterwards, and a fresh `node:vm` context hands it over. In Deno that `gc` is
 * a low-memory notification (a full, compacting collection), dear enough that a {@link Collector} runs
 * it only after enough bytes and within a share of the thread's time.
 *
 * @module
 */
import v8 from "node:v8";
import vm from "node:vm";

/** Collects garbage now, synchronously. */
export type CollectGarbage = () => void;

let found: CollectGarbage | null | undefined;

/** The thread's `gc`, exposed on first use; `null` when this runtime will not hand it over. */
export function garbageCollector(): CollectGarbage | null {
  if (found !== undefined) return found;
  try {
    const own = (globalThis as { gc?: unknown }).gc;
    if (typeof own === "function") return found = own as CollectGarbage;
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("typeof gc === 'function' ? gc : null");
    found = typeof gc === "function" ? gc as CollectGarbage : null;
  } catch {
    found = null;
  }
  return found;
}

/** How often a {@link Collector} collects. */
export interface CollectorOptions {
  /** Bytes handled between two collections. */
  everyBytes: number;
  /** Largest share of the thread's time spent collecting, from 0 to 1. */
  maxShare: number;
  /** The collection to run (default {@link garbageCollector}; `null`: never collect). */
  collect?: CollectGarbage | null;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

/**
 * Collects garbage once every {@link CollectorOptions.everyBytes} bytes handled, but only when the time
 * since the last collection is long enough for that collection's cost to stay within
 * {@link CollectorOptions.maxShare} of it: on a fast stream the bytes come sooner than the budget allows
 * and the collections spread out.
 *
 * @example Collect once every 16 MiB of chunks, in at most 2% of the time
 * ```ts
 * import { Collector } from "./collector.ts";
 *
 * const collector = new Collector({ everyBytes: 16 * 2 ** 20, maxShare: 0.02 });
 * collector.handled(256 * 1024);
 * ```
 */
export class Collector {
  #every: number;
  #share: number;
  #collect: CollectGarbage | null;
  #now: () => number;
  #bytes = 0;
  #last: number;
  #cost = 0;

  constructor(options: CollectorOptions) {
    if (!(options.everyBytes > 0)) {
      throw new RangeError(
        `Cannot construct Collector as everyBytes must be positive: current value is ${options.everyBytes}`,
      );
    }
    if (!(options.maxShare > 0 && options.maxShare <= 1)) {
      throw new RangeError(
        `Cannot construct Collector as maxShare must be in (0, 1]: current value is ${options.maxShare}`,
      );
    }
    this.#every = options.everyBytes;
    this.#share = options.maxShare;
    this.#collect = options.collect === undefined ? garbageCollector() : options.collect;
    this.#now = options.now ?? (() => performance.now());
    this.#last = this.#now();
  }

  /** Counts `bytes` handled and collects when they and the time budget allow; true when it collected. */
  handled(bytes: number): boolean {
    if (this.#collect === null) return false;
    this.#bytes += bytes;
    if (this.#bytes < this.#every) return false;
    const start = this.#now();
    if (this.#cost > (start - this.#last) * this.#share) return false;
    this.#collect();
    this.#last = this.#now();
    this.#cost = this.#last - start;
    this.#bytes = 0;
    return true;
  }
}
