/**
 * The hostile suite, part two: a plugin that tries to get the values it masks (or its key) out through
 * the host's own channels (error names and messages at every stage, forged replies, Deno's caches,
 * another column, devices, outlasting its budgets). Each attempt must end in its PLUGIN_* error with the
 * sandbox stopped, and no value or key in anything the error shows, `--debug` included.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Keyring } from "../../strategies/keyed/keyring.ts";
import { maskWith, PERSON_NAME } from "../fixtures/plugins/_mask.ts";
import { assertFields, assertNoSecret, HostileFixture, SECRET, shown } from "../fixtures/plugins/_hostile.ts";
import { PluginError } from "../../errors.ts";

const fixture = new HostileFixture("exfil", "@evil/exfil");
await fixture.dir();

Deno.test("exfil plugin: an error named after the values, with escapes, shows neither, also under --debug", async () => {
  const { error } = await fixture.attempt("name_while_masking");
  assertFields(error, {
    code: "PLUGIN_ERROR",
    message: "Plugin @evil/exfil threw an error while masking",
    exitCode: 3,
  });
});

Deno.test("exfil plugin: a message and stack holding the values show only line and column numbers", async () => {
  const { error } = await fixture.attempt("message_while_masking");
  assertFields(error, { code: "PLUGIN_ERROR", message: "Plugin @evil/exfil threw Error while masking" });
  assert.match(shown(error), /The plugin's stack \(its error names and messages are withheld\)/);
});

Deno.test("exfil plugin: values stashed and thrown from the sandbox's own cleanup at close are not shown", async () => {
  await fixture.with({}, async (loaded) => {
    const def = loaded.strategies.find((s) => s.meta.name === "@evil/exfil/name_at_close")!;
    const error = await maskWith(def, [SECRET, "x"]).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PluginError, String(error));
    assertFields(error, { code: "PLUGIN_ERROR", message: "Plugin @evil/exfil threw an error while closing" });
    assertNoSecret(error);
  });
});

Deno.test("exfil plugin: a key thrown at init is not shown", async () => {
  const keyring = await Keyring.create(crypto.getRandomValues(new Uint8Array(32)));
  const domainKey = await keyring.derive("domain:x");
  let key = "";
  const error = await fixture.with({ keyring }, async (loaded) => {
    const def = loaded.strategies.find((s) => s.meta.name === "@evil/exfil/key_at_init")!;
    // What the plugin got: the key derived for its publisher, name and the domain.
    key = btoa(String.fromCharCode(
      ...await keyring.derive(
        `plugin:${JSON.stringify([fixture.publisher, "@evil/exfil", "x"])}`,
      ),
    ));
    return await maskWith(def, ["x"], { key: domainKey, domain: "x" }).then(
      () => undefined,
      (e: unknown) => e,
    );
  });
  assert.ok(error instanceof PluginError, String(error));
  assertFields(error, {
    code: "PLUGIN_ERROR",
    message: "Plugin @evil/exfil threw an error while initialising",
  });
  assertNoSecret(error, [key, btoa(String.fromCharCode(...domainKey))]);
});

Deno.test("exfil plugin: a reply forged on file descriptor 1 does not count", async () => {
  const { error } = await fixture.attempt("forge_fd1");
  assertFields(error, {
    code: "PLUGIN_OUTPUT",
    message: "Plugin @evil/exfil wrote to the sandbox's reply channel outside the protocol while masking",
  });
});

Deno.test("exfil plugin: a values reply forged on file descriptor 1 is refused at once", async () => {
  const { error, ms } = await fixture.attempt("forge_values", { timeoutMs: 30_000 });
  assertFields(error, { code: "PLUGIN_OUTPUT" });
  assert.ok(ms < 30_000, `${ms} ms`);
});

/** Every file under `dir` (bounded walk), for looking for bytes a plugin influenced. */
async function files(dir: string, limit = 10_000): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < limit) {
    const d = stack.pop()!;
    try {
      for await (const e of Deno.readDir(d)) {
        const p = join(d, e.name);
        if (e.isDirectory) stack.push(p);
        else if (e.isFile) out.push(p);
      }
    } catch {
      // Vanished or unreadable: not ours.
    }
  }
  return out;
}

