/**
 * Loads the plugins a policy trusts: each is fetched, checked against the lock and its publisher's
 * signature, started in its own sandbox from the verified bytes, and exposed as strategies named
 * `@scope/name/strategy` (and `alias/strategy` when the policy gives an alias).
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { PluginRef } from "../config/schema.ts";
import { PluginError } from "../errors.ts";
import type { Keyring } from "../strategies/keyed/keyring.ts";
import type { StrategyDefinition } from "../strategies/types.ts";
import { readLock } from "./lock.ts";
import type { Manifest } from "./manifest.ts";
import { Sandbox } from "./sandbox.ts";
import { toBase64 } from "./signing.ts";
import { fetchVerified } from "./trust.ts";
import { pluginStrategies } from "./_strategy.ts";

/** Default time budget of one batch, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default heap limit of a sandbox, in MiB. */
export const DEFAULT_MEMORY_MB = 256;

/** The strategies of the loaded plugins and a way to stop their sandboxes. */
export interface LoadedPlugins {
  strategies: StrategyDefinition[];
  /** The running sandboxes, by plugin name (for diagnostics and tests). */
  sandboxes: ReadonlyMap<string, Sandbox>;
  /** Stops every sandbox. */
  close(): Promise<void>;
}

/** How {@link loadPlugins} loads. */
export interface LoadPluginsOptions {
  /** `privaci.lock`, beside the policy; relative `file:` specifiers resolve from its directory. */
  lockFile: string;
  /** The policy's keyring; a plugin only gets `keyring.derive("plugin:<name>")`. */
  keyring: Keyring | null;
  /** This PrivaCI's version (deno.json). */
  hostVersion: string;
  /** Time budget of one batch (and of loading), in milliseconds. */
  timeoutMs?: number;
  /** Heap limit of each sandbox, in MiB. */
  memoryMb?: number;
}

/** The `file:` URL of the directory holding `lockFile`, ending in `/`. */
export function policyBase(lockFile: string): URL {
  const url = pathToFileURL(dirname(resolve(lockFile)));
  url.pathname += url.pathname.endsWith("/") ? "" : "/";
  return url;
}

function sameDescription(manifest: Manifest, described: unknown): boolean {
  const { entry: _e, integrity: _i, ...rest } = manifest;
  return canonical(rest) === canonical(described);
}

function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : v,
  );
}

/**
 * Loads every plugin of the policy, as the lock pins it (frozen: nothing is re-resolved).
 *
 * @param refs The policy's `plugins:`.
 * @param options Lock file, keyring, host version and sandbox limits.
 * @throws {PluginError} `PLUGIN_LOCK` when a plugin is not in the lock, and any error of `fetchVerified`
 * or of a sandbox failing to load the module. Sandboxes already started are stopped first.
 */
export async function loadPlugins(
  refs: readonly PluginRef[],
  options: LoadPluginsOptions,
): Promise<LoadedPlugins> {
  const sandboxes = new Map<string, Sandbox>();
  const strategies: StrategyDefinition[] = [];
  const close = async () => {
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
  };
  if (refs.length === 0) return { strategies, sandboxes, close };
  const lock = await readLock(options.lockFile);
  const base = policyBase(options.lockFile);
  try {
    for (const ref of refs) {
      const locked = lock.plugins[ref.use];
      if (!locked) {
        throw new PluginError(
          "PLUGIN_LOCK",
          `Cannot load plugin ${ref.use} as it is not in the lock file: ${options.lockFile}`,
          { plugin: ref.use },
          { hint: `Verify and pin it with: privaci plugin add ${ref.use}` },
        );
      }
      const verified = await fetchVerified(ref.use, {
        base,
        publisher: ref.publisher,
        hostVersion: options.hostVersion,
        locked,
      });
      const { manifest } = verified;
      if (sandboxes.has(manifest.name)) {
        throw new PluginError("PLUGIN_LOCK", `Cannot load plugin ${manifest.name} twice`, {
          plugin: manifest.name,
        });
      }
      const sandbox = new Sandbox({
        plugin: manifest.name,
        version: manifest.version,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        memoryMb: options.memoryMb ?? DEFAULT_MEMORY_MB,
      });
      sandboxes.set(manifest.name, sandbox);
      const reply = await sandbox.request({ t: "load", module: toBase64(verified.module) }, "loading");
      if (reply.t !== "loaded" || !sameDescription(manifest, reply.plugin)) {
        throw sandbox.abort(
          new PluginError(
            "PLUGIN_INTEGRITY",
            `Cannot load plugin ${manifest.name}@${manifest.version} as its module declares other strategies than its signed manifest`,
            { plugin: manifest.name, version: manifest.version },
          ),
        );
      }
      const pluginKey = options.keyring ? await options.keyring.derive(`plugin:${manifest.name}`) : null;
      for (const strategy of manifest.strategies) {
        const names = [`${manifest.name}/${strategy.name}`];
        if (ref.alias) names.push(`${ref.alias}/${strategy.name}`);
        strategies.push(...pluginStrategies({ manifest, strategy, sandbox, pluginKey, names }));
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { strategies, sandboxes, close };
}
