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

/** The text `--debug` prints for an error: its cause's stack. */
function debugText(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.stack ?? "" : "";
}

Deno.test("Sandbox shows a crash's own output under --debug only while it has not seen data, without escapes", async () => {
  const crash = `console.error("startup-failure-marker \\x1b[31m");
export default {
  kind: "privaci.plugin", name: "@t/crash", version: "1.0.0", apiVersion: 1, privaci: "*",
  strategies: { die: { description: "Dies", deterministic: false, mask(values) { console.error(values.join()); Deno.exit(3); } } },
};
if (globalThis.crashAtLoad !== false) Deno.exit(3);`;
  const atLoad = new Sandbox({ plugin: "@t/crash", timeoutMs: 30_000, memoryMb: 128 });
  try {
    const error = await atLoad.request(
      { t: "load", module: toBase64(new TextEncoder().encode(crash)) },
      "loading",
    )
      .then(() => assert.fail("should crash"), (e: unknown) => e);
    assert.ok(error instanceof PluginError);
    assert.equal(error.message, "Plugin @t/crash stopped unexpectedly: exit code 3");
    assert.match(debugText(error), /startup-failure-marker/);
    // deno-lint-ignore no-control-regex
    assert.equal(/\x1b/.test(debugText(error)), false);
  } finally {
    await atLoad.close();
  }
  {
    const module = crash.replace("if (globalThis.crashAtLoad !== false) Deno.exit(3);", "");
    const sandbox = new Sandbox({ plugin: "@t/crash", timeoutMs: 30_000, memoryMb: 128 });
    try {
      await sandbox.request({ t: "load", module: toBase64(new TextEncoder().encode(module)) }, "loading");
      await sandbox.request(init("die", 1), "initialising");
      const error = await sandbox.request(mask(1, ["secret-in-stderr"]), "masking")
        .then(() => assert.fail("should crash"), (e: unknown) => e);
      assert.ok(error instanceof PluginError);
      assert.equal(debugText(error).includes("secret-in-stderr"), false);
      assert.match(debugText(error), /withheld/);
    } finally {
      await sandbox.close();
    }
  }
});
