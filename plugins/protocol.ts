/**
 * The wire protocol between the host and a plugin sandbox: length-prefixed UTF-8 JSON frames over the
 * child's stdin and stdout, one request and one reply at a time. A batch of values travels as one frame
 * (one UTF-8 blob with a length header), which is the fastest way measured to cross the boundary.
 *
 * Replies are authenticated: the first request (`hello`, sent before any plugin code is loaded) gives the
 * shim a fresh HMAC key, and every reply carries `HMAC-SHA256(key, sequence number ‖ body)` before its
 * body. Plugin code can write to file descriptor 1 behind the shim's back (`node:fs` needs no
 * permission for it), but it never holds the key, so bytes it writes there never count as a reply.
 *
 * @module
 */

/** The largest frame either side accepts (a batch of 2,000 rows is typically well under 1 MiB). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** The column a strategy instance writes, as sent to the sandbox. */
export interface WireColumn {
  schema: string;
  table: string;
  column: string;
  type: string;
  family: string;
  maxLength: number | null;
  notNull: boolean;
  unique: boolean;
}

/** A request from the host. */
export type Request =
  | { t: "hello"; /** Base64 of the 32-byte reply key. */ key: string }
  | { t: "load"; /** Base64 of the verified module bytes. */ module: string }
  | {
    t: "init";
    col: number;
    strategy: string;
    params: unknown;
    column: WireColumn;
    /** Base64 of the per-plugin, per-domain key, or `null`. */
    key: string | null;
    domain: string;
    unique: boolean;
  }
  | {
    t: "mask";
    col: number;
    values: (string | null)[];
    table: { schema: string; table: string };
    firstRow: number;
  }
  | { t: "close"; col: number };

/** A reply from the sandbox. */
export type Reply =
  | { t: "loaded"; plugin: unknown }
  | { t: "ok" }
  | { t: "values"; values: unknown }
  | { t: "error"; name: string; message: string; stack: string };

/** Bytes of the HMAC-SHA256 tag before a reply's body. */
export const TAG_BYTES = 32;

/** The bytes a reply's tag covers: the 4-byte big-endian sequence number, then the body. */
export function taggedBytes(seq: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(4 + body.length);
  new DataView(data.buffer).setUint32(0, seq);
  data.set(body, 4);
  return data;
}

/** A frame whose payload is `tag ‖ body`. */
export function encodeTaggedFrame(tag: Uint8Array, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + tag.length + body.length);
  new DataView(frame.buffer).setUint32(0, tag.length + body.length);
  frame.set(tag, 4);
  frame.set(body, 4 + tag.length);
  return frame;
}

/** A frame larger than the reader allows (the limit may depend on the request it answers). */
export class FrameTooLargeError extends RangeError {
  /** The limit, in bytes. */
  readonly limit: number;

  constructor(limit: number, length: number) {
    super(`Cannot read a frame as it is larger than ${limit} bytes: ${length}`);
    this.name = "FrameTooLargeError";
    this.limit = limit;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes a message as a frame: 4-byte big-endian length, then UTF-8 JSON. */
export function encodeFrame(message: unknown): Uint8Array {
  const json = JSON.stringify(message);
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const frame = new Uint8Array(4 + json.length * 3);
  const { written } = encoder.encodeInto(json, frame.subarray(4));
  new DataView(frame.buffer).setUint32(0, written);
  return frame.subarray(0, 4 + written);
}

/** Decodes a frame's payload as UTF-8 JSON. @throws {TypeError|SyntaxError} when it is not. */
export function decodeJson(payload: Uint8Array): unknown {
  return JSON.parse(decoder.decode(payload));
}

/** Reads frames from a byte stream. */
export class FrameReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buf = new Uint8Array(0);
  #start = 0;
  #end = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  async #fill(need: number): Promise<boolean> {
    while (this.#end - this.#start < need) {
      const { value, done } = await this.#reader.read();
      if (done) return false;
      if (this.#buf.length - this.#end < value.length) {
        const live = this.#end - this.#start;
        const size = Math.max(live + value.length, need);
        if (size <= this.#buf.length) {
          this.#buf.copyWithin(0, this.#start, this.#end);
        } else {
          const next = new Uint8Array(Math.max(size * 2, 64 * 1024));
          next.set(this.#buf.subarray(this.#start, this.#end));
          this.#buf = next;
        }
        this.#start = 0;
        this.#end = live;
      }
      this.#buf.set(value, this.#end);
      this.#end += value.length;
    }
    return true;
  }

  /**
   * The next frame's payload (a copy), or `null` at the end of the stream. The limit is checked on the
   * header, before the payload is buffered.
   *
   * @param maxBytes the largest payload accepted (at most {@link MAX_FRAME_BYTES}).
   * @throws {FrameTooLargeError} when the frame is larger than `maxBytes`.
   * @throws {RangeError} when the stream ends inside a frame.
   */
  async next(maxBytes: number = MAX_FRAME_BYTES): Promise<Uint8Array | null> {
    if (!await this.#fill(4)) {
      if (this.#end > this.#start) {
        throw new RangeError("Cannot read a frame as the stream ended inside its header");
      }
      return null;
    }
    const length = new DataView(this.#buf.buffer, this.#buf.byteOffset + this.#start, 4).getUint32(0);
    const limit = Math.min(maxBytes, MAX_FRAME_BYTES);
    if (length > limit) throw new FrameTooLargeError(limit, length);
    if (!await this.#fill(4 + length)) {
      throw new RangeError("Cannot read a frame as the stream ended inside it");
    }
    const payload = this.#buf.slice(this.#start + 4, this.#start + 4 + length);
    this.#start += 4 + length;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return payload;
  }

  /**
   * The next message, or `null` at the end of the stream.
   *
   * @throws {RangeError} when a frame is larger than {@link MAX_FRAME_BYTES} or the stream ends inside one.
   * @throws {SyntaxError} when a frame is not UTF-8 JSON.
   */
  async read(): Promise<unknown> {
    const payload = await this.next();
    return payload === null ? null : decodeJson(payload);
  }

  /** Stops reading and releases the stream. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
