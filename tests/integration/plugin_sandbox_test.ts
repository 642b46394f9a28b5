/**
 * The hostile-plugin suite: each plugin below tries one thing a plugin must not do. Each must end with
 * its PLUGIN_* error, the sandbox process killed, and nothing leaving the sandbox.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginError } from "../../errors.ts";
import { addPlugin } from "../../plugins/add.ts";
import { loadPlugins } from "../../plugins/loader.ts";
import { signPackage } from "../../plugins/package.ts";
import { HOST_VERSION, newPublisher, writePackage } from "../fixtures/plugins/_kit.ts";
import { assertFields, type AttemptOptions, HostileFixture } from "../fixtures/plugins/_hostile.ts";

const fixture = new HostileFixture("hostile", "@evil/hostile");
const dir = await fixture.dir();

function attempt(strategy: string, options: AttemptOptions = {}) {
  return fixture.attempt(strategy, options);
}

function permission(what: string): Partial<PluginError> {
  return {
    code: "PLUGIN_PERMISSION",
    plugin: "@evil/hostile",
    version: "1.0.0",
    message: `Plugin @evil/hostile was denied ${what} access while masking: plugins run with no permissions`,
  };
}

Deno.test("hostile plugin: reading a file is denied", async () => {
  const { error, status } = await attempt("read_file");
  assertFields(error, { ...permission("read"), strategy: "read_file" });
  assert.equal(status.signal, "SIGKILL");
});

Deno.test("hostile plugin: writing a file is denied and nothing is written", async () => {
  await Deno.remove("/tmp/privaci-hostile-plugin.txt").catch(() => {});
  const { error } = await attempt("write_file");
  assertFields(error, permission("write"));
  assert.equal(await Deno.stat("/tmp/privaci-hostile-plugin.txt").then(() => true, () => false), false);
});

Deno.test("hostile plugin: reading PRIVACI_KEY from the environment is denied", async () => {
  const previous = Deno.env.get("PRIVACI_KEY");
  Deno.env.set("PRIVACI_KEY", "base64:" + btoa("k".repeat(32)));
  try {
    const { error } = await attempt("read_env");
    assertFields(error, permission("env"));
  } finally {
    if (previous === undefined) Deno.env.delete("PRIVACI_KEY");
    else Deno.env.set("PRIVACI_KEY", previous);
  }
});

Deno.test("hostile plugin: fetching a URL on 127.0.0.1 is denied and the server sees nothing", async () => {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req.url);
    return new Response("ok");
  });
  try {
    const { error } = await attempt("fetch_local", {
      params: { url: `http://127.0.0.1:${server.addr.port}/collect` },
    });
    assertFields(error, permission("net"));
    assert.deepEqual(seen, []);
  } finally {
    await server.shutdown();
  }
});

Deno.test("hostile plugin: opening a socket is denied and no connection arrives", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept().then((conn) => {
    conn.close();
    return true;
  }, () => false);
  try {
    const { error } = await attempt("open_socket", { params: { port: listener.addr.port } });
    assertFields(error, permission("net"));
  } finally {
    listener.close();
  }
  assert.equal(await accepted, false);
});

Deno.test("hostile plugin: spawning a process is denied", async () => {
  const { error } = await attempt("spawn");
  assertFields(error, permission("run"));
});

Deno.test("hostile plugin: writing to caches is denied", async () => {
  const { error } = await attempt("write_caches");
  assertFields(error, permission("storage"));
});

Deno.test("hostile plugin: writing to localStorage is denied", async () => {
  const { error } = await attempt("local_storage");
  assertFields(error, permission("storage"));
});

Deno.test("hostile plugin: an endless loop is stopped at the time budget by killing the sandbox", async () => {
  const { error, status } = await attempt("loop_forever", { timeoutMs: 1000 });
  assertFields(error, {
    code: "PLUGIN_TIMEOUT",
    strategy: "loop_forever",
    message: "Plugin @evil/hostile took longer than 1000 ms while masking",
    hint: "The sandbox was stopped; a strategy must finish each batch within the time budget",
  });
  assert.equal(status.signal, "SIGKILL");
});

Deno.test("hostile plugin: unbounded allocation ends at the sandbox's heap limit", async () => {
  const { error, status } = await attempt("allocate", { memoryMb: 64 });
  assertFields(error, {
    code: "PLUGIN_MEMORY",
    message: "Plugin @evil/hostile ran out of memory: the sandbox allows 64 MiB",
  });
  assert.equal(status.success, false);
});

Deno.test("hostile plugin: unbounded ArrayBuffer allocation ends at the sandbox's data limit", async () => {
  const { error } = await attempt("allocate_buffers", { memoryMb: 64 });
  assertFields(error, {
    code: "PLUGIN_MEMORY",
    message: "Plugin @evil/hostile ran out of memory while masking: the sandbox allows 64 MiB of heap",
  });
});

Deno.test("hostile plugin: a batch of the wrong length is refused", async () => {
  const { error } = await attempt("wrong_length");
  assertFields(error, {
    code: "PLUGIN_OUTPUT",
    message: "Plugin @evil/hostile strategy wrong_length returned 2 values for a batch of 3",
    hint: "mask() must return one string or null per input value, fitting the column",
  });
});

Deno.test("hostile plugin: values of the wrong type are refused", async () => {
  const { error } = await attempt("wrong_type");
  assertFields(error, {
    code: "PLUGIN_OUTPUT",
    message: "Plugin @evil/hostile strategy wrong_type returned a number at index 0, not a string or null",
  });
});

Deno.test("hostile plugin: a throw is reported without the plugin's message, which may hold values", async () => {
  const { error } = await attempt("throws");
  assertFields(error, { code: "PLUGIN_ERROR", message: "Plugin @evil/hostile threw Error while masking" });
});

Deno.test("hostile plugin: exiting its own process is reported as a crash", async () => {
  const { error, status } = await attempt("exits");
  assertFields(error, {
    code: "PLUGIN_ERROR",
    message: "Plugin @evil/hostile stopped unexpectedly: exit code 0",
  });
  assert.equal(status.code, 0);
});

Deno.test("hostile plugin: writing to the protocol channel is denied", async () => {
  const { error } = await attempt("stdout");
  assertFields(error, permission("stdio"));
});

Deno.test("hostile plugin: corrupting the protocol through node:process is detected", async () => {
  const { error, status } = await attempt("node_stdout");
  assertFields(error, {
    code: "PLUGIN_OUTPUT",
    strategy: "node_stdout",
    message: "Plugin @evil/hostile wrote to the sandbox's reply channel outside the protocol while masking",
  });
  assert.equal(status.signal, "SIGKILL");
});

/** Signs a module with static imports by hand (it cannot be described, since it cannot load). */
async function loadStatic(name: string, source: string): Promise<PluginError> {
  const publisher = await newPublisher();
  const module = new TextEncoder().encode(source);
  const pkg = await signPackage(module, {
    name: `@evil/${name}`,
    version: "1.0.0",
    apiVersion: 1,
    privaci: ">=0.1.0",
    strategies: [{
      name: "x",
      description: "x",
      params: {},
      deterministic: false,
      unique: false,
      keyed: false,
    }],
  }, publisher.key);
  const sub = join(dir, name);
  await writePackage(sub, pkg.files);
  const lock = join(sub, "privaci.lock");
  await addPlugin("file:./", { publisher: publisher.publisher, lockFile: lock, hostVersion: HOST_VERSION });
  const error = await loadPlugins([{ use: "file:./", publisher: publisher.publisher }], {
    lockFile: lock,
    keyring: null,
    hostVersion: HOST_VERSION,
  }).then(async (loaded) => {
    await loaded.close();
    assert.fail(`${name} should not load`);
  }, (e: unknown) => e);
  assert.ok(error instanceof PluginError);
  return error;
}

