/**
 * Formatting for generated files (the strategies page, the gazetteer module): they are written as
 * `deno fmt` would write them with this repository's settings, so `deno fmt --check` passes on them.
 *
 * @module
 */

/**
 * `text` formatted by `deno fmt` as a file of extension `ext`.
 *
 * @param what the generated file, for the error message.
 * @throws {Error} when `deno fmt` fails.
 */
export async function denoFmt(text: string, ext: "ts" | "md", what: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", ext, "-"],
    cwd: new URL("../", import.meta.url),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  if (!success) throw new Error(`Cannot format ${what}: ${new TextDecoder().decode(stderr).trim()}`);
  return new TextDecoder().decode(stdout);
}
