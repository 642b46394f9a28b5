/**
 * Loads the plugins a policy trusts: each is fetched, checked against the lock and its publisher's
 * signature, loaded once in a sandbox from the verified bytes to check that it declares what its signed
 * manifest says, and exposed as strategies named `@scope/name/strategy` (and `alias/strategy` when the
 * policy gives an alias). Each column a plugin masks then gets a sandbox of its own (the first one reuses
 * the sandbox that checked the module).
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
import { fetchVerified, type VerifiedPlugin } from "./trust.ts";
import { requireDenoRuntime } from "./_runtime.ts";
import { pluginStrategies } from "./_strategy.ts";

/** Default time budget of one batch, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default time budget of one column (all its batches together), in milliseconds. */
export const DEFAULT_TOTAL_MS = 60 * 60_000;
/** Default heap limit of a sandbox, in MiB. */
export const DEFAULT_MEMORY_MB = 256;

/** The strategies of the loaded plugins and a way to stop their sandboxes. */
export interface LoadedPlugins {
  strategies: StrategyDefinition[];
  /** Every sandbox started so far, oldest first, with the plugin it runs (for diagnostics and tests). */
  sandboxes: readonly { plugin: string; sandbox: Sandbox }[];
  /** Stops every sandbox. */
  close(): Promise<void>;
}

/** How {@link loadPlugins} loads. */
export interface LoadPluginsOptions {
  /** `privaci.lock`, beside the policy; relative `file:` specifiers resolve from its directory. */
  lockFile: string;
  /** The policy's keyring; a plugin only gets keys derived for its publisher, name and domain. */
  keyring: Keyring | null;
  /** This PrivaCI's version (deno.json). */
  hostVersion: string;
  /** Time budget of one batch (and of loading), in milliseconds. */
  timeoutMs?: number;
  /** Time budget of one column, all batches together, in milliseconds. */
  totalMs?: number;
  /** CPU-time cap of each sandbox process, in seconds (default: the column budget plus a minute). */
  cpuSeconds?: number;
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
  const sandboxes: { plugin: string; sandbox: Sandbox }[] = [];
  const strategies: StrategyDefinition[] = [];
  const close = async () => {
    await Promise.all(sandboxes.map((s) => s.sandbox.close()));
  };
  if (refs.length === 0) return { strategies, sandboxes, close };
  requireDenoRuntime("a policy with plugins");
  const totalMs = options.totalMs ?? DEFAULT_TOTAL_MS;
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    totalMs,
    cpuSeconds: options.cpuSeconds ?? Math.ceil(totalMs / 1000) + 60,
    memoryMb: options.memoryMb ?? DEFAULT_MEMORY_MB,
  };
  /** Starts a sandbox and loads the verified module into it. */
  const start = async (verified: VerifiedPlugin): Promise<{ sandbox: Sandbox; described: unknown }> => {
    const { manifest } = verified;
    const sandbox = new Sandbox({ plugin: manifest.name, version: manifest.version, ...limits });
    sandboxes.push({ plugin: manifest.name, sandbox });
    const reply = await sandbox.request({ t: "load", module: toBase64(verified.module) }, "loading");
    return { sandbox, described: reply.t === "loaded" ? reply.plugin : undefined };
  };
  const lock = await readLock(options.lockFile);
  const loaded = new Set<string>();
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
      if (loaded.has(manifest.name)) {
        throw new PluginError("PLUGIN_LOCK", `Cannot load plugin ${manifest.name} twice`, {
          plugin: manifest.name,
        });
      }
      loaded.add(manifest.name);
      const first = await start(verified);
      if (!sameDescription(manifest, first.described)) {
        throw first.sandbox.abort(
          new PluginError(
            "PLUGIN_INTEGRITY",
            `Cannot load plugin ${manifest.name}@${manifest.version} as its module declares other strategies than its signed manifest`,
            { plugin: manifest.name, version: manifest.version },
          ),
        );
      }
      // The sandbox that checked the module serves the first column; every later column starts its own.
      let spare: Sandbox | undefined = first.sandbox;
      const sandbox = async () => {
        const reuse = spare;
        spare = undefined;
        return reuse ?? (await start(verified)).sandbox;
      };
      for (const strategy of manifest.strategies) {
        const names = [`${manifest.name}/${strategy.name}`];
        if (ref.alias) names.push(`${ref.alias}/${strategy.name}`);
        strategies.push(
          ...pluginStrategies({
            manifest,
            strategy,
            sandbox,
            keyring: options.keyring,
            publisher: ref.publisher,
            names,
          }),
        );
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { strategies, sandboxes, close };
}
