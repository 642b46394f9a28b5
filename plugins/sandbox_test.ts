import assert from "node:assert/strict";
import { PluginError } from "../errors.ts";
import { Sandbox } from "./sandbox.ts";
import { toBase64 } from "./signing.ts";

/** A plugin module written without the SDK: the default export has the shape definePlugin() returns. */
const MODULE = `export default {
  kind: "privaci.plugin", name: "@t/spin", version: "1.0.0", apiVersion: 1, privaci: "*",
  strategies: {
    spin: { description: "Spins", deterministic: false, mask(values) { while (values) {} return values; } },
    echo: { description: "Echoes", deterministic: true, mask(values, ctx) { return values.map((v) => v === null ? null : v + ctx.firstRow); } },
  },
};`;

async function started(): Promise<Sandbox> {
  const sandbox = new Sandbox({ plugin: "@t/spin", version: "1.0.0", timeoutMs: 60_000, memoryMb: 128 });
  const reply = await sandbox.request(
    { t: "load", module: toBase64(new TextEncoder().encode(MODULE)) },
    "loading",
  );
  assert.equal(reply.t, "loaded");
  return sandbox;
}

function init(strategy: string, col: number) {
  return {
    t: "init" as const,
    col,
    strategy,
    params: {},
    column: {
      schema: "s",
      table: "t",
      column: "c",
      type: "text",
      family: "string",
      maxLength: null,
      notNull: false,
      unique: false,
    },
    key: null,
    domain: "d",
    unique: false,
  };
}

function mask(col: number, values: (string | null)[]) {
  return { t: "mask" as const, col, values, table: { schema: "s", table: "t" }, firstRow: 7 };
}

Deno.test("Sandbox describes the module and runs batches in order", async () => {
  const sandbox = await started();
  try {
    await sandbox.request(init("echo", 1), "initialising");
    const replies = await Promise.all([
      sandbox.request(mask(1, ["a", null]), "masking"),
      sandbox.request(mask(1, ["b"]), "masking"),
    ]);
    assert.deepEqual(replies, [{ t: "values", values: ["a7", null] }, { t: "values", values: ["b7"] }]);
  } finally {
    await sandbox.close();
  }
  assert.equal(sandbox.running, false);
  assert.equal((await sandbox.status).code, 0);
  assert.equal(sandbox.failure, undefined);
});

Deno.test("Sandbox.close() kills a sandbox spinning inside a batch at once, without waiting for the time budget", async () => {
  const sandbox = await started();
  await sandbox.request(init("spin", 1), "initialising");
  const pending = sandbox.request(mask(1, ["x"]), "masking", "spin");
  const queued = sandbox.request(mask(1, ["y"]), "masking", "spin");
  // The batch is in flight once the sandbox has it; close() must not wait 60 s for the budget.
  await sandbox.close();
  assert.equal((await sandbox.status).signal, "SIGKILL");
  for (const p of [pending, queued]) {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof PluginError);
      assert.equal(e.code, "PLUGIN_ERROR");
      assert.equal(e.message, "Plugin @t/spin is closed");
      return true;
    });
  }
});

Deno.test("Sandbox reports a module without a plugin default export", async () => {
  const sandbox = new Sandbox({ plugin: "@t/none", timeoutMs: 30_000, memoryMb: 128 });
  try {
    await assert.rejects(
      sandbox.request(
        { t: "load", module: toBase64(new TextEncoder().encode("export const x = 1;")) },
        "loading",
      ),
      {
        code: "PLUGIN_ERROR",
        message:
          "Plugin @t/none threw TypeError while loading: The plugin module's default export is not a definePlugin() value",
      },
    );
  } finally {
    await sandbox.close();
  }
});
