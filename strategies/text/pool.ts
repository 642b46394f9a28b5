/**
 * A pool of detector workers. A batch is cut into one slice per worker, balanced by text length; every
 * worker detects its slice and the spans come back in the batch's order, each row exactly once. With
 * `size: 0` detection runs on the calling thread instead (small columns, tests).
 *
 * @module
 */
import type { Entity, Span } from "./entities.ts";
import { detected } from "./_collect.ts";
import { type InitMessage, type SpansMessage, unpackSpans, type WorkerReply } from "./_protocol.ts";

/** How to build a {@link DetectorPool}. */
export interface PoolOptions {
  /** Number of workers; 0 detects on the calling thread. */
  size: number;
  entities: readonly Entity[];
  /** Let compromise settle capitalised words the rules cannot (default true). */
  nlp?: boolean;
  /** Take unknown capitalised words no other rule settles for names (default true). */
  unknownAsPerson?: boolean;
  /** Let the person-name model mark names (default true). */
  model?: boolean;
  /** The model's threshold (default: the shipped model's own). */
  threshold?: number;
  /** Folded names the customer listed, found in any casing. */
  knownNames?: readonly string[];
}

interface Pending {
  resolve(msg: SpansMessage): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Detects entity spans in batches of texts on every core. */
export class DetectorPool {
  #slots: Slot[];
  #options: PoolOptions;
  #nextId = 1;
  #closed = false;
  #failure: Error | null = null;

  private constructor(slots: Slot[], options: PoolOptions) {
    this.#slots = slots;
    this.#options = options;
  }

  /** Starts the workers and waits until each has loaded its word lists. */
  static async create(options: PoolOptions): Promise<DetectorPool> {
    if (!Number.isInteger(options.size) || options.size < 0 || options.size > 256) {
      throw new RangeError(
        `Cannot construct DetectorPool as size must be 0..256: current value is ${options.size}`,
      );
    }
    const slots: Slot[] = [];
    const pool = new DetectorPool(slots, options);
    try {
      await Promise.all(Array.from({ length: options.size }, () => pool.#start()));
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** Number of workers (0 when detection runs on the calling thread). */
  get size(): number {
    return this.#slots.length;
  }

  #start(): Promise<void> {
    const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
    const slot: Slot = { worker, pending: new Map() };
    this.#slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const msg = event.data;
        if (msg.type === "ready") {
          ready = true;
          resolve();
        } else if (msg.type === "spans") {
          const p = slot.pending.get(msg.id);
          slot.pending.delete(msg.id);
          p?.resolve(msg);
        } else {
          const err = new Error(`Cannot detect entities in a worker: ${msg.message}`);
          if (!ready) reject(err);
          else if (msg.id !== undefined) {
            slot.pending.get(msg.id)?.reject(err);
            slot.pending.delete(msg.id);
          }
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        const err = new Error(`Cannot detect entities as a worker failed: ${event.message}`);
        this.#failure = err;
        if (!ready) reject(err);
        for (const p of slot.pending.values()) p.reject(err);
        slot.pending.clear();
      };
      const init: InitMessage = {
        type: "init",
        entities: [...this.#options.entities],
        nlp: this.#options.nlp ?? true,
        unknownAsPerson: this.#options.unknownAsPerson ?? true,
        model: this.#options.model ?? true,
        threshold: this.#options.threshold ?? null,
        knownNames: [...(this.#options.knownNames ?? [])],
      };
      worker.postMessage(init);
    });
  }

  /**
   * The spans of every text, in order (`[]` for `null`).
   *
   * @param names folded names from each row's `names_from` columns, or `null`.
   */
  async detect(texts: readonly (string | null)[], names: string[][] | null = null): Promise<Span[][]> {
    if (this.#closed) throw new Error("Cannot detect entities as the pool is closed");
    if (this.#failure) throw this.#failure;
    if (this.#slots.length === 0 || texts.length === 0) {
      // In-thread detection (no workers): load the detectors only now, so the main thread does not pay
      // for the gazetteer and compromise when workers do the work.
      const { detectSpans } = await import("./detect.ts");
      const entities = new Set(this.#options.entities);
      const o = this.#options;
      const opts = {
        entities,
        nlp: o.nlp,
        unknownAsPerson: o.unknownAsPerson,
        model: o.model,
        threshold: o.threshold,
        knownNames: o.knownNames?.length ? new Set(o.knownNames) : undefined,
      };
      const spans = texts.map((t, i) =>
        t === null ? [] : detectSpans(t, opts, names?.[i]?.length ? new Set(names[i]) : undefined)
      );
      detected(texts);
      return spans;
    }
    const cuts = sliceByLength(texts, this.#slots.length);
    const parts = await Promise.all(
      cuts.slice(0, -1).map((from, k) => {
        const to = cuts[k + 1];
        if (to === from) return Promise.resolve([] as Span[][]);
        return this.#send(this.#slots[k], texts.slice(from, to), names ? names.slice(from, to) : null);
      }),
    );
    return parts.flat();
  }

  #send(slot: Slot, texts: (string | null)[], names: string[][] | null): Promise<Span[][]> {
    const id = this.#nextId++;
    return new Promise<SpansMessage>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ type: "detect", id, texts, names });
    }).then((msg) => {
      if (msg.counts.length !== texts.length) {
        throw new Error(
          `Cannot detect entities as a worker answered ${msg.counts.length} rows for ${texts.length}`,
        );
      }
      return unpackSpans(msg.counts, msg.data);
    });
  }

  /** Terminates every worker; pending batches fail. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const err = new Error("Cannot detect entities as the pool was closed");
    for (const slot of this.#slots) {
      slot.worker.terminate();
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    }
  }
}

/**
 * The default number of detector workers: one per core, but a single one on two cores or fewer. Each
 * worker holds its own word lists, compromise and model with a heap of its own, and on two cores shared
 * with the databases a second one did not detect faster (figures in bench/README.md).
 */
export function defaultDetectorWorkers(cores: number = navigator.hardwareConcurrency ?? 1): number {
  return cores <= 2 ? 1 : cores;
}

/** Start offsets of `parts` contiguous slices of about equal total text length, plus the end. */
export function sliceByLength(texts: readonly (string | null)[], parts: number): number[] {
  let total = 0;
  for (const t of texts) total += (t?.length ?? 0) + 1;
  const cuts = [0];
  let acc = 0;
  let next = total / parts;
  for (let i = 0; i < texts.length && cuts.length < parts; i++) {
    acc += (texts[i]?.length ?? 0) + 1;
    if (acc >= next) {
      cuts.push(i + 1);
      next = (total * cuts.length) / parts;
    }
  }
  while (cuts.length < parts) cuts.push(texts.length);
  cuts.push(texts.length);
  return cuts;
}
