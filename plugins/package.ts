/**
 * Builds a signed plugin package: the module as one ES file, a manifest describing it and pinning its
 * sha256, and a detached Ed25519 signature over the manifest's bytes. The manifest's strategy metadata is
 * read by running the module in a sandbox, so signing never executes plugin code with permissions.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { PluginError } from "../errors.ts";
import { type Manifest, MANIFEST_FILE, ManifestSchema, SIGNATURE_FILE } from "./manifest.ts";
import { Sandbox } from "./sandbox.ts";
import { sha256Integrity, signBytes, type SigningKey, toBase64 } from "./signing.ts";

/** The module file name inside a package. */
export const MODULE_FILE = "mod.js";

const IMPORT = /^\s*(?:import\s*[\w{*"'`]|export\s[^;]*?\sfrom\s*["'`])|\bimport\s*\(/m;

/** True when the module text has no static or dynamic imports (an already single-file module). */
export function isSingleFile(text: string): boolean {
  return !IMPORT.test(text);
}

/**
 * The module at `entry` as one ES file: `.js`/`.mjs` files without imports are taken as they are, anything
 * else goes through `deno bundle` (which works offline once esbuild is cached).
 *
 * @throws {PluginError} `PLUGIN_ERROR` when bundling fails.
 */
export async function bundleModule(entry: string): Promise<Uint8Array> {
  const path = resolve(entry);
  const bytes = await Deno.readFile(path);
  if (/\.m?js$/.test(path) && isSingleFile(new TextDecoder().decode(bytes))) return bytes;
  const out = await Deno.makeTempFile({ suffix: ".js" });
  try {
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", "deno", "--format", "esm", "-o", out, path],
      cwd: dirname(path),
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!result.success) {
      const why = new TextDecoder().decode(result.stderr).trim().split("\n").slice(-3).join(" ");
      throw new PluginError("PLUGIN_ERROR", `Cannot bundle plugin ${entry}: ${why}`, { plugin: entry });
    }
    return await Deno.readFile(out);
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

/** Runs the module in a sandbox and returns what its default export declares (no functions). */
export async function describeModule(
  module: Uint8Array,
  options: { timeoutMs?: number; memoryMb?: number } = {},
): Promise<unknown> {
  const sandbox = new Sandbox({
    plugin: "(unsigned)",
    timeoutMs: options.timeoutMs ?? 30_000,
    memoryMb: options.memoryMb ?? 256,
  });
  try {
    const reply = await sandbox.request({ t: "load", module: toBase64(module) }, "loading");
    return reply.t === "loaded" ? reply.plugin : undefined;
  } finally {
    await sandbox.close();
  }
}

/** A signed package: file name to bytes. */
export interface SignedPackage {
  manifest: Manifest;
  files: Record<string, Uint8Array>;
}

/**
 * Writes the manifest for `module` (with the metadata `description` gives) and signs it.
 *
 * @throws {PluginError} `PLUGIN_INTEGRITY` when the description does not make a valid manifest.
 */
export async function signPackage(
  module: Uint8Array,
  description: unknown,
  key: SigningKey,
): Promise<SignedPackage> {
  const candidate = {
    ...(description as Record<string, unknown>),
    entry: MODULE_FILE,
    integrity: await sha256Integrity(module),
  };
  const parsed = ManifestSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const name = String((description as { name?: unknown })?.name ?? "(unnamed)");
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot sign plugin ${name} as its declaration is not a valid manifest: ${
        first.path.join(".") || "(root)"
      } ${first.message}`,
      { plugin: name },
    );
  }
  const manifestBytes = new TextEncoder().encode(JSON.stringify(parsed.data, null, 2) + "\n");
  const signature = await signBytes(key, manifestBytes);
  return {
    manifest: parsed.data,
    files: {
      [MODULE_FILE]: module,
      [MANIFEST_FILE]: manifestBytes,
      [SIGNATURE_FILE]: new TextEncoder().encode(signature + "\n"),
    },
  };
}
