/**
 * The host side of a plugin sandbox: a child `deno` process with no permissions, an empty environment,
 * no npm and no remote imports, and a bounded heap, running our trusted shim (`_shim.ts`). The plugin's
 * verified bytes are sent over stdin; requests and replies are frames (see `protocol.ts`).
 *
 * A worker cannot be stopped while it spins (`terminate()` waits for the isolate), so the sandbox is a
 * process: when a request exceeds its time budget, or the plugin fails in any way, the process is killed
 * and every later request fails with the same error.
 *
 * @module
 */
import { PluginError } from "../errors.ts";
import { encodeFrame, FrameReader, type Reply, type Request } from "./protocol.ts";

/** How a sandbox is started. */
export interface SandboxOptions {
  /** The plugin's name, for errors. */
  plugin: string;
  /** The plugin's version, for errors. */
  version?: string;
  /** Time budget of one request (load, init, one batch), in milliseconds. */
  timeoutMs: number;
  /** V8 old-space limit of the sandbox process, in MiB. */
  memoryMb: number;
}

const SHIM = new URL("./_shim.ts", import.meta.url);
const STDERR_TAIL = 16 * 1024;
const CLOSE_GRACE_MS = 2000;
/** Data-segment room the deno runtime itself needs beyond the JS heap (measured: starts under 640 MiB). */
const DATA_BASELINE_MB = 768;

/** What the sandbox was doing, for messages. */
export type SandboxStage = "loading" | "initialising" | "masking" | "closing";

/** A running plugin sandbox. */
export class Sandbox {
  #options: SandboxOptions;
  #child: Deno.ChildProcess;
  #reader: FrameReader;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: PluginError | undefined;
  #stderr = "";
  #stderrDone: Promise<void>;
  #exit: Promise<never>;
  #exited = false;
  #closing: Promise<void> | undefined;
  #pending = 0;

