/**
 * Reading `COPY … TO STDOUT` straight off the connection's bytes. The server sends one CopyData message
 * per row; postgres.js turns each into a Node Buffer pushed through a Node Readable, which costs several
 * allocations per row and was the largest item of a keep-all run's profile. {@link CopyOutSplitter}
 * instead sits between the socket and postgres.js while a COPY runs: it copies CopyData payloads into
 * one buffer of whole rows and passes every other message (CopyOutResponse, CopyDone, errors, notices,
 * ReadyForQuery) on to postgres.js unchanged, so the client's state machine and error handling stay
 * its own.
 *
 * @module
 */

import { type CopyChunk, countRows } from "./copy_text.ts";

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const NL = 0x0a;

/** Splits backend messages during COPY OUT: row bytes are kept, everything else is passed on. */
export class CopyOutSplitter {
  #passOn: (bytes: Uint8Array) => void;
  #buf: Uint8Array;
  #capacity: number;
  /** Bytes in #buf. */
  #len = 0;
  /** End of the last complete row in #buf. */
  #rowEnd = 0;
  #head = new Uint8Array(5);
  #headLen = 0;
  /** Type of the message being read, or -1 between messages. */
  #type = -1;
  /** Bytes of the current message's body still to come. */
  #left = 0;
  #done = false;
  /** Complete rows in the buffer, and whether every one came as one message ending in a newline. */
  #rows = 0;
  #oneRowPerMessage = true;

  /**
   * @param passOn receives, in order, the bytes of every message that is not CopyData (possibly a
   *   message in several pieces, as a socket delivers them).
   * @param capacity size of each new row buffer; one grows for larger rows.
   */
  constructor(passOn: (bytes: Uint8Array) => void, capacity = 512 * 1024) {
    this.#passOn = passOn;
    this.#capacity = capacity;
    this.#buf = new Uint8Array(capacity);
  }

  /** True once CopyDone went by: the COPY's rows are all here. */
  get done(): boolean {
    return this.#done;
  }

  /** Bytes of complete messages waiting in the buffer. */
  get rowBytes(): number {
    return this.#rowEnd;
  }

  /** Bytes in the buffer, complete rows or not. */
  get pending(): number {
    return this.#len;
  }

