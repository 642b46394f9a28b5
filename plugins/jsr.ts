/**
 * Resolution through the JSR registry API: `<JSR_URL>/@scope/name/meta.json` lists the versions,
 * `<version>_meta.json` lists every file with its sha256, and files are read from
 * `<JSR_URL>/@scope/name/<version>/<path>`, each checked against that checksum. `JSR_URL` defaults to
 * https://jsr.io.
 *
 * @module
 */
import { z } from "zod";
import { PluginError } from "../errors.ts";
import { fetchBytes } from "./_fetch.ts";
// @ts-types="npm:@types/semver@7.8.0"
import semver from "semver";
import { sha256Hex } from "./signing.ts";

const PackageMetaSchema = z.looseObject({
  versions: z.record(z.string(), z.looseObject({ yanked: z.boolean().optional() })),
});

const VersionMetaSchema = z.looseObject({
  manifest: z.record(z.string(), z.looseObject({ size: z.int().nonnegative(), checksum: z.string() })),
});

/** The registry's base URL, from `JSR_URL` or https://jsr.io. */
export function jsrBaseUrl(): URL {
  let env: string | undefined;
  try {
    env = Deno.env.get("JSR_URL");
  } catch {
    env = undefined;
  }
  const url = new URL(env && env !== "" ? env : "https://jsr.io");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

async function readJson(url: URL, plugin: string): Promise<unknown> {
  const bytes = await fetchBytes(url, plugin);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot resolve plugin ${plugin} as the registry sent invalid JSON: ${url}`,
      {
        plugin,
      },
    );
  }
}

/**
 * The highest non-yanked version of `name` in `range`.
 *
 * @throws {PluginError} `PLUGIN_RESOLVE` when the registry has no such package or no matching version.
 */
export async function resolveJsrVersion(name: string, range: string): Promise<string> {
  if (semver.validRange(range) === null) {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot resolve plugin ${name} as its version range is not valid: "${range}"`,
      {
        plugin: name,
      },
    );
  }
  const url = new URL(`${name}/meta.json`, jsrBaseUrl());
  const meta = PackageMetaSchema.safeParse(await readJson(url, name));
  if (!meta.success) {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot resolve plugin ${name} as the registry's package metadata is malformed`,
      {
        plugin: name,
      },
    );
  }
  const versions = Object.entries(meta.data.versions).filter(([k, v]) => !v.yanked && semver.valid(k) === k)
    .map(([k]) => k);
  const best = semver.maxSatisfying(versions, range);
  if (best === null) {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot resolve plugin ${name} as no published version matches "${range}"`,
      {
        plugin: name,
      },
      { hint: `Published versions: ${versions.join(", ") || "none"}` },
    );
  }
  return best;
}

/** A function reading one file of a resolved JSR package version, checked against the registry's checksum. */
export type JsrReader = (path: string) => Promise<Uint8Array>;

/**
 * Opens one version of a package: reads its file list with checksums.
 *
 * @throws {PluginError} `PLUGIN_RESOLVE` when the version metadata is missing or malformed.
 */
export async function openJsrVersion(
  name: string,
  version: string,
): Promise<{ resolved: string; read: JsrReader }> {
  const base = new URL(`${name}/${version}/`, jsrBaseUrl());
  const metaUrl = new URL(`${name}/${version}_meta.json`, jsrBaseUrl());
  const parsed = VersionMetaSchema.safeParse(await readJson(metaUrl, name));
  if (!parsed.success) {
    throw new PluginError(
      "PLUGIN_RESOLVE",
      `Cannot resolve plugin ${name}@${version} as the registry's version metadata is malformed`,
      {
        plugin: name,
        version,
      },
    );
  }
  const files = parsed.data.manifest;
  const read: JsrReader = async (path) => {
    const entry = files[`/${path}`];
    if (!entry) {
      throw new PluginError(
        "PLUGIN_RESOLVE",
        `Cannot read ${path} of plugin ${name}@${version}: the package has no such file`,
        {
          plugin: name,
          version,
        },
      );
    }
    const bytes = await fetchBytes(new URL(path, base), name);
    if (bytes.length !== entry.size || `sha256-${await sha256Hex(bytes)}` !== entry.checksum) {
      throw new PluginError(
        "PLUGIN_INTEGRITY",
        `Cannot use ${path} of plugin ${name}@${version} as its bytes do not match the registry's checksum`,
        { plugin: name, version },
      );
    }
    return bytes;
  };
  return { resolved: base.href, read };
}
