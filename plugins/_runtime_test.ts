import assert from "node:assert/strict";
import { PluginError } from "../errors.ts";
import { isDenoRuntime, requireDenoRuntime } from "./_runtime.ts";

Deno.test("isDenoRuntime() accepts a deno executable and refuses a compiled binary", () => {
  assert.equal(isDenoRuntime(), true);
  assert.equal(isDenoRuntime("/usr/local/bin/deno"), true);
  assert.equal(isDenoRuntime("/usr/local/bin/privaci"), false);
});

Deno.test("requireDenoRuntime() refuses in a compiled binary with PLUGIN_ERROR and says what to do", () => {
  assert.throws(() => requireDenoRuntime("plugin sign", "/opt/privaci/privaci"), (e: unknown) => {
    assert.ok(e instanceof PluginError);
    assert.equal(e.code, "PLUGIN_ERROR");
    assert.equal(e.exitCode, 3);
    assert.equal(
      e.message,
      "Cannot run plugin sign from a compiled privaci binary: plugins are sandboxed in a child deno process",
    );
    assert.equal(e.hint, "Run privaci with deno to use plugins: deno run -A jsr:@privaci/cli …");
    return true;
  });
  requireDenoRuntime("plugin sign");
});
