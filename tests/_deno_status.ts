/**
 * The program's own stderr out of a `deno run` child's: Deno writes status lines of its own there
 * before the program starts, and some depend on what other processes on the machine do. A concurrent
 * `deno` holding the node_modules or cache lock makes the child print "Blocking waiting for file lock
 * on node_modules directory"; a cold cache prints "Download …". A test that asserts on stderr asserts
 * on what this returns, so a busy CI machine cannot change its outcome.
 *
 * @module
 */

/** The escape that starts a colour code (built, as a control character in a regex literal is a lint error). */
const ESC = String.fromCharCode(0x1b);

/** Deno's status lines (coloured or not); nothing the privaci command prints looks like them. */
const DENO_STATUS = new RegExp(
  `^(?:${ESC}\\[[0-9;]*m)*(?:Blocking|Download|Initialize)(?:${ESC}\\[[0-9;]*m)* ` +
    "(?:waiting for file lock on |https?://|npm:|jsr:).*$",
);

/** `stderr` without Deno's own status lines, otherwise unchanged. */
export function programStderr(stderr: string): string {
  return stderr.split("\n").filter((line) => !DENO_STATUS.test(line)).join("\n");
}
