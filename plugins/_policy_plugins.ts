/**
 * Reads only the `plugins:` of a policy file, so `privaci plugin add` works before the rest of the policy
 * (source, target, rules naming the plugin's strategies) is complete.
 *
 * @module
 */
import { parse } from "yaml";
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { type PluginRef, PluginRefSchema } from "../config/schema.ts";

/**
 * The policy's plugin entries; an empty list when the file does not exist.
 *
 * @throws {ConfigError} `CONFIG_SYNTAX` or `CONFIG_INVALID` when the file or its `plugins:` is malformed.
 */
export async function readPolicyPlugins(file: string): Promise<PluginRef[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new ConfigError("CONFIG_SYNTAX", `Cannot parse the policy as YAML: ${file}`, [], { cause: e });
  }
  const parsed = z.array(PluginRefSchema).default([]).safeParse(
    (doc as { plugins?: unknown } | null)?.plugins,
  );
  if (!parsed.success) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `Cannot read the plugins of the policy: ${file}`,
      parsed.error.issues.map((i) => ({
        path: ["plugins", ...i.path.map((p) => typeof p === "symbol" ? String(p) : p)],
        message: i.message,
        file,
      })),
    );
  }
  return parsed.data;
}
