import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunReport } from "../../report/report.ts";
import { ROOT } from "../fixtures/core/cli.ts";

const HEAD =
  "version: 1\nsource: postgres://app@127.0.0.1:5432/prod\ntarget: postgres://app@127.0.0.1:5432/masked\n" +
  "tables:\n  public.customer:\n    columns:\n";

/** `deno task privaci run -c <policy> --json` as a user types it, with the policy in a temporary file. */
async function taskRun(
  columns: string,
): Promise<{ code: number; stderr: string; report: RunReport; file: string }> {
  const dir = await Deno.makeTempDir({ prefix: "privaci_rules_" });
  try {
    const file = join(dir, "privaci.yaml");
    await Deno.writeTextFile(file, HEAD + columns);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "privaci", "run", "-c", file, "--json"],
      cwd: ROOT,
      env: { PRIVACI_SOURCE_URL: "", PRIVACI_TARGET_URL: "", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      stderr: dec.decode(out.stderr),
      report: JSON.parse(dec.decode(out.stdout)),
      file,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("privaci run refuses an unknown strategy before connecting: exit 2, STRATEGY_UNKNOWN, the policy line", async () => {
  const r = await taskRun("      id: keep\n      email: fake.emial\n");
  assert.equal(r.code, 2, r.stderr);
  assert.ok(
    r.stderr.includes(
      `error STRATEGY_UNKNOWN: Cannot run: ${r.file}:8:14: tables.public.customer.columns.email: unknown strategy 'fake.emial' — did you mean 'fake.email'?`,
    ),
    r.stderr,
  );
  assert.deepEqual([r.report.status, r.report.ok, r.report.error?.code], [
    "failed",
    false,
    "STRATEGY_UNKNOWN",
  ]);
  assert.deepEqual(r.report.diagnostics.map((d) => [d.code, d.location.line, d.location.col]), [
    ["STRATEGY_UNKNOWN", 8, 14],
  ]);
});

Deno.test("privaci run refuses a bad param before connecting: exit 2, STRATEGY_PARAMS, the param's line", async () => {
  const r = await taskRun("      id: keep\n      phone: { strategy: partial, keep_last: -2 }\n");
  assert.equal(r.code, 2, r.stderr);
  assert.ok(
    r.stderr.includes(
      `error STRATEGY_PARAMS: Cannot run: ${r.file}:8:46: tables.public.customer.columns.phone.keep_last: must be at least 0`,
    ),
    r.stderr,
  );
  assert.equal(r.report.error?.code, "STRATEGY_PARAMS");
  assert.deepEqual(r.report.diagnostics.map((d) => [d.code, d.location.line]), [["STRATEGY_PARAMS", 8]]);
});
