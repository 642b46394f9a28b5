import assert from "node:assert/strict";
import { Collector, garbageCollector } from "./collector.ts";

Deno.test("garbageCollector() hands over a gc that frees an unreachable object", async () => {
  const gc = garbageCollector();
  assert.equal(typeof gc, "function");
  const ref = (() => new WeakRef(new Uint8Array(1024)))();
  // A WeakRef's target lives at least until the end of the job that made it.
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc!();
  assert.equal(ref.deref(), undefined);
});

Deno.test("Collector collects once per everyBytes handled", () => {
  let runs = 0;
  let clock = 0;
  const c = new Collector({ everyBytes: 100, maxShare: 1, collect: () => runs++, now: () => clock });
  assert.equal(c.handled(60), false);
  clock += 1000;
  assert.equal(c.handled(60), true);
  assert.equal(runs, 1);
  clock += 1000;
  assert.equal(c.handled(99), false);
  assert.equal(c.handled(1), true);
  assert.equal(runs, 2);
});

Deno.test("Collector waits until its last collection's cost fits in maxShare of the time since", () => {
  let runs = 0;
  let clock = 0;
  const c = new Collector({
    everyBytes: 10,
    maxShare: 0.1,
    collect: () => {
      runs++;
      clock += 20; // each collection takes 20 ms
    },
    now: () => clock,
  });
  clock = 500;
  assert.equal(c.handled(10), true);
  // 20 ms of collection allows the next one 200 ms after it ended.
  clock += 150;
  assert.equal(c.handled(10), false);
  clock += 49;
  assert.equal(c.handled(10), false);
  clock += 1;
  assert.equal(c.handled(10), true);
  assert.equal(runs, 2);
});

Deno.test("Collector with collect: null never collects", () => {
  const c = new Collector({ everyBytes: 1, maxShare: 1, collect: null });
  assert.equal(c.handled(1000), false);
});

Deno.test("new Collector() refuses a non-positive everyBytes and a maxShare outside (0, 1]", () => {
  assert.throws(
    () => new Collector({ everyBytes: 0, maxShare: 0.1, collect: null }),
    {
      name: "RangeError",
      message: "Cannot construct Collector as everyBytes must be positive: current value is 0",
    },
  );
  assert.throws(
    () => new Collector({ everyBytes: 1, maxShare: 0, collect: null }),
    {
      name: "RangeError",
      message: "Cannot construct Collector as maxShare must be in (0, 1]: current value is 0",
    },
  );
});