  /**
   * Starts the sandbox process.
   *
   * @throws {PluginError} `PLUGIN_ERROR` in a `deno compile` binary, which cannot start a permission-less
   * deno (its own permissions are fixed at compile time).
   */
  constructor(options: SandboxOptions) {
    this.#options = options;
    if ((Deno.build as { standalone?: boolean }).standalone) {
      throw new PluginError(
        "PLUGIN_ERROR",
        `Cannot run plugin ${options.plugin} from a compiled privaci binary: plugins need the deno runtime to sandbox them`,
        { plugin: options.plugin },
        { hint: "Run privaci with deno (deno task privaci …) to use plugins" },
      );
    }
    const deno = [
      Deno.execPath(),
      "run",
      "--no-config",
      "--no-lock",
      "--no-prompt",
      "--no-npm",
      "--no-remote",
      "--quiet",
      `--v8-flags=--max-old-space-size=${options.memoryMb}`,
      SHIM.href,
    ];
    // The V8 flag bounds the JS heap only; ArrayBuffers live outside it, so the process's data segment is
    // bounded too where a POSIX shell can set it (`exec` keeps the pid, so killing it kills deno).
    const argv = Deno.build.os === "windows" ? deno : [
      "/bin/sh",
      "-c",
      `ulimit -d ${(DATA_BASELINE_MB + options.memoryMb) * 1024} && exec "$0" "$@"`,
      ...deno,
    ];
    this.#child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      clearEnv: true,
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#reader = new FrameReader(this.#child.stdout);
    this.#writer = this.#child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    this.#stderrDone = this.#pumpStderr();
    this.#exit = this.#child.status.then(async (status) => {
      this.#exited = true;
      await this.#stderrDone;
      if (this.#closing && !this.#failure) {
        throw this.#error("PLUGIN_ERROR", `Plugin ${options.plugin} is closed`);
      }
      throw this.#fail(this.#crashError(status));
    });
    this.#exit.catch(() => {});
  }

  /** The sandbox process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** True until the sandbox process has exited. */
  get running(): boolean {
    return !this.#exited;
  }

  /** How the sandbox process ended, once it has. */
  get status(): Promise<Deno.CommandStatus> {
    return this.#child.status;
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
    code: "PLUGIN_ERROR" | "PLUGIN_MEMORY" | "PLUGIN_OUTPUT" | "PLUGIN_PERMISSION" | "PLUGIN_TIMEOUT",
    message: string,
    strategy?: string,
    hint?: string,
  ): PluginError {
    const { plugin, version } = this.#options;
    return new PluginError(code, message, {
      plugin,
      ...(version !== undefined ? { version } : {}),
      ...(strategy !== undefined ? { strategy } : {}),
    }, hint !== undefined ? { hint } : {});
  }

  #crashError(status: Deno.CommandStatus): PluginError {
    const name = this.#options.plugin;
    if (/out of memory|heap limit/i.test(this.#stderr)) {
      return this.#error(
        "PLUGIN_MEMORY",
        `Plugin ${name} ran out of memory: the sandbox allows ${this.#options.memoryMb} MiB`,
      );
    }
    const how = status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
    return this.#error("PLUGIN_ERROR", `Plugin ${name} stopped unexpectedly: ${how}`);
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
   * when the time budget passes, the process dies or the plugin reports an error.
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

  async #roundTrip(req: Request, stage: SandboxStage, strategy?: string): Promise<Reply> {
    if (this.#failure) throw this.#failure;
    if (this.#closing) {
      throw this.#error("PLUGIN_ERROR", `Plugin ${this.#options.plugin} is closed`, strategy);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(this.#fail(this.#error(
          "PLUGIN_TIMEOUT",
          `Plugin ${this.#options.plugin} took longer than ${this.#options.timeoutMs} ms while ${stage}`,
          strategy,
          "The sandbox was stopped; a strategy must finish each batch within the time budget",
        )));
      }, this.#options.timeoutMs);
    });
    const exchange = (async () => {
      await this.#writer.write(encodeFrame(req));
      const reply = await this.#reader.read();
      if (reply === null) return await this.#exit;
      return reply as Reply;
    })();
    exchange.catch(() => {});
    let reply: Reply;
    try {
      reply = await Promise.race([exchange, timeout, this.#exit]);
    } catch (e) {
      if (e instanceof PluginError) throw e;
      // A broken pipe or a malformed frame: the process is dying (prefer its crash error) or broke the protocol.
      if (this.#exited) await this.#exit.catch(() => {});
      throw this.#fail(
        this.#error(
          "PLUGIN_ERROR",
          `Plugin ${this.#options.plugin} broke the sandbox protocol while ${stage}`,
          strategy,
        ),
      );
    } finally {
      clearTimeout(timer);
    }
    if (reply.t === "error") throw this.#fail(this.#pluginError(reply, stage, strategy));
    return reply;
  }

  #pluginError(
    reply: { name: string; message: string },
    stage: SandboxStage,
    strategy?: string,
  ): PluginError {
    const name = this.#options.plugin;
    if (reply.name === "RangeError" && /allocation failed/i.test(reply.message)) {
      return this.#error(
        "PLUGIN_MEMORY",
        `Plugin ${name} ran out of memory while ${stage}: the sandbox allows ${this.#options.memoryMb} MiB of heap`,
        strategy,
      );
    }
    const access = /Requires (\w+) access/.exec(reply.message)?.[1];
    const npm = /npm specifiers were requested|--no-npm/.test(reply.message);
    if (reply.name === "NotCapable" || reply.name === "PermissionDenied" || access || npm) {
      const what = npm ? "npm package" : access ?? "system";
      return this.#error(
        "PLUGIN_PERMISSION",
        `Plugin ${name} was denied ${what} access while ${stage}: plugins run with no permissions`,
        strategy,
        "A plugin must be a single self-contained module that only computes on the values it is given",
      );
    }
    // Only loading sees no data, so only then is the plugin's own message safe to show.
    const detail = stage === "loading" ? `: ${reply.message.split("\n")[0].slice(0, 200)}` : "";
    return this.#error(
      "PLUGIN_ERROR",
      `Plugin ${name} threw ${reply.name} while ${stage}${detail}`,
      strategy,
    );
  }

  /**
   * Stops the sandbox. Idle, it exits on its own (and is killed after a grace period if it does not); with
   * requests pending (a run being aborted), it is killed at once and they fail.
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
  }
}
