/**
 * Turns a policy's `use:` specifier into a source of plugin files: `jsr:@scope/name@range` through the
 * JSR registry API, or an `https:`/`file:` URL of a plugin directory or of its `plugin.json` (relative
 * `file:` paths are taken from the policy's directory; `http:` is allowed on the loopback interface only).
 *
 * @module
 */
import { PluginError } from "../errors.ts";
import { fetchBytes } from "./_fetch.ts";
import { openJsrVersion, resolveJsrVersion } from "./jsr.ts";
import { MANIFEST_FILE } from "./manifest.ts";

/** A parsed `use:` specifier. */
export type PluginSpecifier =
  | { kind: "jsr"; name: string; range: string }
  | { kind: "url"; manifest: URL };

const JSR = /^jsr:\/?(@[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*)(?:@([^/\s]+))?\/?$/;

/**
 * Parses a specifier.
 *
 * @param use The policy's `use:` value.
 * @param base The policy's directory as a `file:` URL ending in `/`, for relative `file:` specifiers.
 * @throws {PluginError} `PLUGIN_RESOLVE` for any other form.
 */
export function parseSpecifier(use: string, base: URL): PluginSpecifier {
  const jsr = JSR.exec(use);
  if (jsr) return { kind: "jsr", name: jsr[1], range: jsr[2] ?? "*" };
  let url: URL;
  try {
    url = use.startsWith("file:") && !use.startsWith("file:/") ? new URL(use.slice(5), base) : new URL(use);
  } catch {
    url = new URL("invalid:");
  }
  if (!["file:", "https:", "http:"].includes(url.protocol) || use.startsWith("jsr:")) {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot resolve plugin specifier "${use}": use jsr:@scope/name@range, https:// or file:`,
      { plugin: use },
    );
  }
  if (!url.pathname.endsWith(".json")) {
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    url = new URL(MANIFEST_FILE, url);
  }
  return { kind: "url", manifest: url };
}

/** Where a plugin's files come from once its version is fixed. */
export interface PluginSource {
  /** The `use:` specifier. */
  use: string;
  /** The plugin's name when the specifier says it (jsr:), else `undefined` until the manifest is read. */
  name?: string;
  /** The version the specifier resolved to (jsr:), else `undefined` until the manifest is read. */
  version?: string;
  /** The URL of the manifest's directory. */
  resolved: string;
  /** Reads a file of the package, by its path relative to the manifest. */
  read(path: string): Promise<Uint8Array>;
}

/**
 * Opens a plugin's source. For `jsr:` it resolves the highest published version in range, or takes
 * `options.version` exactly (what the lock pins).
 *
 * @throws {PluginError} `PLUGIN_RESOLVE` when it cannot be resolved.
 */
export async function openSource(
  use: string,
  options: { base: URL; version?: string },
): Promise<PluginSource> {
  const spec = parseSpecifier(use, options.base);
  if (spec.kind === "jsr") {
    const version = options.version ?? await resolveJsrVersion(spec.name, spec.range);
    const opened = await openJsrVersion(spec.name, version);
    return { use, name: spec.name, version, resolved: opened.resolved, read: opened.read };
  }
  const dir = new URL("./", spec.manifest);
  const manifestName = spec.manifest.pathname.slice(dir.pathname.length);
  return {
    use,
    resolved: dir.href,
    read: (path) =>
      fetchBytes(
        new URL(path.startsWith(MANIFEST_FILE) ? manifestName + path.slice(MANIFEST_FILE.length) : path, dir),
        use,
      ),
  };
}
