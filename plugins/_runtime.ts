/**
 * Plugins run in a child `deno` process with no permissions; that needs the deno runtime. A binary built
 * with `deno compile` is not one (`Deno.execPath()` is the binary itself, whose permissions are fixed at
 * build time), so plugin commands and runs with plugins refuse there before doing any work.
 *
 * @module
 */
import { basename } from "node:path";
import { PluginError } from "../errors.ts";

/**
 * True when this process runs in the deno runtime (not a `deno compile` binary).
 *
 * @param execPath the executable to judge (default: this process's).
 */
export function isDenoRuntime(execPath: string = Deno.execPath()): boolean {
  if ((Deno.build as { standalone?: boolean }).standalone) return false;
  return /^deno(?:\.exe)?$/i.test(basename(execPath));
}

/**
 * Refuses to go on outside the deno runtime.
 *
 * @param what What was asked, for the message, e.g. `plugin sign` or `plugin @acme/nhs`.
 * @param execPath the executable to judge (default: this process's).
 * @throws {PluginError} `PLUGIN_ERROR` in a compiled binary.
 */
export function requireDenoRuntime(what: string, execPath: string = Deno.execPath()): void {
  if (isDenoRuntime(execPath)) return;
  throw new PluginError(
    "PLUGIN_ERROR",
    `Cannot run ${what} from a compiled privaci binary: plugins are sandboxed in a child deno process`,
    { plugin: what },
    { hint: "Run privaci with deno to use plugins: deno run -A jsr:@privaci/cli …" },
  );
}
