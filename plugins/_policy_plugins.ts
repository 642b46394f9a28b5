/**
 * Reads only the `plugins:` of a policy file, so `privaci plugin add` works before the rest of the policy
 * (source, target, rules naming the plugin's strategies) is complete. `${VAR}` references in its values are
 * interpolated as the policy loader does.
 *
 * @module
 */
import { parse } from "yaml";
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { diagnostic } from "../core/diagnostic.ts";
import { interpolate } from "../config/interpolate.ts";
import { type PluginRef, PluginRefSchema } from "../config/schema.ts";

function interpolateEntry(entry: unknown, index: number, file: string): void {
  if (!entry || typeof entry !== "object") return;
  const fields = entry as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== "string") continue;
    const result = interpolate(value, (name) => Deno.env.get(name));
    const problem = result.problems[0];
    if (problem) {
      const why = problem.kind === "missing"
        ? `needs the environment variable ${problem.detail}`
        : problem.detail;
      throw new ConfigError(
        problem.kind === "missing" ? "CONFIG_VARIABLE_MISSING" : "CONFIG_INVALID",
        `Cannot read the plugins of the policy: plugins.${index}.${key} ${why}`,
        [diagnostic(problem.kind === "missing" ? "CONFIG_VARIABLE_MISSING" : "CONFIG_INVALID", why, {
          file,
          path: ["plugins", index, key],
        })],
      );
    }
    fields[key] = result.value;
  }
}

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
  const raw = (doc as { plugins?: unknown } | null)?.plugins;
  if (Array.isArray(raw)) raw.forEach((entry, i) => interpolateEntry(entry, i, file));
  const parsed = z.array(PluginRefSchema).default([]).safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `Cannot read the plugins of the policy: ${file}`,
      parsed.error.issues.map((i) =>
        diagnostic("CONFIG_INVALID", i.message, {
          file,
          path: ["plugins", ...i.path.map((p) => typeof p === "symbol" ? String(p) : p)],
        })
      ),
    );
  }
  return parsed.data;
}
