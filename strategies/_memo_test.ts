import assert from "node:assert/strict";
import { memoMasker } from "./_memo.ts";
import { batchOf } from "./_test_utils.ts";

Deno.test("memoMasker() gives the same outputs whether it remembers or skips the cache", () => {
  let calls = 0;
  const m = memoMasker((v) => {
    calls++;
    return v.toUpperCase();
  }, 100);
  const distinct = Array.from({ length: 1_000 }, (_, i) => `v${i}`);
  assert.deepEqual(m.mask(distinct, batchOf()), distinct.map((v) => v.toUpperCase()));
  assert.equal(calls, 1_000);
  const repeated = Array.from({ length: 1_000 }, (_, i) => (i % 2 ? null : `r${i % 10}`));
  const out = m.mask(repeated, batchOf());
  assert.deepEqual(out, repeated.map((v) => (v === null ? null : v.toUpperCase())));
  assert.ok(
    calls <= 1_000 + 100 + 10,
    `repeats are served from the cache again after the bypass: ${calls} calls`,
  );
});