  /**
   * Takes one chunk from the socket. After CopyDone the rest of the chunk is passed on; it returns the
   * offset where that happened (or `chunk.length`), so the caller can stop splitting.
   */
  feed(chunk: Uint8Array): number {
    const n = chunk.length;
    let i = 0;
    // Start of a run of passed-on bytes in chunk: from 0 when the chunk goes on with such a message.
    let pass = this.#type !== -1 && this.#type !== COPY_DATA ? 0 : -1;
    // Row bytes are first packed in place, over the 5-byte headers between them (copyWithin allocates
    // nothing), then copied into the buffer once per chunk: [from, to) of chunk.
    let from = -1, to = -1;
    const flush = () => {
      if (from === -1) return;
      this.#buf.set(chunk.subarray(from, to), this.#len);
      this.#len += to - from;
      from = -1;
    };
    while (i < n) {
      if (this.#type === -1) {
        const start = i;
        if (this.#headLen === 0 && n - i >= 5) {
          this.#type = chunk[i];
          this.#left = ((chunk[i + 1] << 24) | (chunk[i + 2] << 16) | (chunk[i + 3] << 8) | chunk[i + 4]) - 4;
          i += 5;
        } else {
          while (this.#headLen < 5 && i < n) this.#head[this.#headLen++] = chunk[i++];
          if (this.#headLen < 5) {
            // A header split across chunks: its first bytes are held until its type is known.
            if (pass !== -1) this.#passOn(chunk.slice(pass, start));
            flush();
            return n;
          }
          const h = this.#head;
          this.#type = h[0];
          this.#left = ((h[1] << 24) | (h[2] << 16) | (h[3] << 8) | h[4]) - 4;
          this.#headLen = 0;
          if (this.#type !== COPY_DATA) {
            if (pass !== -1) this.#passOn(chunk.slice(pass, start));
            this.#passOn(h.slice());
            pass = i;
          }
        }
        if (this.#type === COPY_DATA) {
          if (pass !== -1) {
            this.#passOn(chunk.slice(pass, start));
            pass = -1;
          }
          this.#reserve((from === -1 ? 0 : to - from) + this.#left);
        } else if (pass === -1) {
          pass = start;
        }
      }
      const take = Math.min(this.#left, n - i);
      if (this.#type === COPY_DATA && take > 0) {
        if (from === -1) from = to = i;
        else if (to !== i) chunk.copyWithin(to, i, i + take);
        to += take;
      }
      i += take;
      this.#left -= take;
      if (this.#left === 0) {
        if (this.#type === COPY_DATA) {
          this.#rowEnd = this.#len + (from === -1 ? 0 : to - from);
          this.#rows++;
          const last = from === -1 || to === from ? this.#buf[this.#len - 1] : chunk[to - 1];
          if (last !== 0x0a) this.#oneRowPerMessage = false;
        }
        const doneNow = this.#type === COPY_DONE;
        this.#type = -1;
        if (doneNow) {
          this.#done = true;
          if (pass === -1) pass = i;
          this.#passOn(chunk.slice(pass, n));
          flush();
          return i;
        }
      }
    }
    if (pass !== -1) this.#passOn(chunk.slice(pass, n));
    flush();
    return n;
  }

  /**
   * Removes and returns the complete rows buffered so far (bytes the caller owns) and their count.
   * PostgreSQL sends one row per CopyData message, so the count is known without scanning the rows;
   * should a message ever not end a row, the chunk is cut at its last line end and counted.
   */
  take(): CopyChunk {
    let end = this.#rowEnd;
    let rows = this.#rows;
    if (!this.#oneRowPerMessage) {
      end = this.#buf.subarray(0, end).lastIndexOf(NL) + 1;
      rows = countRows(this.#buf, end);
    }
    const out = this.#buf.subarray(0, end);
    this.#rows = 0;
    const rest = this.#len - end;
    // A fresh buffer per chunk (the caller owns the old one), only as large as a chunk needs, as new
    // buffers are zero-filled; it must hold the part of a row already here and the rest still to come.
    const need = rest + (this.#type === COPY_DATA ? this.#left : 0);
    const next = new Uint8Array(Math.max(this.#capacity, need));
    next.set(this.#buf.subarray(end, this.#len));
    this.#buf = next;
    this.#len = rest;
    this.#rowEnd = 0;
    return { bytes: out, rows };
  }

  #reserve(more: number): void {
    if (this.#len + more <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + more));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

/** The socket side a {@link copyOutStream} drives. */
export interface TappedSocket {
  tap: ((chunk: Uint8Array) => void) | null;
  deliver(bytes: Uint8Array): void;
  pause(): unknown;
  resume(): unknown;
}

/** The client's own COPY stream: it only signals failure here (its rows are never pushed). */
export interface CopyOutSignals {
  on(event: "error" | "close", listener: (e?: unknown) => void): unknown;
  destroy(): unknown;
}

/** Options of {@link copyOutStream}. */
export interface CopyOutStreamOptions {
  /** Rows gathered before a chunk is handed on (default 256 KiB); less once the source is slow. */
  chunkBytes?: number;
  /** Runs once the stream ended, failed or was cancelled. */
  onDone?: (error?: unknown) => void | Promise<void>;
}

/**
 * Taps `socket` for the COPY that is about to start and returns its rows as a stream of chunks of whole
 * rows. Call it before sending the COPY, then give it the client's COPY stream with `attach`, which
 * reports errors (the server's, or a lost connection) as postgres.js sees them.
 */
export function copyOutStream(
  socket: TappedSocket,
  options: CopyOutStreamOptions = {},
): { stream: ReadableStream<CopyChunk>; attach(signals: CopyOutSignals): void; detach(): void } {
  const target = options.chunkBytes ?? 256 * 1024;
  // Room for a chunk plus what arrives before the socket's pause takes effect (its reads are 64 KiB).
  const splitter = new CopyOutSplitter((bytes) => socket.deliver(bytes), target + 128 * 1024);
  let failure: unknown = undefined;
  let finished = false;
  let paused = false;
  let flushSoon = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | null = null;
  let signals: CopyOutSignals | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  /** A slow source: hand on the rows that are there rather than wait for a full chunk. */
  const flushLater = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      flushSoon = true;
      poke();
    }, 10);
  };
  const finish = async (error?: unknown) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.tap = null;
    if (paused) socket.resume();
    await options.onDone?.(error);
  };
  socket.tap = (chunk) => {
    splitter.feed(chunk);
    if (splitter.done) {
      socket.tap = null;
      return poke();
    }
    if (splitter.rowBytes >= target) {
      if (wake !== null) return poke();
      paused = true;
      socket.pause();
    } else if (splitter.rowBytes > 0 && wake !== null) {
      flushLater();
    }
  };
  const stream = new ReadableStream<CopyChunk>({
    async pull(controller) {
      while (true) {
        if (failure !== undefined) {
          await finish(failure);
          throw failure;
        }
        const ready = splitter.rowBytes;
        if (ready >= target || (ready > 0 && (flushSoon || splitter.done))) {
          flushSoon = false;
          const chunk = splitter.take();
          if (chunk.rows > 0) {
            controller.enqueue(chunk);
            return;
          }
        }
        if (splitter.done) {
          if (splitter.pending > 0) {
            failure ??= new SyntaxError("Cannot parse COPY data as the COPY ended inside a row");
            continue;
          }
          controller.close();
          await finish();
          return;
        }
        if (paused) {
          paused = false;
          socket.resume();
        }
        if (ready > 0) flushLater();
        await new Promise<void>((resolve) => wake = resolve);
      }
    },
    async cancel(reason) {
      signals?.destroy();
      await finish(reason ?? new Error("cancelled"));
    },
  }, { highWaterMark: 1 });
  return {
    stream,
    attach(s) {
      signals = s;
      s.on("error", (e) => {
        failure ??= e ?? new Error("COPY stream failed");
        poke();
      });
      s.on("close", () => {
        if (!splitter.done) failure ??= new Error("COPY stream closed before its end");
        poke();
      });
    },
    detach() {
      socket.tap = null;
    },
  };
}
