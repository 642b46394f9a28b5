/**
 * The plugin lock file (`privaci.lock`, JSON beside the policy): for each plugin specifier of the policy,
 * the resolved version, the sha256 of the manifest and of the module, and the signer. `run` loads only
 * what the lock pins; `privaci plugin add` is the one way to change it.
 *
 * @module
 */
import { z } from "zod";
import { PluginError } from "../errors.ts";

const Integrity = z.string().regex(/^sha256-[A-Za-z0-9+/]{43}=$/, "must be sha256-<base64>");

/** One locked plugin. */
export const LockEntrySchema = z.strictObject({
  /** `@scope/name`. */
  name: z.string().min(1),
  /** The exact resolved version. */
  version: z.string().min(1),
  /** Where the manifest was fetched from. */
  resolved: z.string().min(1),
  /** sha256 of the manifest's bytes. */
  manifest: Integrity,
  /** sha256 of the module's bytes. */
  module: Integrity,
  /** The `ed25519:<base64>` key that signed the manifest. */
  signer: z.string().regex(/^ed25519:[A-Za-z0-9+/]+=*$/),
});

/** The lock file's shape. */
export const LockSchema = z.strictObject({
  version: z.literal(1),
  /** Entries by the policy's `use:` specifier. */
  plugins: z.record(z.string(), LockEntrySchema),
});

/** One locked plugin. */
export type LockEntry = z.infer<typeof LockEntrySchema>;
/** The whole lock. */
export type Lock = z.infer<typeof LockSchema>;

/**
 * Reads a lock file; a missing file is an empty lock.
 *
 * @throws {PluginError} `PLUGIN_LOCK` when the file is not a valid lock.
 */
export async function readLock(path: string): Promise<Lock> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { version: 1, plugins: {} };
    throw new PluginError("PLUGIN_LOCK", `Cannot read the lock file: ${path}`, { plugin: "(lock)" }, {
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PluginError("PLUGIN_LOCK", `Cannot read the lock file as it is not JSON: ${path}`, {
      plugin: "(lock)",
    }, {
      cause: e,
    });
  }
  const parsed = LockSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PluginError(
      "PLUGIN_LOCK",
      `Cannot read the lock file ${path}: ${first.path.join(".") || "(root)"} ${first.message}`,
      { plugin: "(lock)" },
    );
  }
  return parsed.data;
}

/** Writes a lock file with sorted keys, replacing the old one atomically. */
export async function writeLock(path: string, lock: Lock): Promise<void> {
  const sorted: Lock = { version: 1, plugins: {} };
  for (const key of Object.keys(lock.plugins).sort()) {
    const e = lock.plugins[key];
    sorted.plugins[key] = {
      name: e.name,
      version: e.version,
      resolved: e.resolved,
      manifest: e.manifest,
      module: e.module,
      signer: e.signer,
    };
  }
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, JSON.stringify(sorted, null, 2) + "\n");
  await Deno.rename(tmp, path);
}