async function holds(paths: string[], marker: string): Promise<string[]> {
  const needle = new TextEncoder().encode(marker);
  const found: string[] = [];
  for (const p of paths) {
    const bytes = await Deno.readFile(p).catch(() => new Uint8Array());
    outer: for (let i = bytes.indexOf(needle[0]); i !== -1; i = bytes.indexOf(needle[0], i + 1)) {
      for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      found.push(p);
      break;
    }
  }
  return found;
}

/** The Deno cache a sandbox would fall back to without its own: the user's. */
async function userDenoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

Deno.test("exfil plugin: values in data: and blob: imports never reach the user's Deno cache or any other file", async () => {
  const marker = `marker-${crypto.randomUUID()}`;
  const home = Deno.env.get("HOME") ?? "/root";
  const denoDir = await userDenoDir();
  let privateDir = "";
  await fixture.with({}, async (loaded) => {
    const def = loaded.strategies.find((s) => s.meta.name === "@evil/exfil/data_import")!;
    const masker = await def.create({
      params: def.params.parse({ marker }),
      column: PERSON_NAME,
      key: null,
      domain: "x",
      unique: false,
      resolve: () => Promise.reject(new Error("not used")),
    });
    try {
      const { sandbox } = loaded.sandboxes.at(-1)!;
      privateDir = sandbox.directory;
      const out = await masker.mask([SECRET], {
        table: { schema: "public", table: "person" },
        firstRow: 1,
        column: () => [],
      });
      assert.deepEqual(out, ["masked"]);
      // While it runs, its working directory and cache are its private directory.
      assert.ok((await Deno.stat(privateDir)).isDirectory);
    } finally {
      await masker.close?.();
    }
  });
  // Deleted at close.
  assert.equal(await Deno.stat(privateDir).then(() => true, () => false), false);
  // Where Deno keeps what it learns about modules: the SQLite caches at the top of a DENO_DIR (code cache,
  // dependency analysis, with their journals) and the emit cache under gen/.
  const candidates: string[] = [];
  for (const root of new Set([denoDir, join(home, ".cache", "deno")])) {
    try {
      for await (const e of Deno.readDir(root)) if (e.isFile) candidates.push(join(root, e.name));
    } catch {
      // No such cache.
    }
    candidates.push(...await files(join(root, "gen")));
  }
  assert.deepEqual(await holds([...new Set(candidates)], marker), []);
});

Deno.test("exfil plugin: filling the disk through its cache ends at the file size limit", async () => {
  // Deno writes its module caches behind the imports: on a busy machine the default 256 MiB heap ran out
  // (PLUGIN_MEMORY, also contained) before the cache file reached the size limit. A 1 GiB heap leaves the
  // file size limit, the guard under test, to stop it.
  const { error } = await fixture.attempt("disk_flood", { timeoutMs: 120_000, memoryMb: 1024 });
  assertFields(error, { code: "PLUGIN_PERMISSION" });
});

// Its working directory is its private one, which no other host's sweep deletes while it runs, even a
// host that cannot see this process (plugins/_sandbox_dir.ts).
Deno.test("exfil plugin: the sandbox works in its own directory, not the host's", async () => {
  const got = await fixture.with({}, async (loaded) => {
    const def = loaded.strategies.find((s) => s.meta.name === "@evil/exfil/where_am_i")!;
    return await maskWith(def, ["x"]);
  });
  assert.notEqual(got[0], Deno.cwd());
  assert.match(got[0]!, /privaci_sandbox_/);
});

Deno.test("exfil plugin: starting a worker is denied", async () => {
  const { error } = await fixture.attempt("spawn_worker");
  assertFields(error, {
    code: "PLUGIN_PERMISSION",
    message: "Plugin @evil/exfil was denied worker access while masking: plugins run with no permissions",
  });
});

Deno.test("exfil plugin: WebGPU is denied", async () => {
  const { error } = await fixture.attempt("webgpu");
  assertFields(error, {
    code: "PLUGIN_PERMISSION",
    message: "Plugin @evil/exfil was denied gpu access while masking: plugins run with no permissions",
  });
});

Deno.test("exfil plugin: growing WebAssembly memory without bound is a memory error", async () => {
  const { error } = await fixture.attempt("wasm_grow", { memoryMb: 64 });
  assertFields(error, { code: "PLUGIN_MEMORY" });
});

Deno.test("exfil plugin: a lone surrogate is refused, not replaced", async () => {
  const { error } = await fixture.attempt("lone_surrogate");
  assertFields(error, {
    code: "PLUGIN_OUTPUT",
    message:
      "Plugin @evil/exfil strategy lone_surrogate returned a lone surrogate at index 0, which is not text",
  });
});