Deno.test("hostile plugin: a static file: import is denied at load", async () => {
  const error = await loadStatic(
    "static-file",
    'import s from "file:///etc/hostname" with { type: "text" };\nexport default s;\n',
  );
  assertFields(error, {
    code: "PLUGIN_PERMISSION",
    message: "Plugin @evil/static-file was denied read access while loading: plugins run with no permissions",
  });
});

Deno.test("hostile plugin: a static http: import is denied at load", async () => {
  const error = await loadStatic(
    "static-http",
    'import * as m from "http://127.0.0.1:9/m.js";\nexport default m;\n',
  );
  assertFields(error, {
    code: "PLUGIN_PERMISSION",
    message:
      "Plugin @evil/static-http was denied import access while loading: plugins run with no permissions",
  });
});

Deno.test("hostile plugin: npm imports are denied at load, cached or not, and nothing is downloaded", async () => {
  for (const pkg of ["left-pad@1.3.0", "zod@4.6.7"]) {
    const name = `npm-${pkg.split("@")[0]}`;
    const error = await loadStatic(name, `import x from "npm:${pkg}";\nexport default x;\n`);
    assertFields(error, {
      code: "PLUGIN_PERMISSION",
      message:
        `Plugin @evil/${name} was denied npm package access while loading: plugins run with no permissions`,
    });
  }
  assert.equal(
    await Deno.stat(join(dir, "npm-left-pad", "node_modules")).then(() => true, () => false),
    false,
  );
  assert.equal(await Deno.stat("node_modules/left-pad").then(() => true, () => false), false);
});

Deno.test("hostile plugin suite: remove the temporary packages", async () => {
  await fixture.remove();
});
