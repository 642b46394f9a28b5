/**
 * The host side of a plugin sandbox: a child `deno` process with no permissions, an empty environment,
 * no npm and no remote imports, and bounded heap, data segment, file size and CPU time, running our
 * trusted shim (`_shim.ts`, carried as the generated `_shim_source.ts`). The plugin's verified bytes are
 * sent over stdin; requests and replies are frames (see `protocol.ts`), replies tagged with a key the
 * plugin never holds.
 *
 * Each sandbox owns a private, throw-away directory: its working directory, its `DENO_DIR` (with the V8
 * code cache off) and the home of the shim file. Deno writes what it caches about dynamically imported
 * `data:`/`blob:` modules there, never into the user's cache; the directory is deleted when the process
 * ends. On Linux the process gets a parent-death signal (`setpriv --pdeathsig KILL`), so it dies with its
 * host even when the host is killed with SIGKILL.
 *
 * A worker cannot be stopped while it spins (`terminate()` waits for the isolate), so the sandbox is a
 * process: when a request exceeds its time budget, or the plugin fails in any way, the process is killed
 * and every later request fails with the same error.
 *
 * Nothing the plugin supplies is printed as it is: error names are mapped to a fixed vocabulary, its
 * messages are withheld once it has seen data, and `--debug` gets only the line and column numbers of
 * its stack (see {@link PluginError.cause}).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { PluginError, type PluginErrorCode } from "../errors.ts";
import {
  decodeJson,
  encodeFrame,
  FrameReader,
  FrameTooLargeError,
  type Reply,
  type Request,
  TAG_BYTES,
  taggedBytes,
} from "./protocol.ts";
import { requireDenoRuntime } from "./_runtime.ts";
import { createSandboxDirectory, sweepStaleDirectories } from "./_sandbox_dir.ts";
import { SHIM_SOURCE } from "./_shim_source.ts";
import { printable } from "./_text.ts";

/** How a sandbox is started. */
export interface SandboxOptions {
  /** The plugin's name, for errors. */
  plugin: string;
  /** The plugin's version, for errors. */
  version?: string;
  /** Time budget of one request (load, init, one batch), in milliseconds. */
  timeoutMs: number;
  /** Time budget of all requests together, in milliseconds (default: no limit beyond the CPU cap). */
  totalMs?: number;
  /** CPU-time cap of the process, in seconds (default: one hour). */
  cpuSeconds?: number;
  /** V8 old-space limit of the sandbox process, in MiB. */
  memoryMb: number;
}

const STDERR_TAIL = 16 * 1024;
const STDERR_SHOWN = 2000;
const CLOSE_GRACE_MS = 2000;
/**
 * The least time a sandbox gets to start and load its module: that is mostly Deno's own start-up, which a
 * busy machine slows far past a per-batch budget tuned for masking.
 */
const STARTUP_MS = 30_000;
/** Data-segment room the deno runtime itself needs beyond the JS heap (measured: starts under 640 MiB). */
const DATA_BASELINE_MB = 768;
/** The largest file the sandbox may write (Deno's own caches in its private directory). */
export const SANDBOX_FILE_MB = 64;
const DEFAULT_CPU_SECONDS = 3600;
/** The largest reply to anything but a batch. */
const REPLY_BYTES = 16 * 1024 * 1024;
/** A batch's reply may be this many times its request, plus {@link REPLY_SLACK} bytes. */
export const REPLY_GROWTH = 16;
const REPLY_SLACK = 1024 * 1024;
const STACK_FRAMES = 12;

/** The error names a plugin's error is reported as; anything else is "an error". */
const ERROR_NAMES = [
  "AggregateError",
  "Error",
  "EvalError",
  "NotCapable",
  "PermissionDenied",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
  "TypeError",
  "URIError",
] as const;
/** The access kinds a denial is reported as; anything else is "system". */
const ACCESS = [
  "env",
  "ffi",
  "gpu",
  "import",
  "net",
  "read",
  "run",
  "stdio",
  "storage",
  "sys",
  "worker",
  "write",
];
const MEMORY =
  /out of memory|heap limit|allocation failed|memory allocation of|could not allocate|memory\.grow|out of bounds memory|Maximum memory size/i;

