/**
 * `privaci scan` and `privaci preview` refuse bad usage with exit 2, a message and a hint, before touching
 * a database.
 *
 * @module
 */
import assert from "node:assert/strict";
import { privaci } from "../fixtures/core/cli.ts";

Deno.test("privaci scan without a source, and --check without a policy, exit 2 with a hint", async () => {
  const [none, check] = await Promise.all([
    privaci(["scan"]),
    privaci(["scan", "--check", "--source", "postgres://nobody@127.0.0.1:1/none"]),
  ]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /error USAGE: Cannot scan without a source\nhint: pass --source/);
  assert.equal(check.code, 2);
  assert.match(check.stderr, /error USAGE: Cannot check without a policy.*\nhint: pass the policy with -c/);
});

Deno.test("privaci preview --help says that it prints source values", async () => {
  const help = await privaci(["preview", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout.replace(/\s+/g, " "), /prints source values/);
});
