/**
 * Fetches a plugin and decides whether to trust it: the manifest must carry the policy publisher's
 * Ed25519 signature, the module must have the sha256 the manifest pins, the plugin must support this
 * host, and, against the lock, the version and bytes must be the pinned ones and the signer unchanged.
 * Only the bytes checked here are ever executed.
 *
 * @module
 */
import { PluginError } from "../errors.ts";
import type { Lock, LockEntry } from "./lock.ts";
import {
  checkCompatibility,
  type Manifest,
  MANIFEST_FILE,
  parseManifest,
  SIGNATURE_FILE,
} from "./manifest.ts";
import { openSource } from "./resolve.ts";
// @ts-types="npm:@types/semver@7.8.0"
import semver from "semver";
import { sha256Integrity, verifySignature } from "./signing.ts";

/** A plugin whose bytes passed every check. */
export interface VerifiedPlugin {
  manifest: Manifest;
  /** The module's verified bytes: the only bytes the sandbox runs. */
  module: Uint8Array;
  /** What the lock records for it. */
  lock: LockEntry;
}

/** How to fetch and check a plugin. */
export interface VerifyOptions {
  /** The policy's directory as a `file:` URL ending in `/`. */
  base: URL;
  /** The `ed25519:<base64>` key the policy trusts for it. */
  publisher: string;
  /** This PrivaCI's version. */
  hostVersion: string;
  /** The lock's entry: fetch exactly that version and refuse anything else. */
  locked?: LockEntry;
}

/** Orders two versions; a version that is not semver (a hand-edited lock) counts as 0.0.0. */
function compareVersions(a: string, b: string): number {
  const valid = (v: string) => semver.valid(v) === v ? v : "0.0.0";
  return semver.compare(valid(a), valid(b));
}

/**
 * Fetches `use` and checks it.
 *
 * @throws {PluginError} `PLUGIN_SIGNATURE` (bad signature, changed signer), `PLUGIN_INTEGRITY` (bytes differ
 * from what is signed or locked), `PLUGIN_VERSION` (downgrade, unsupported API or host version),
 * `PLUGIN_LOCK` (a newer version than locked), `PLUGIN_RESOLVE` (cannot fetch).
 */
export async function fetchVerified(use: string, options: VerifyOptions): Promise<VerifiedPlugin> {
  const { locked, publisher } = options;
  if (locked && locked.signer !== publisher) {
    throw new PluginError(
      "PLUGIN_SIGNATURE",
      `Cannot load plugin ${locked.name} as the policy trusts another publisher than the lock recorded: the signer changed`,
      { plugin: locked.name, version: locked.version },
      {
        hint:
          `If the new publisher is expected, remove "${use}" from privaci.lock and run: privaci plugin add ${use}`,
      },
    );
  }
  const source = await openSource(use, { base: options.base, version: locked?.version });
  const label = source.name ?? locked?.name ?? use;
  const manifestBytes = await source.read(MANIFEST_FILE);
  const signature = new TextDecoder().decode(await source.read(SIGNATURE_FILE));
  if (!await verifySignature(publisher, manifestBytes, signature)) {
    throw new PluginError(
      "PLUGIN_SIGNATURE",
      `Cannot load plugin ${label} as its manifest is not signed by the publisher the policy trusts`,
      { plugin: label, ...(source.version ? { version: source.version } : {}) },
      { hint: "Check the policy's publisher key, or ask the publisher for a correctly signed release" },
    );
  }
  const manifest = parseManifest(manifestBytes, label);
  const fields = { plugin: manifest.name, version: manifest.version };
  if (
    (source.name && manifest.name !== source.name) || (source.version && manifest.version !== source.version)
  ) {
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot load plugin ${label} as its manifest names ${manifest.name}@${manifest.version}: expected ${source.name}@${source.version}`,
      fields,
    );
  }
  const manifestSha = await sha256Integrity(manifestBytes);
  if (locked) checkLocked(manifest, manifestSha, locked, use);
  const module = await source.read(manifest.entry);
  if (await sha256Integrity(module) !== manifest.integrity) {
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot load plugin ${manifest.name}@${manifest.version} as its module's bytes differ from the signed manifest`,
      fields,
      { hint: "The module was changed after signing; fetch it again from the publisher" },
    );
  }
  checkCompatibility(manifest, options.hostVersion);
  return {
    manifest,
    module,
    lock: {
      name: manifest.name,
      version: manifest.version,
      resolved: source.resolved,
      manifest: manifestSha,
      module: manifest.integrity,
      signer: publisher,
    },
  };
}

