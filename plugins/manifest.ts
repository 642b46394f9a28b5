/**
 * The plugin manifest (`plugin.json`): data only, signed, readable without running any plugin code. It names
 * the plugin, its version and API version, the PrivaCI versions it supports, its strategies' metadata,
 * and pins the module's bytes by sha256.
 *
 * @module
 */
import { z } from "zod";
import { PluginError } from "../errors.ts";
import { TYPE_FAMILIES } from "../strategies/types.ts";
// @ts-types="npm:@types/semver@7.8.0"
import semver from "semver";
import { printable } from "./_text.ts";
import { PLUGIN_API_VERSION, PLUGIN_NAME_PATTERN, STRATEGY_NAME_PATTERN } from "./sdk/mod.ts";

/** The plugin API version this host speaks: the SDK's, so the two never disagree. */
export { PLUGIN_API_VERSION };
/** File name of the manifest inside a plugin package. */
export const MANIFEST_FILE = "plugin.json";
/** File name of the detached signature over the manifest. */
export const SIGNATURE_FILE = "plugin.json.sig";

const CellSchema = z.union([z.string(), z.null()]);

/** One strategy's metadata as the manifest records it. */
export const ManifestStrategySchema = z.strictObject({
  name: z.string().regex(STRATEGY_NAME_PATTERN, "must be lower case letters, digits, _ . -"),
  description: z.string().min(1),
  /** JSON Schema of the params. */
  params: z.record(z.string(), z.unknown()),
  columnTypes: z.array(z.enum(TYPE_FAMILIES)).optional(),
  deterministic: z.boolean(),
  unique: z.boolean(),
  keyed: z.boolean(),
  examples: z.array(z.strictObject({
    params: z.record(z.string(), z.unknown()).optional(),
    input: CellSchema,
    output: CellSchema.optional(),
    note: z.string().optional(),
  })).optional(),
});

/** The manifest's shape. */
export const ManifestSchema = z.strictObject({
  name: z.string().regex(PLUGIN_NAME_PATTERN, "must be @scope/name"),
  version: z.string().refine((v) => semver.valid(v) === v, "must be a semver version"),
  apiVersion: z.int().positive(),
  privaci: z.string().min(1),
  /** The module file, relative to the manifest. */
  entry: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.m?js$/, "must be a .js file beside the manifest"),
  /** `sha256-<base64>` of the module's bytes. */
  integrity: z.string().regex(/^sha256-[A-Za-z0-9+/]{43}=$/, "must be sha256-<base64>"),
  strategies: z.array(ManifestStrategySchema).min(1),
});

/** A parsed plugin manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;
/** One strategy's metadata in a manifest. */
export type ManifestStrategy = z.infer<typeof ManifestStrategySchema>;

/**
 * Parses manifest bytes.
 *
 * @param bytes The exact bytes of `plugin.json`.
 * @param plugin The name to report when the manifest itself cannot say it.
 * @throws {PluginError} `PLUGIN_INTEGRITY` when it is not valid JSON of the manifest's shape.
 */
export function parseManifest(bytes: Uint8Array, plugin: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot read the plugin manifest as it is not UTF-8 JSON: ${plugin}`,
      {
        plugin,
      },
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot read the plugin manifest of ${plugin}: ${first.path.join(".") || "(root)"} ${first.message}`,
      { plugin },
    );
  }
  const names = parsed.data.strategies.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot read the plugin manifest of ${plugin}: strategy "${dup}" appears twice`,
      {
        plugin,
      },
    );
  }
  return parsed.data;
}

/**
 * Refuses a plugin this host cannot run: another plugin API version, or a host version outside the
 * plugin's `privaci` range.
 *
 * @throws {PluginError} `PLUGIN_VERSION`.
 */
export function checkCompatibility(manifest: Manifest, hostVersion: string): void {
  const fields = { plugin: manifest.name, version: manifest.version };
  if (manifest.apiVersion !== PLUGIN_API_VERSION) {
    throw new PluginError(
      "PLUGIN_VERSION",
      `Cannot load plugin ${manifest.name}@${manifest.version} as it uses plugin API version ${manifest.apiVersion}: this PrivaCI supports version ${PLUGIN_API_VERSION}`,
      fields,
      { hint: `Use a release of the plugin built for plugin API version ${PLUGIN_API_VERSION}` },
    );
  }
  if (semver.validRange(manifest.privaci) === null || semver.valid(hostVersion) === null) {
    throw new PluginError(
      "PLUGIN_VERSION",
      `Cannot load plugin ${manifest.name}@${manifest.version} as its supported PrivaCI range is not a semver range: "${
        printable(manifest.privaci, 40)
      }"`,
      fields,
    );
  }
  if (!semver.satisfies(hostVersion, manifest.privaci)) {
    throw new PluginError(
      "PLUGIN_VERSION",
      `Cannot load plugin ${manifest.name}@${manifest.version} as it supports PrivaCI ${
        printable(manifest.privaci, 40)
      }: this is ${hostVersion}`,
      fields,
      { hint: "Upgrade PrivaCI or use a release of the plugin that supports this version" },
    );
  }
}
