/**
 * Reads the bytes of a plugin file from a `file:`, `https:` or loopback `http:` URL.
 *
 * @module
 */
import { PluginError } from "../errors.ts";

/** The largest plugin file read. */
export const MAX_PLUGIN_FILE_BYTES = 64 * 1024 * 1024;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True for URLs plugins may come from: `file:`, `https:`, and `http:` on the loopback interface only. */
export function isAllowedUrl(url: URL): boolean {
  return url.protocol === "file:" || url.protocol === "https:" ||
    (url.protocol === "http:" && LOOPBACK.has(url.hostname));
}

/**
 * The bytes at `url`.
 *
 * @throws {PluginError} `PLUGIN_RESOLVE` when the URL is not allowed, missing, or too large.
 */
export async function fetchBytes(url: URL, plugin: string): Promise<Uint8Array> {
  if (!isAllowedUrl(url)) {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot fetch plugin ${plugin} from ${url.protocol} URLs: use https:, jsr: or file:`,
      {
        plugin,
      },
    );
  }
  if (url.protocol === "file:") {
    try {
      const bytes = await Deno.readFile(url);
      if (bytes.length > MAX_PLUGIN_FILE_BYTES) throw new RangeError("too large");
      return bytes;
    } catch (e) {
      throw new PluginError("PLUGIN_RESOLVE", `Cannot read plugin ${plugin} file: ${url.href}`, { plugin }, {
        cause: e,
      });
    }
  }
  let res: Response;
  try {
    res = await fetch(url, { redirect: "follow" });
  } catch (e) {
    throw new PluginError("PLUGIN_RESOLVE", `Cannot fetch plugin ${plugin}: ${url.origin}${url.pathname}`, {
      plugin,
    }, {
      cause: e,
    });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot fetch plugin ${plugin}: HTTP ${res.status} from ${url.origin}${url.pathname}`,
      { plugin },
    );
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_PLUGIN_FILE_BYTES) {
    throw new PluginError("PLUGIN_RESOLVE", `Cannot fetch plugin ${plugin} as a file is larger than 64 MiB`, {
      plugin,
    });
  }
  return bytes;
}