function checkLocked(manifest: Manifest, manifestSha: string, locked: LockEntry, use: string): void {
  const fields = { plugin: manifest.name, version: manifest.version };
  if (manifest.name !== locked.name) {
    throw new PluginError(
      "PLUGIN_LOCK",
      `Cannot load plugin ${use} as it is now ${manifest.name}: the lock recorded ${locked.name}`,
      fields,
      { hint: `Run: privaci plugin add ${use}` },
    );
  }
  const order = compareVersions(manifest.version, locked.version);
  if (order < 0) {
    throw new PluginError(
      "PLUGIN_VERSION",
      `Cannot load plugin ${manifest.name} as ${manifest.version} is a downgrade: the lock pins ${locked.version}`,
      fields,
      { hint: "A source now serves an older release; PrivaCI never downgrades a plugin silently" },
    );
  }
  if (order > 0) {
    throw new PluginError(
      "PLUGIN_LOCK",
      `Cannot load plugin ${manifest.name}@${manifest.version} as the lock pins ${locked.version}`,
      fields,
      { hint: `To upgrade, run: privaci plugin add ${use}` },
    );
  }
  if (manifestSha !== locked.manifest) {
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot load plugin ${manifest.name}@${manifest.version} as its manifest's bytes differ from the lock`,
      fields,
      { hint: "The same version was published again with other bytes; ask the publisher" },
    );
  }
}

/**
 * Records a verified plugin in the lock under `use`, refusing a downgrade, a changed signer or the same
 * version with other bytes for a plugin of the same name already locked.
 *
 * @throws {PluginError} `PLUGIN_VERSION`, `PLUGIN_SIGNATURE` or `PLUGIN_INTEGRITY`.
 */
export function updateLock(lock: Lock, use: string, verified: VerifiedPlugin): Lock {
  const next = verified.lock;
  const fields = { plugin: next.name, version: next.version };
  for (const [key, old] of Object.entries(lock.plugins)) {
    if (old.name !== next.name && key !== use) continue;
    if (old.signer !== next.signer) {
      throw new PluginError(
        "PLUGIN_SIGNATURE",
        `Cannot add plugin ${next.name} as its signer changed from the one the lock recorded`,
        fields,
        { hint: `If the new publisher is expected, remove "${key}" from privaci.lock first` },
      );
    }
    const order = compareVersions(next.version, old.version);
    if (old.name === next.name && order < 0) {
      throw new PluginError(
        "PLUGIN_VERSION",
        `Cannot add plugin ${next.name}@${next.version} as it is a downgrade: the lock pins ${old.version}`,
        fields,
        { hint: `To downgrade on purpose, remove "${key}" from privaci.lock first` },
      );
    }
    if (old.name === next.name && order === 0 && old.manifest !== next.manifest) {
      throw new PluginError(
        "PLUGIN_INTEGRITY",
        `Cannot add plugin ${next.name}@${next.version} as the same version was locked with other bytes`,
        fields,
      );
    }
  }
  const plugins = Object.fromEntries(
    Object.entries(lock.plugins).filter(([key, e]) => key !== use && e.name !== next.name),
  );
  plugins[use] = next;
  return { version: 1, plugins };
}
