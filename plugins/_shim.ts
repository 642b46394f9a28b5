/**
 * The trusted entry of a plugin sandbox. It runs as the main module of a child `deno` process that has no
 * permissions, reads the verified plugin bytes from the host, imports them from a `data:` URL (so nothing
 * is re-read from a path) and then serves init/mask/close requests.
 *
 * Before any plugin code runs it takes the stdin/stdout handles for itself, makes `Deno.stdin`,
 * `Deno.stdout`, `caches`, `localStorage` and `sessionStorage` throw (storage persists to disk even without
 * permissions), and sends console output to stderr so it cannot corrupt the protocol.
 *
 * @module
 */
import { describePlugin, type PluginModule, type PluginStrategy } from "./sdk/mod.ts";
import { encodeFrame, FrameReader, type Request } from "./protocol.ts";

const reader = new FrameReader(Deno.stdin.readable);
const writer = Deno.stdout.writable.getWriter();

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

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function handle(req: Request): Promise<unknown> {
  switch (req.t) {
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

while (true) {
  const req = await reader.read() as Request | null;
  if (req === null) break;
  let frame: Uint8Array;
  try {
    frame = encodeFrame(await handle(req));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    frame = encodeFrame({ t: "error", name: String(err.name), message: String(err.message) });
  }
  await writer.write(frame);
}
Deno.exit(0);
