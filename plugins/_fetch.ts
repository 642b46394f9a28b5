/**
 * Reads the bytes of a plugin file from a `file:`, `https:` or loopback `http:` URL, bounded in every way
 * a hostile or broken source could stretch it: a connect-and-headers timeout, a timeout between body
 * reads, a size cap checked while the body streams (never after buffering it), redirects followed by
 * hand and each target checked against the allowed URLs again, and only regular files read from disk (a
 * FIFO or device would block or never end).
 *
 * @module
 */
import { PluginError } from "../errors.ts";

/** The largest plugin file read. */
export const MAX_PLUGIN_FILE_BYTES = 64 * 1024 * 1024;
/** How long to wait for a connection and the response headers, in milliseconds. */
export const CONNECT_TIMEOUT_MS = 15_000;
/** How long to wait for the next part of a response body, in milliseconds. */
export const READ_TIMEOUT_MS = 15_000;
/** Redirects followed at most. */
export const MAX_REDIRECTS = 5;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** How {@link fetchBytes} is bounded (tests shorten the timeouts). */
export interface FetchLimits {
  maxBytes?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
}

/** True for URLs plugins may come from: `file:`, `https:`, and `http:` on the loopback interface only. */
export function isAllowedUrl(url: URL): boolean {
  return url.protocol === "file:" || url.protocol === "https:" ||
    (url.protocol === "http:" && LOOPBACK.has(url.hostname));
}

function where(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function refuse(plugin: string, message: string, cause?: unknown): PluginError {
  return new PluginError("PLUGIN_RESOLVE", message, { plugin }, cause === undefined ? {} : { cause });
}

async function readFile(url: URL, plugin: string, maxBytes: number): Promise<Uint8Array> {
  let file: Deno.FsFile | undefined;
  try {
    // Checked before opening: opening a FIFO for reading blocks until a writer appears.
    const info = await Deno.stat(url);
    if (!info.isFile) {
      throw refuse(plugin, `Cannot read plugin ${plugin} file as it is not a regular file: ${url.href}`);
    }
    if (info.size > maxBytes) throw new RangeError("too large");
    file = await Deno.open(url, { read: true });
    // And again on the open file, in case the path was swapped in between.
    const opened = await file.stat();
    if (!opened.isFile) {
      throw refuse(plugin, `Cannot read plugin ${plugin} file as it is not a regular file: ${url.href}`);
    }
    const bytes = new Uint8Array(Math.min(opened.size, maxBytes) + 1);
    let length = 0;
    while (length < bytes.length) {
      const n = await file.read(bytes.subarray(length));
      if (n === null) break;
      length += n;
    }
    if (length > maxBytes) throw new RangeError("too large");
    return bytes.slice(0, length);
  } catch (e) {
    if (e instanceof PluginError) throw e;
    if (e instanceof RangeError) {
      throw refuse(
        plugin,
        `Cannot read plugin ${plugin} as a file is larger than ${maxBytes} bytes: ${url.href}`,
      );
    }
    throw refuse(plugin, `Cannot read plugin ${plugin} file: ${url.href}`, e);
  } finally {
    file?.close();
  }
}

/** Reads a response body, failing when it passes `maxBytes` or stalls longer than `readTimeoutMs`. */
async function readBody(
  res: Response,
  url: URL,
  plugin: string,
  limits: Required<FetchLimits>,
): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  const tooLarge = () =>
    refuse(
      plugin,
      `Cannot fetch plugin ${plugin} as a file is larger than ${limits.maxBytes} bytes: ${where(url)}`,
    );
  if (declared > limits.maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              refuse(plugin, `Cannot fetch plugin ${plugin} as the server stopped sending: ${where(url)}`),
            ),
          limits.readTimeoutMs,
        );
      });
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await Promise.race([reader.read(), stalled]);
      } finally {
        clearTimeout(timer);
      }
      if (step.done) break;
      total += step.value.length;
      if (total > limits.maxBytes) throw tooLarge();
      chunks.push(step.value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof PluginError) throw e;
    throw refuse(plugin, `Cannot fetch plugin ${plugin}: ${where(url)}`, e);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

/**
 * The bytes at `url`.
 *
 * @throws {PluginError} `PLUGIN_RESOLVE` when the URL (or a redirect's target) is not allowed, the file is
 * missing, not a regular file or too large, or the server is too slow.
 */
export async function fetchBytes(url: URL, plugin: string, options: FetchLimits = {}): Promise<Uint8Array> {
  const limits: Required<FetchLimits> = {
    maxBytes: options.maxBytes ?? MAX_PLUGIN_FILE_BYTES,
    connectTimeoutMs: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    readTimeoutMs: options.readTimeoutMs ?? READ_TIMEOUT_MS,
  };
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isAllowedUrl(current)) {
      throw refuse(
        plugin,
        hop === 0
          ? `Cannot fetch plugin ${plugin} from ${current.protocol} URLs: use https:, jsr: or file:`
          : `Cannot fetch plugin ${plugin} as it redirects to a URL plugins may not come from: ${current.protocol}//${current.host}`,
      );
    }
    if (hop > 0 && current.protocol === "http:" && url.protocol !== "http:") {
      throw refuse(plugin, `Cannot fetch plugin ${plugin} as an https: source redirects to http:`);
    }
    if (current.protocol === "file:") {
      if (hop > 0) throw refuse(plugin, `Cannot fetch plugin ${plugin} as it redirects to a file: URL`);
      return await readFile(current, plugin, limits.maxBytes);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limits.connectTimeoutMs);
    let res: Response;
    try {
      res = await fetch(current, { redirect: "manual", signal: controller.signal });
    } catch (e) {
      const slow = controller.signal.aborted ? " (no response in time)" : "";
      throw refuse(plugin, `Cannot fetch plugin ${plugin}${slow}: ${where(current)}`, e);
    } finally {
      clearTimeout(timer);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has("location")) {
      await res.body?.cancel();
      current = new URL(res.headers.get("location")!, current);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw refuse(plugin, `Cannot fetch plugin ${plugin}: HTTP ${res.status} from ${where(current)}`);
    }
    return await readBody(res, current, plugin, limits);
  }
  throw refuse(
    plugin,
    `Cannot fetch plugin ${plugin} as it redirects more than ${MAX_REDIRECTS} times: ${where(url)}`,
  );
}
