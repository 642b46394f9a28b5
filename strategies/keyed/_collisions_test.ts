import assert from "node:assert/strict";
import { CollisionCheck } from "./_collisions.ts";
import { Prf } from "./_prf.ts";

const KEY = new TextEncoder().encode("collision-check-test-key-0123456789abc");

Deno.test("CollisionCheck.add() tells new, seen and colliding values apart, across growth", () => {
  const check = new CollisionCheck(new Prf(KEY), 0x50);
  for (let i = 0; i < 100_000; i++) assert.equal(check.add(`out${i}`, `in${i}`), "new");
  assert.equal(check.size, 100_000);
  for (let i = 0; i < 100_000; i += 7) assert.equal(check.add(`out${i}`, `in${i}`), "seen");
  for (let i = 3; i < 100_000; i += 9973) assert.equal(check.add(`out${i}`, `other${i}`), "collision");
  assert.equal(check.size, 100_000);
  check.clear();
  assert.equal(check.size, 0);
  assert.equal(check.add("out5", "other5"), "new");
});
