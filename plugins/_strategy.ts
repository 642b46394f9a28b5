/**
 * Builds the host-side {@link StrategyDefinition}s of a loaded plugin: meta from the signed manifest, a
 * params schema from the strategy's JSON Schema, and maskers that proxy batches to the sandbox and check
 * what comes back.
 *
 * Params are validated on the host (`z.fromJSONSchema`), not in the sandbox: a wrong param is then a
 * policy error found by `check` before any row moves, reported like a built-in's, and the plugin only
 * ever receives params that fit its own schema.
 *
 * @module
 */
import { z } from "zod";
import { PluginError } from "../errors.ts";
import type { Cell, ColumnMasker, StrategyDefinition, StrategyInit } from "../strategies/types.ts";
import type { Manifest, ManifestStrategy } from "./manifest.ts";
import type { WireColumn } from "./protocol.ts";
import type { Sandbox } from "./sandbox.ts";
import { toBase64 } from "./signing.ts";

let nextInstance = 1;

async function columnKey(pluginKey: Uint8Array | null, domain: string): Promise<string | null> {
  if (pluginKey === null) return null;
  const key = await crypto.subtle.importKey(
    "raw",
    pluginKey as Uint8Array<ArrayBuffer>,
    {
      name: "HMAC",
      hash: "SHA-256",
    },
    false,
    ["sign"],
  );
  const info = new TextEncoder().encode(`domain:${domain}`);
  return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, info)));
}

function paramsSchema(manifest: Manifest, s: ManifestStrategy): z.ZodType<Record<string, unknown>> {
  try {
    // deno-lint-ignore no-explicit-any
    return z.fromJSONSchema(s.params as any) as z.ZodType<Record<string, unknown>>;
  } catch (e) {
    throw new PluginError(
      "PLUGIN_INTEGRITY",
      `Cannot use strategy ${s.name} of plugin ${manifest.name} as its params schema is not a supported JSON Schema`,
      { plugin: manifest.name, version: manifest.version, strategy: s.name },
      { cause: e },
    );
  }
}

/** What one plugin strategy needs to build maskers. */
export interface PluginStrategyOptions {
  manifest: Manifest;
  strategy: ManifestStrategy;
  sandbox: Sandbox;
  /** The plugin's subkey (`plugin:<name>`), or `null` without a policy key. */
  pluginKey: Uint8Array | null;
  /** Names to register it under: `@scope/name/strategy` and the alias form. */
  names: string[];
}

/** One definition per name, all sharing one sandbox. */
export function pluginStrategies(options: PluginStrategyOptions): StrategyDefinition[] {
  const { manifest, strategy: s, sandbox, pluginKey } = options;
  const params = paramsSchema(manifest, s);
  const fullName = `${manifest.name}/${s.name}`;
  const fields = { plugin: manifest.name, version: manifest.version, strategy: s.name };

  async function create(init: StrategyInit<Record<string, unknown>>): Promise<ColumnMasker> {
    const col = nextInstance++;
    const c = init.column;
    const column: WireColumn = {
      schema: c.schema,
      table: c.table,
      column: c.column,
      type: c.type,
      family: c.family,
      maxLength: c.maxLength,
      notNull: c.notNull,
      unique: c.unique,
    };
    // The planner passes a key only when the strategy is keyed and the policy has one; the plugin gets
    // its own subkey for the domain instead of the one built-ins share.
    const key = init.key === null ? null : await columnKey(pluginKey, init.domain);
    await sandbox.request(
      {
        t: "init",
        col,
        strategy: s.name,
        params: init.params,
        column,
        key,
        domain: init.domain,
        unique: init.unique,
      },
      "initialising",
      s.name,
    );
    let closed = false;
    return {
      async mask(values, batch) {
        const reply = await sandbox.request(
          { t: "mask", col, values: values as Cell[], table: batch.table, firstRow: batch.firstRow },
          "masking",
          s.name,
        );
        const out = reply.t === "values" ? reply.values : undefined;
        if (!Array.isArray(out)) {
          const bad = out as { badIndex?: number; type?: string } | null | undefined;
          const why = bad && typeof bad.badIndex === "number"
            ? `a ${String(bad.type)} at index ${bad.badIndex}, not a string or null`
            : "something that is not an array";
          throw outputError(`Plugin ${manifest.name} strategy ${s.name} returned ${why}`);
        }
        if (out.length !== values.length) {
          throw outputError(
            `Plugin ${manifest.name} strategy ${s.name} returned ${out.length} values for a batch of ${values.length}`,
          );
        }
        for (let i = 0; i < out.length; i++) {
          const v = out[i];
          if (v !== null && typeof v !== "string") {
            throw outputError(
              `Plugin ${manifest.name} strategy ${s.name} returned a ${typeof v} at index ${i}, not a string or null`,
            );
          }
        }
        return out as Cell[];
      },
      async close() {
        if (closed || !sandbox.running || sandbox.failure) return;
        closed = true;
        await sandbox.request({ t: "close", col }, "closing", s.name);
      },
    };
  }

  function outputError(message: string): PluginError {
    return sandbox.abort(
      new PluginError("PLUGIN_OUTPUT", message, fields, {
        hint: "mask() must return one string or null per input value",
      }),
    );
  }

  return options.names.map((name) => ({
    meta: {
      name,
      description: name === fullName ? s.description : `${s.description} (${fullName})`,
      ...(s.columnTypes ? { columnTypes: s.columnTypes } : {}),
      deterministic: s.deterministic,
      unique: s.unique,
      keyed: s.keyed,
      ...(s.examples ? { examples: s.examples } : {}),
    },
    params,
    create,
  }));
}
