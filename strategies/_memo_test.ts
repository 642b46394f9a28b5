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

Deno.test("memoMasker() forgets what it remembered when it starts skipping the cache", () => {
  const calls = new Map<string, number>();
  const m = memoMasker((v) => {
    calls.set(v, (calls.get(v) ?? 0) + 1);
    return v.toUpperCase();
  }, 100);
  // 100 distinct values: the 100th miss finds no hit, so the next 100 values skip the cache.
  const distinct = Array.from({ length: 200 }, (_, i) => `d${i}`);
  m.mask(distinct, batchOf());
  assert.equal(calls.get("d0"), 1);
  // Back on the cache, which was emptied: d0 is computed again, then served from the cache.
  assert.deepEqual(m.mask(["d0", "d0", "d0"], batchOf()), ["D0", "D0", "D0"]);
  assert.equal(calls.get("d0"), 2);
});
