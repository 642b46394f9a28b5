/**
 * The trusted entry of a plugin sandbox. It runs as the main module of a child `deno` process that has no
 * permissions, reads the verified plugin bytes from the host, imports them from a `data:` URL (so nothing
 * is re-read from a path) and then serves init/mask/close requests.
 *
 * The host does not run this file: it runs `_shim_source.ts`, this file and its imports bundled into one
 * self-contained module (regenerate with `deno run -A plugins/_shim_build.ts`), written to the sandbox's
 * private directory, so plugins work wherever the CLI runs (a remote `jsr:` run included).
 *
 * Before any plugin code runs it reads the host's reply key, takes the stdin/stdout handles for itself,
 * makes `Deno.stdin`, `Deno.stdout`, `caches`, `localStorage`, `sessionStorage`, `Worker` and
 * `navigator.gpu` throw (storage persists to disk even without permissions; a worker would escape the
 * memory limits; WebGPU reaches devices without any permission), and sends console output to stderr.
 * Nothing here is trusted by the host beyond the reply tag: every reply is checked as untrusted input.
 *
 * @module
 */
import { describePlugin, type PluginModule, type PluginStrategy } from "./sdk/mod.ts";
import { encodeTaggedFrame, FrameReader, type Request, taggedBytes } from "./protocol.ts";

// Captured before plugin code can replace them: the key is only ever passed to these.
const subtle = crypto.subtle;
const sign = SubtleCrypto.prototype.sign;
const apply = Reflect.apply;
const stringify = JSON.stringify;
const encoder = new TextEncoder();
const encode = TextEncoder.prototype.encode;

const reader = new FrameReader(Deno.stdin.readable);
const writer = Deno.stdout.writable.getWriter();
const write = WritableStreamDefaultWriter.prototype.write;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

const hello = await reader.read() as Request | null;
if (hello?.t !== "hello") Deno.exit(70);
const replyKey = await subtle.importKey(
  "raw",
  fromBase64(hello.key),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign"],
);
let seq = 0;

async function reply(message: unknown): Promise<void> {
  const body: Uint8Array = apply(encode, encoder, [apply(stringify, JSON, [message])]);
  const tag = new Uint8Array(await apply(sign, subtle, ["HMAC", replyKey, taggedBytes(seq++, body)]));
  await apply(write, writer, [encodeTaggedFrame(tag, body)]);
}

function denied(kind: string, name: string): () => never {
  return () => {
    throw new Deno.errors.NotCapable(`Requires ${kind} access to ${name}, which plugins never have`);
  };
}
for (const name of ["stdin", "stdout"]) {
  Object.defineProperty(Deno, name, { get: denied("stdio", `Deno.${name}`), configurable: false });
}
for (const name of ["caches", "localStorage", "sessionStorage"]) {
  Object.defineProperty(globalThis, name, { get: denied("storage", name), configurable: false });
}
Object.defineProperty(globalThis, "Worker", { get: denied("worker", "Worker"), configurable: false });
Object.defineProperty(Object.getPrototypeOf(navigator), "gpu", {
  get: denied("gpu", "navigator.gpu"),
  configurable: false,
});
const toStderr = console.error.bind(console);
for (const name of ["log", "info", "debug", "dir", "dirxml", "table"] as const) {
  Object.defineProperty(console, name, { value: toStderr, configurable: false, writable: false });
}

interface Instance {
  strategy: PluginStrategy;
  ctx: Record<string, unknown>;
  state: unknown;
}

let plugin: PluginModule | undefined;
const instances = new Map<number, Instance>();

async function handle(req: Request): Promise<unknown> {
  switch (req.t) {
    case "hello":
      throw new TypeError("The sandbox was already started");
    case "load": {
      const mod = await import(`data:application/javascript;base64,${req.module}`);
      const value = mod.default as PluginModule | undefined;
      if (!value || value.kind !== "privaci.plugin") {
        throw new TypeError("The plugin module's default export is not a definePlugin() value");
      }
      plugin = value;
      return { t: "loaded", plugin: describePlugin(value) };
    }
    case "init": {
      const strategy = plugin?.strategies[req.strategy];
      if (!strategy) throw new TypeError(`The plugin has no strategy "${req.strategy}"`);
      const ctx = {
        params: req.params,
        column: req.column,
        key: req.key === null ? null : fromBase64(req.key),
        domain: req.domain,
        unique: req.unique,
      };
      const state = strategy.init ? await strategy.init(ctx) : undefined;
      instances.set(req.col, { strategy, ctx, state });
      return { t: "ok" };
    }
    case "mask": {
      const inst = instances.get(req.col);
      if (!inst) throw new TypeError(`No strategy instance ${req.col}`);
      const ctx = { ...inst.ctx, table: req.table, firstRow: req.firstRow, state: inst.state };
      // deno-lint-ignore no-explicit-any
      const values = await inst.strategy.mask(req.values, ctx as any);
      // JSON would silently turn `undefined` into null: refuse anything but strings and nulls here.
      if (!Array.isArray(values)) return { t: "values", values: null };
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v !== null && typeof v !== "string") {
          return { t: "values", values: { badIndex: i, type: typeof v } };
        }
      }
      return { t: "values", values };
    }
    case "close":
      instances.delete(req.col);
      return { t: "ok" };
  }
}

/** What an error reply carries; the host maps it to its own words and never prints it as it is. */
function describeError(e: unknown): { t: "error"; name: string; message: string; stack: string } {
  const field = (get: () => unknown) => {
    try {
      const v = get();
      return typeof v === "string" ? v : "";
    } catch {
      return "";
    }
  };
  const err = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return {
    t: "error",
    name: field(() => err?.name),
    message: field(() => err?.message),
    stack: field(() => err?.stack),
  };
}

await reply({ t: "ok" });
while (true) {
  const req = await reader.read() as Request | null;
  if (req === null) break;
  let message: unknown;
  try {
    message = await handle(req);
  } catch (e) {
    message = describeError(e);
  }
  try {
    await reply(message);
  } catch (e) {
    await reply(describeError(e));
  }
}
Deno.exit(0);