Deno.test("exfil plugin: a NUL character is refused", async () => {
  const { error } = await fixture.attempt("nul");
  assertFields(error, {
    code: "PLUGIN_OUTPUT",
    message: "Plugin @evil/exfil strategy nul returned a NUL character at index 0, which PostgreSQL refuses",
  });
});

Deno.test("exfil plugin: 60 MB for a short value is refused before it is buffered", async () => {
  const { error } = await fixture.attempt("huge");
  assertFields(error, { code: "PLUGIN_OUTPUT" });
  assert.match(error.message, /^Plugin @evil\/exfil returned more than \d+ bytes while masking$/);
});

Deno.test("exfil plugin: slow batches end at the column's total time budget", async () => {
  const { error } = await fixture.attempt("slow_batches", {
    params: { ms: 400 },
    timeoutMs: 20_000,
    totalMs: 1000,
    batches: 50,
  });
  assertFields(error, {
    code: "PLUGIN_TIMEOUT",
    message: "Plugin @evil/exfil took longer than 1000 ms in total while masking",
  });
});

Deno.test("exfil plugin: spinning ends at the CPU-time cap when the time budgets are long", async () => {
  const { error, status } = await fixture.attempt("loop_forever", { timeoutMs: 120_000, cpuSeconds: 2 });
  assertFields(error, {
    code: "PLUGIN_TIMEOUT",
    message: "Plugin @evil/exfil used more than 2 s of CPU time",
  });
  assert.equal(status.signal, "SIGXCPU");
});

Deno.test("exfil plugin: a column's values never reach another column's sandbox", async () => {
  const got = await fixture.with({}, async (loaded) => {
    const stash = loaded.strategies.find((s) => s.meta.name === "@evil/exfil/stash_column")!;
    const read = loaded.strategies.find((s) => s.meta.name === "@evil/exfil/read_other_column")!;
    const writer = await stash.create({
      params: {},
      column: PERSON_NAME,
      key: null,
      domain: "a",
      unique: false,
      resolve: () => Promise.reject(new Error("not used")),
    });
    const reader = await read.create({
      params: {},
      column: { ...PERSON_NAME, column: "note" },
      key: null,
      domain: "b",
      unique: false,
      resolve: () => Promise.reject(new Error("not used")),
    });
    try {
      const batch = { table: { schema: "public", table: "person" }, firstRow: 1, column: () => [] };
      await writer.mask([SECRET], batch);
      return await reader.mask(["x"], batch);
    } finally {
      await writer.close?.();
      await reader.close?.();
    }
  });
  assert.deepEqual(got, ["nothing"]);
});

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // A zombie (state Z) has stopped running; only its exit status is left for its parent.
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

Deno.test({
  name: "exfil plugin: a spinning sandbox dies with its host when the host is killed with SIGKILL",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = await fixture.dir();
    const host = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../fixtures/plugins/_host_child.ts", import.meta.url).pathname,
        dir,
        fixture.publisher,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = host.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    for (let i = 0; i < 100 && !line.includes("\n"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      line += value;
    }
    const { pid, dir: privateDir } = JSON.parse(line) as { pid: number; dir: string };
    assert.equal(alive(pid), true);
    const killed = performance.now();
    host.kill("SIGKILL");
    await host.status;
    // Bounded: 200 polls of 50 ms.
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    const ms = Math.round(performance.now() - killed);
    assert.equal(alive(pid), false, "the sandbox outlived its host");
    console.log(`containment: exfil/host_sigkill sandbox gone ${ms} ms after the host`);
    await reader.cancel();
    // A host killed with SIGKILL cannot delete the sandbox's private directory: the next host to start a
    // sandbox does (the directory's name carries the dead host's pid).
    assert.equal((await Deno.stat(privateDir)).isDirectory, true);
    const sandboxUrl = new URL("../../plugins/sandbox.ts", import.meta.url).href;
    const next = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { Sandbox } from "${sandboxUrl}";
        const s = new Sandbox({ plugin: "@t/next", timeoutMs: 30000, memoryMb: 64 });
        await s.close();`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(next.success, new TextDecoder().decode(next.stderr));
    assert.equal(await Deno.stat(privateDir).then(() => true, () => false), false);
  },
});

Deno.test("exfil plugin suite: remove the temporary packages", async () => {
  await fixture.remove();
});
