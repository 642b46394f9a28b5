/**
 * Builds the host-side {@link StrategyDefinition}s of a loaded plugin: meta from the signed manifest, a
 * params schema from the strategy's JSON Schema, and maskers that proxy batches to a sandbox of their own
 * and check what comes back.
 *
 * Each masker (one column of one table) gets its own sandbox process, started for it and stopped when
 * the table is done: a plugin never sees two columns' values in one process, so nothing it keeps from one
 * column can be written into another.
 *
 * Params are validated on the host (`z.fromJSONSchema`), not in the sandbox: a wrong param is then a
 * policy error found by `check` before any row moves, reported like a built-in's, and the plugin only
 * ever receives params that fit its own schema.
 *
 * @module
 */
import { z } from "zod";
import { PluginError } from "../errors.ts";
import type { Keyring } from "../strategies/keyed/keyring.ts";
import type { Cell, ColumnMasker, StrategyDefinition, StrategyInit } from "../strategies/types.ts";
import type { Manifest, ManifestStrategy } from "./manifest.ts";
import type { WireColumn } from "./protocol.ts";
import { REPLY_GROWTH, type Sandbox } from "./sandbox.ts";
import { toBase64 } from "./signing.ts";
import { printable } from "./_text.ts";

/** The longest value a plugin may return for a short or NULL input, in UTF-16 code units. */
export const MIN_OUTPUT_CAP = 4096;
/** The longest description printed or registered for a plugin strategy. */
const DESCRIPTION_CHARS = 200;

let nextInstance = 1;

/**
 * The key a plugin strategy gets for a column: derived from the policy key for this publisher's key, this
 * plugin's name and the column's domain together, so two publishers never share a key (a plugin that
 * declares another's name gets another key), and one plugin's domains stay apart.
 */
export function pluginKey(
  keyring: Keyring,
  who: { publisher: string; plugin: string; domain: string },
): Promise<Uint8Array> {
  return keyring.derive(`plugin:${JSON.stringify([who.publisher, who.plugin, who.domain])}`);
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
  /** Starts a sandbox with the plugin's module loaded, for one column. */
  sandbox: () => Promise<Sandbox>;
  /** The policy's keyring, or `null` without a policy key. */
  keyring: Keyring | null;
  /** The `ed25519:<base64>` key the policy trusts for this plugin. */
  publisher: string;
  /** Names to register it under: `@scope/name/strategy` and the alias form. */
  names: string[];
}

function codePoints(text: string, max: number): number {
  let n = 0;
  for (const _ of text) if (++n > max) break;
  return n;
}

/** One definition per name; every masker runs in a sandbox of its own. */
export function pluginStrategies(options: PluginStrategyOptions): StrategyDefinition[] {
  const { manifest, strategy: s, keyring, publisher } = options;
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
    // its own key for its publisher, name and domain instead of the one built-ins share.
    const key = init.key === null || keyring === null
      ? null
      : toBase64(await pluginKey(keyring, { publisher, plugin: manifest.name, domain: init.domain }));
    const sandbox = await options.sandbox();
    try {
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
    } catch (e) {
      await sandbox.close();
      throw e;
    }
    let closed = false;

    function outputError(message: string): PluginError {
      return sandbox.abort(
        new PluginError("PLUGIN_OUTPUT", `Plugin ${manifest.name} strategy ${s.name} ${message}`, fields, {
          hint: "mask() must return one string or null per input value, fitting the column",
        }),
      );
    }

    function check(out: unknown, values: readonly Cell[]): Cell[] {
      if (!Array.isArray(out)) {
        const bad = out as { badIndex?: number; type?: string } | null | undefined;
        const type = printable(String(bad?.type), 20);
        throw outputError(
          bad && typeof bad.badIndex === "number"
            ? `returned a ${type} at index ${bad.badIndex}, not a string or null`
            : "returned something that is not an array",
        );
      }
      if (out.length !== values.length) {
        throw outputError(`returned ${out.length} values for a batch of ${values.length}`);
      }
      for (let i = 0; i < out.length; i++) {
        const v = out[i];
        if (v === null) continue;
        if (typeof v !== "string") {
          throw outputError(`returned a ${typeof v} at index ${i}, not a string or null`);
        }
        if (!v.isWellFormed()) {
          throw outputError(`returned a lone surrogate at index ${i}, which is not text`);
        }
        if (v.includes("\0")) {
          throw outputError(`returned a NUL character at index ${i}, which PostgreSQL refuses`);
        }
        const cap = Math.max(MIN_OUTPUT_CAP, REPLY_GROWTH * (values[i]?.length ?? 0));
        if (v.length > cap) {
          throw outputError(`returned ${v.length} characters at index ${i}: at most ${cap} are accepted`);
        }
        if (c.maxLength !== null && codePoints(v, c.maxLength) > c.maxLength) {
          throw outputError(
            `returned more than ${c.maxLength} characters at index ${i}, more than the column holds`,
          );
        }
      }
      return out as Cell[];
    }

    return {
      async mask(values, batch) {
        const reply = await sandbox.request(
          { t: "mask", col, values: values as Cell[], table: batch.table, firstRow: batch.firstRow },
          "masking",
          s.name,
        );
        return check(reply.t === "values" ? reply.values : undefined, values);
      },
      async close() {
        if (closed) return;
        closed = true;
        try {
          if (sandbox.running && !sandbox.failure) {
            await sandbox.request({ t: "close", col }, "closing", s.name);
          }
        } finally {
          await sandbox.close();
        }
      },
    };
  }

  const description = printable(s.description, DESCRIPTION_CHARS);
  return options.names.map((name) => ({
    meta: {
      name,
      description: name === fullName ? description : `${description} (${fullName})`,
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