/** What the sandbox was doing, for messages. */
export type SandboxStage = "loading" | "initialising" | "masking" | "closing";

/** Where the sandbox binary tools live; each is used only when present. */
const SETPRIV = "/usr/bin/setpriv";
const PRLIMIT = "/usr/bin/prlimit";

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The command line: deno under a parent-death signal and resource limits, as far as the OS offers them. */
function commandLine(shim: string, options: SandboxOptions): string[] {
  const deno = [
    Deno.execPath(),
    "run",
    "--no-config",
    "--no-lock",
    "--no-prompt",
    "--no-npm",
    "--no-remote",
    "--no-code-cache",
    "--quiet",
    `--v8-flags=--max-old-space-size=${options.memoryMb}`,
    shim,
  ];
  if (Deno.build.os === "windows") return deno;
  // The V8 flag bounds the JS heap only; ArrayBuffers and wasm memory live outside it, so the data segment
  // is bounded too, with the file size (Deno's caches) and the CPU time.
  const dataBytes = (DATA_BASELINE_MB + options.memoryMb) * 1024 * 1024;
  const cpu = options.cpuSeconds ?? DEFAULT_CPU_SECONDS;
  if (Deno.build.os === "linux" && exists(SETPRIV) && exists(PRLIMIT)) {
    return [
      SETPRIV,
      "--pdeathsig",
      "KILL",
      PRLIMIT,
      `--data=${dataBytes}`,
      `--fsize=${SANDBOX_FILE_MB * 1024 * 1024}`,
      `--cpu=${cpu}:${cpu + 5}`,
      "--",
      ...deno,
    ];
  }
  // POSIX sh: `ulimit -f` counts 512-byte blocks; `exec` keeps the pid, so killing it kills deno.
  return [
    "/bin/sh",
    "-c",
    `ulimit -d ${dataBytes / 1024} && ulimit -f ${
      SANDBOX_FILE_MB * 2048
    } && ulimit -t ${cpu} && exec "$0" "$@"`,
    ...deno,
  ];
}

/** The first sandbox a process starts sweeps the directories of dead hosts; later ones do not. */
let swept = false;

/** The line and column numbers of a plugin's stack, without its names, messages or URLs. */
function stackNumbers(stack: string): string {
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const m = /^\s+at .*?:(\d{1,7}):(\d{1,7})\)?$/.exec(line);
    if (!m) continue;
    const where = line.includes("data:application/javascript") ? "plugin module" : "sandbox";
    frames.push(`    at ${where}, line ${m[1]}, column ${m[2]}`);
    if (frames.length === STACK_FRAMES) break;
  }
  return frames.join("\n");
}

/** An error whose stack is `text`: what `--debug` prints as an error's cause. */
function debugCause(title: string, text: string): Error {
  const cause = new Error(title);
  cause.name = "PluginDebugInfo";
  cause.stack = `${title}${text ? `\n${text}` : ""}`;
  return cause;
}

/** A running plugin sandbox. */
export class Sandbox {
  #options: SandboxOptions;
  #dir: string;
  #child: Deno.ChildProcess;
  #reader: FrameReader;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #key: Promise<CryptoKey>;
  #seq = 0;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: PluginError | undefined;
  #stderr = "";
  #stderrDone: Promise<void>;
  #exit: Promise<never>;
  #removed: Promise<void>;
  #exited = false;
  #closing: Promise<void> | undefined;
  #pending = 0;
  #spentMs = 0;
  #sawData = false;

