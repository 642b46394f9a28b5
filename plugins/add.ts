/**
 * `privaci plugin add` and `verify` as library calls: resolve a specifier, verify it against the
 * publisher's key, and (for add) pin it in the lock.
 *
 * @module
 */
import { readLock, writeLock } from "./lock.ts";
import { policyBase } from "./loader.ts";
import { fetchVerified, updateLock, type VerifiedPlugin } from "./trust.ts";

/** Where the lock is and who is trusted. */
export interface AddPluginOptions {
  /** The `ed25519:<base64>` key trusted to sign it. */
  publisher: string;
  /** The lock file to update (its directory is the base of relative `file:` specifiers). */
  lockFile: string;
  /** This PrivaCI's version. */
  hostVersion: string;
}

/**
 * Resolves and verifies `use` without touching the lock.
 *
 * @throws {PluginError} as `fetchVerified` does.
 */
export function verifyPlugin(use: string, options: AddPluginOptions): Promise<VerifiedPlugin> {
  return fetchVerified(use, {
    base: policyBase(options.lockFile),
    publisher: options.publisher,
    hostVersion: options.hostVersion,
  });
}

/**
 * Resolves `use` (the highest version in range for `jsr:`), verifies it and writes it to the lock. The
 * lock is left unchanged when anything fails.
 *
 * @throws {PluginError} as `fetchVerified` and `updateLock` do.
 */
export async function addPlugin(use: string, options: AddPluginOptions): Promise<VerifiedPlugin> {
  const lock = await readLock(options.lockFile);
  const verified = await verifyPlugin(use, options);
  await writeLock(options.lockFile, updateLock(lock, use, verified));
  return verified;
}
