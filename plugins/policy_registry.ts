/**
 * The strategies a policy can use: the built-ins plus its plugins, loaded as the lock pins them. This is
 * what `run` and `check` call when a policy has `plugins:`.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import type { Policy } from "../config/schema.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import type { Keyring } from "../strategies/keyed/keyring.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { loadPlugins } from "./loader.ts";

/** A registry holding the built-ins and the policy's plugin strategies, and the way to stop the sandboxes. */
export interface PolicyRegistry {
  registry: StrategyRegistry;
  /** Stops every plugin sandbox; call it when the run or check is over. */
  close(): Promise<void>;
}

/** The lock file of a policy file: `privaci.lock` in the same directory. */
export function lockFileOf(policyFile: string): string {
  return join(dirname(resolve(policyFile)), "privaci.lock");
}

/**
 * Loads the policy's plugins (if any) and returns them with the built-ins in one registry.
 *
 * @param src The policy file's path, its validated policy and its one keyring (`config/load.ts`'s
 *   LoadedPolicy fits).
 * @param options This PrivaCI's version, and the sandbox time budget per batch.
 * @throws {PluginError} when a plugin is not locked, not trusted, or fails to load.
 * @throws {TypeError} when two strategies end up with the same name (e.g. an alias that clashes).
 */
export async function policyRegistry(
  src: { file: string; policy: Policy; keyring(): Promise<Keyring | null> },
  options: { hostVersion: string; timeoutMs?: number },
): Promise<PolicyRegistry> {
  const registry = builtinStrategies();
  if (src.policy.plugins.length === 0) return { registry, close: () => Promise.resolve() };
  const plugins = await loadPlugins(src.policy.plugins, {
    lockFile: lockFileOf(src.file),
    keyring: await src.keyring(),
    hostVersion: options.hostVersion,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  try {
    for (const def of plugins.strategies) registry.add(def);
  } catch (e) {
    await plugins.close();
    throw e;
  }
  return { registry, close: () => plugins.close() };
}