  /**
   * Starts the sandbox process.
   *
   * @throws {PluginError} `PLUGIN_ERROR` in a `deno compile` binary, which cannot start a permission-less
   * deno (its own permissions are fixed at compile time).
   */
  constructor(options: SandboxOptions) {
    this.#options = options;
    requireDenoRuntime(`plugin ${options.plugin}`);
    const directory = createSandboxDirectory();
    this.#dir = directory.path;
    if (!swept) {
      swept = true;
      sweepStaleDirectories(dirname(this.#dir));
    }
    const shim = join(this.#dir, "shim.js");
    Deno.writeTextFileSync(shim, SHIM_SOURCE);
    const argv = commandLine(shim, options);
    this.#child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      cwd: this.#dir,
      clearEnv: true,
      env: {
        NO_COLOR: "1",
        HOME: this.#dir,
        TMPDIR: this.#dir,
        DENO_DIR: join(this.#dir, "deno"),
        DENO_NO_UPDATE_CHECK: "1",
        // No adapter at all, beside the shim hiding navigator.gpu: WebGPU needs no permission in Deno.
        DENO_WEBGPU_BACKEND: "none",
      },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#reader = new FrameReader(this.#child.stdout);
    this.#writer = this.#child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    this.#stderrDone = this.#pumpStderr();
    this.#removed = this.#child.status.then(() => directory.remove()).catch(() => {});
    this.#exit = this.#child.status.then(async (status) => {
      this.#exited = true;
      await this.#stderrDone;
      if (this.#closing && !this.#failure) {
        throw this.#error("PLUGIN_ERROR", `Plugin ${options.plugin} is closed`);
      }
      throw this.#fail(this.#crashError(status));
    });
    this.#exit.catch(() => {});
    const raw = crypto.getRandomValues(new Uint8Array(32));
    this.#key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    this.request({ t: "hello", key: btoa(String.fromCharCode(...raw)) }, "loading").catch(() => {});
  }

  /** The sandbox process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** The sandbox's private directory (working directory and Deno cache); gone once the process ended. */
  get directory(): string {
    return this.#dir;
  }

  /** True until the sandbox process has exited. */
  get running(): boolean {
    return !this.#exited;
  }

  /** How the sandbox process ended, once it has (and its private directory is deleted). */
  get status(): Promise<Deno.CommandStatus> {
    return this.#removed.then(() => this.#child.status);
  }

  /** The error that stopped the sandbox, if one did. */
  get failure(): PluginError | undefined {
    return this.#failure;
  }

  async #pumpStderr(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.#child.stderr) {
        this.#stderr = (this.#stderr + decoder.decode(chunk, { stream: true })).slice(-STDERR_TAIL);
      }
    } catch {
      // The process is gone; what was read is enough.
    }
  }

  #error(
    code: PluginErrorCode,
    message: string,
    strategy?: string,
    extra: { hint?: string; cause?: unknown } = {},
  ): PluginError {
    const { plugin, version } = this.#options;
    return new PluginError(code, message, {
      plugin,
      ...(version !== undefined ? { version } : {}),
      ...(strategy !== undefined ? { strategy } : {}),
    }, extra);
  }

  #crashError(status: Deno.CommandStatus): PluginError {
    const name = this.#options.plugin;
    // The process's own output is shown (under --debug) only while it has not seen any data.
    const cause = this.#sawData
      ? debugCause("The sandbox's output is withheld: it had seen data", "")
      : debugCause("The sandbox's last output", printable(this.#stderr.slice(-STDERR_SHOWN), STDERR_SHOWN));
    if (status.signal === "SIGXCPU") {
      const cpu = this.#options.cpuSeconds ?? DEFAULT_CPU_SECONDS;
      return this.#error("PLUGIN_TIMEOUT", `Plugin ${name} used more than ${cpu} s of CPU time`, undefined, {
        cause,
      });
    }
    if (status.signal === "SIGXFSZ") {
      return this.#error(
        "PLUGIN_PERMISSION",
        `Plugin ${name} made the sandbox write a file larger than ${SANDBOX_FILE_MB} MiB`,
        undefined,
        { cause, hint: "A plugin must not import generated modules (data: or blob: URLs)" },
      );
    }
    if (MEMORY.test(this.#stderr)) {
      return this.#error(
        "PLUGIN_MEMORY",
        `Plugin ${name} ran out of memory: the sandbox allows ${this.#options.memoryMb} MiB`,
        undefined,
        { cause },
      );
    }
    const how = status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
    return this.#error("PLUGIN_ERROR", `Plugin ${name} stopped unexpectedly: ${how}`, undefined, { cause });
  }

  /** Records the first failure and kills the process; returns the failure to throw. */
  #fail(error: PluginError): PluginError {
    if (!this.#failure) {
      this.#failure = error;
      this.#kill();
    }
    return this.#failure;
  }

  /** Stops the sandbox because of `error` (e.g. invalid output found by the host); returns the error. */
  abort(error: PluginError): PluginError {
    return this.#fail(error);
  }

  #kill(): void {
    if (this.#exited) return;
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }

  /**
   * Sends one request and waits for its reply, after every earlier request. Fails, and kills the sandbox,
   * when a time budget passes, the process dies, the reply is not a tagged frame of the expected size,
   * or the plugin reports an error.
   */
  request(req: Request, stage: SandboxStage, strategy?: string): Promise<Reply> {
    this.#pending++;
    const run = async () => {
      try {
        return await this.#roundTrip(req, stage, strategy);
      } finally {
        this.#pending--;
      }
    };
    const p = this.#tail.then(run, run);
    this.#tail = p.catch(() => {});
    return p;
  }

  async #readReply(limit: number): Promise<Reply> {
    const payload = await this.#reader.next(limit + TAG_BYTES);
    if (payload === null) return await this.#exit;
    if (payload.length < TAG_BYTES) throw new SyntaxError("Cannot read a reply as it has no tag");
    const body = payload.subarray(TAG_BYTES);
    const ok = await crypto.subtle.verify(
      "HMAC",
      await this.#key,
      payload.slice(0, TAG_BYTES),
      taggedBytes(this.#seq++, body),
    );
    if (!ok) throw new SyntaxError("Cannot read a reply as its tag is wrong");
    const reply = decodeJson(body) as Reply;
    if (!reply || typeof reply !== "object" || typeof reply.t !== "string") {
      throw new SyntaxError("Cannot read a reply as it is not a reply object");
    }
    return reply;
  }

  async #roundTrip(req: Request, stage: SandboxStage, strategy?: string): Promise<Reply> {
    if (this.#failure) throw this.#failure;
    if (this.#closing) {
      throw this.#error("PLUGIN_ERROR", `Plugin ${this.#options.plugin} is closed`, strategy);
    }
    const name = this.#options.plugin;
    const counted = req.t !== "hello" && req.t !== "load";
    const { totalMs = Infinity } = this.#options;
    const timeoutMs = counted ? this.#options.timeoutMs : Math.max(this.#options.timeoutMs, STARTUP_MS);
    const left = counted ? totalMs - this.#spentMs : Infinity;
    const total = left < timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(this.#fail(this.#error(
          "PLUGIN_TIMEOUT",
          total
            ? `Plugin ${name} took longer than ${totalMs} ms in total while ${stage}`
            : `Plugin ${name} took longer than ${timeoutMs} ms while ${stage}`,
          strategy,
          {
            hint: total
              ? "The sandbox was stopped; a strategy must mask a whole column within the total time budget"
              : "The sandbox was stopped; a strategy must finish each batch within the time budget",
          },
        )));
      }, Math.max(0, Math.min(timeoutMs, left)));
    });
    const frame = encodeFrame(req);
    const limit = req.t === "mask" ? frame.length * REPLY_GROWTH + REPLY_SLACK : REPLY_BYTES;
    if (req.t === "init" || req.t === "mask") this.#sawData = true;
    const started = performance.now();
    const exchange = (async () => {
      await this.#writer.write(frame);
      return await this.#readReply(limit);
    })();
    exchange.catch(() => {});
    let reply: Reply;
    try {
      reply = await Promise.race([exchange, timeout, this.#exit]);
    } catch (e) {
      if (e instanceof PluginError) throw e;
      // A broken pipe or a bad frame: the process is dying (prefer its crash error) or wrote outside the protocol.
      if (this.#exited) await this.#exit.catch(() => {});
      if (e instanceof FrameTooLargeError) {
        throw this.#fail(this.#error(
          "PLUGIN_OUTPUT",
          `Plugin ${name} returned more than ${e.limit - TAG_BYTES} bytes while ${stage}`,
          strategy,
          {
            hint: `A batch's output may be at most ${REPLY_GROWTH} times its input; other replies ${
              REPLY_BYTES / 1024 / 1024
            } MiB`,
          },
        ));
      }
      throw this.#fail(this.#error(
        "PLUGIN_OUTPUT",
        `Plugin ${name} wrote to the sandbox's reply channel outside the protocol while ${stage}`,
        strategy,
        { hint: "A plugin must not write to standard output; only the values mask() returns count" },
      ));
    } finally {
      clearTimeout(timer);
      if (counted) this.#spentMs += performance.now() - started;
    }
    if (reply.t === "error") throw this.#fail(this.#pluginError(reply, stage, strategy));
    return reply;
  }

  #pluginError(reply: Partial<Record<string, unknown>>, stage: SandboxStage, strategy?: string): PluginError {
    const name = this.#options.plugin;
    const text = (v: unknown) => typeof v === "string" ? v : "";
    const errName = text(reply.name);
    const message = text(reply.message);
    const known = (ERROR_NAMES as readonly string[]).includes(errName) ? errName : "an error";
    const cause = debugCause(
      "The plugin's stack (its error names and messages are withheld)",
      stackNumbers(text(reply.stack)),
    );
    if (known === "RangeError" && MEMORY.test(message)) {
      return this.#error(
        "PLUGIN_MEMORY",
        `Plugin ${name} ran out of memory while ${stage}: the sandbox allows ${this.#options.memoryMb} MiB of heap`,
        strategy,
        { cause },
      );
    }
    const asked = /Requires (\w+) access/.exec(message)?.[1];
    const npm = /npm specifiers were requested|--no-npm/.test(message);
    if (known === "NotCapable" || known === "PermissionDenied" || asked || npm) {
      const what = npm ? "npm package" : asked && ACCESS.includes(asked) ? asked : "system";
      return this.#error(
        "PLUGIN_PERMISSION",
        `Plugin ${name} was denied ${what} access while ${stage}: plugins run with no permissions`,
        strategy,
        {
          cause,
          hint:
            "A plugin must be a single self-contained module that only computes on the values it is given",
        },
      );
    }
    // Only loading sees no data, so only then is the plugin's own message shown (made printable).
    const detail = stage === "loading" && !this.#sawData ? `: ${printable(message.split("\n")[0], 200)}` : "";
    return this.#error("PLUGIN_ERROR", `Plugin ${name} threw ${known} while ${stage}${detail}`, strategy, {
      cause,
    });
  }

  /**
   * Stops the sandbox. Idle, it exits on its own (and is killed after a grace period if it does not); with
   * requests pending (a run being aborted), it is killed at once and they fail. Resolves once the process
   * has ended and its private directory is deleted.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#pending > 0) this.#kill();
    await this.#tail;
    await this.#writer.close().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#child.status,
      new Promise((resolve) => timer = setTimeout(resolve, CLOSE_GRACE_MS)),
    ]);
    clearTimeout(timer);
    this.#kill();
    await this.#child.status;
    await this.#reader.cancel();
    await this.#stderrDone;
    await this.#removed;
  }
}
