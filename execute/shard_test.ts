import assert from "node:assert/strict";
import { PrivaciError } from "../errors.ts";
import { rotateForShard, shardFrom } from "./shard.ts";

const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });

Deno.test("shardFrom() reads --shard and --run-key, else the Indexed Job's variables", () => {
  assert.deepEqual(shardFrom({ shard: "2/4", runKey: "ci-7" }, env({})), {
    index: 2,
    count: 4,
    runKey: "ci-7",
  });
  assert.deepEqual(
    shardFrom({}, env({ JOB_COMPLETION_INDEX: "0", JOB_COMPLETION_COUNT: "3", PRIVACI_RUN_KEY: "uid" })),
    { index: 0, count: 3, runKey: "uid" },
  );
  assert.equal(shardFrom({}, env({ JOB_COMPLETION_INDEX: "1" })), undefined);
  assert.equal(shardFrom({}, env({})), undefined);
});

Deno.test("shardFrom() refuses a malformed shard and a shard without a run key", () => {
  for (const shard of ["4/4", "1/0", "a/b", "-1/2", "1"]) {
    assert.throws(() => shardFrom({ shard, runKey: "k" }, env({})), (e: unknown) => {
      assert.ok(e instanceof PrivaciError);
      assert.equal(e.code, "USAGE");
      assert.match(e.message, /expected I\/N/);
      return true;
    });
  }
  assert.throws(() => shardFrom({ shard: "0/2" }, env({})), /without a run key/);
});

Deno.test("rotateForShard() starts each shard at its own share", () => {
  const items = [0, 1, 2, 3, 4, 5, 6, 7];
  assert.deepEqual(rotateForShard(items, 0, 4), items);
  assert.deepEqual(rotateForShard(items, 1, 4), [2, 3, 4, 5, 6, 7, 0, 1]);
  assert.deepEqual(rotateForShard(items, 3, 4), [6, 7, 0, 1, 2, 3, 4, 5]);
  assert.deepEqual(rotateForShard([], 1, 2), []);
});
