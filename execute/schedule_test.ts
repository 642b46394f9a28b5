import assert from "node:assert/strict";
import type { ForeignKey } from "../pg/introspect.ts";
import { type LoadOrder, loadOrder, runInOrder } from "./schedule.ts";

function fk(child: string, parent: string): ForeignKey {
  return { name: `${child}_${parent}_fkey`, child, parent, childColumns: ["x"], parentColumns: ["id"] };
}

function waits(order: LoadOrder): Record<string, string[]> {
  return Object.fromEntries([...order.waitsFor].map(([t, d]) => [t, [...d].sort()]));
}

Deno.test("loadOrder() makes each table wait for the tables it references", () => {
  const order = loadOrder(["a", "b", "c", "d"], [fk("c", "b"), fk("b", "a"), fk("d", "a"), fk("d", "b")]);
  assert.deepEqual(waits(order), { a: [], b: ["a"], c: ["b"], d: ["a", "b"] });
  assert.deepEqual([...order.cyclic], []);
});

Deno.test("loadOrder() ignores self references and keys to tables not copied", () => {
  const order = loadOrder(["emp", "dept"], [fk("emp", "emp"), fk("emp", "dept"), fk("dept", "audit")]);
  assert.deepEqual(waits(order), { emp: ["dept"], dept: [] });
  assert.deepEqual([...order.cyclic], []);
});

Deno.test("loadOrder() marks tables in a reference cycle and drops the edges inside it", () => {
  const order = loadOrder(
    ["a", "b", "c", "d", "e"],
    [fk("a", "b"), fk("b", "a"), fk("c", "a"), fk("a", "d"), fk("e", "e")],
  );
  assert.deepEqual([...order.cyclic].sort(), ["a", "b"]);
  // a still waits for d (outside the cycle); c waits for a (in the cycle); e only references itself.
  assert.deepEqual(waits(order), { a: ["d"], b: [], c: ["a"], d: [], e: [] });
});

Deno.test("loadOrder() finds a three-table cycle", () => {
  const order = loadOrder(["x", "y", "z", "w"], [fk("x", "y"), fk("y", "z"), fk("z", "x"), fk("w", "z")]);
  assert.deepEqual([...order.cyclic].sort(), ["x", "y", "z"]);
  assert.deepEqual(waits(order), { x: [], y: [], z: [], w: ["z"] });
});

/** A promise with its resolve and reject exposed. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued microtask and promise job run. */
function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/** Runs `runInOrder` with tasks the test finishes by hand; records what runs. */
function controlled(order: LoadOrder, jobs: number) {
  const gates = new Map<string, ReturnType<typeof deferred>>();
  const started: string[] = [];
  let running = 0;
  let peak = 0;
  const done = runInOrder(order, jobs, async (t) => {
    started.push(t);
    running++;
    peak = Math.max(peak, running);
    const gate = deferred();
    gates.set(t, gate);
    try {
      await gate.promise;
    } finally {
      running--;
    }
  });
  done.catch(() => {});
  return { done, gates, started, peak: () => peak };
}

Deno.test("runInOrder() starts a table only after the tables it waits for finished", async () => {
  const order = loadOrder(["child", "parent", "grandchild"], [
    fk("child", "parent"),
    fk("grandchild", "child"),
  ]);
  const run = controlled(order, 4);
  await settle();
  assert.deepEqual(run.started, ["parent"]);
  run.gates.get("parent")!.resolve();
  await settle();
  assert.deepEqual(run.started, ["parent", "child"]);
  run.gates.get("child")!.resolve();
  await settle();
  assert.deepEqual(run.started, ["parent", "child", "grandchild"]);
  run.gates.get("grandchild")!.resolve();
  await run.done;
});

Deno.test("runInOrder() never runs more than jobs tables at once", async () => {
  const names = Array.from({ length: 7 }, (_, i) => `t${i}`);
  const run = controlled(loadOrder(names, []), 3);
  const finished = new Set<string>();
  for (let round = 0; round < 20 && finished.size < names.length; round++) {
    await settle();
    const live = run.started.filter((t) => !finished.has(t));
    assert.equal(live.length, Math.min(3, names.length - finished.size), `round ${round}`);
    finished.add(live[0]);
    run.gates.get(live[0])!.resolve();
  }
  await run.done;
  assert.deepEqual(run.started, names);
  assert.equal(run.peak(), 3);
});

Deno.test("runInOrder() with one job runs tables one at a time", async () => {
  const run = controlled(loadOrder(["a", "b", "c"], []), 1);
  for (let i = 0; i < 3; i++) {
    await settle();
    assert.equal(run.started.length, i + 1);
    run.gates.get(run.started[i])!.resolve();
  }
  await run.done;
  assert.equal(run.peak(), 1);
});

Deno.test("runInOrder() stops starting tables after a failure and rethrows it once the others settled", async () => {
  const order = loadOrder(["a", "b", "c", "d"], [fk("d", "a")]);
  const run = controlled(order, 2);
  await settle();
  assert.deepEqual(run.started, ["a", "b"]);
  const boom = new Error("table b failed");
  run.gates.get("b")!.reject(boom);
  await settle();
  // Nothing new starts, but a (still running) is waited for.
  assert.deepEqual(run.started, ["a", "b"]);
  let settled = false;
  run.done.then(() => settled = true, () => settled = true);
  await settle();
  assert.equal(settled, false);
  run.gates.get("a")!.resolve();
  await assert.rejects(run.done, (e) => e === boom);
  assert.deepEqual(run.started, ["a", "b"]);
});

Deno.test("runInOrder() rethrows the first failure when several tables fail", async () => {
  const run = controlled(loadOrder(["a", "b"], []), 2);
  await settle();
  const first = new Error("first");
  run.gates.get("a")!.reject(first);
  await settle();
  run.gates.get("b")!.reject(new Error("second"));
  await assert.rejects(run.done, (e) => e === first);
});

Deno.test("runInOrder() resolves at once for no tables", async () => {
  let calls = 0;
  await runInOrder(loadOrder([], []), 2, () => {
    calls++;
    return Promise.resolve();
  });
  assert.equal(calls, 0);
});

Deno.test("runInOrder() queues a table again when its task says it is busy elsewhere", async () => {
  const order = loadOrder(["a", "b", "child"], [fk("child", "a")]);
  const started: string[] = [];
  let busy = 2;
  await runInOrder(order, 1, (t) => {
    started.push(t);
    if (t === "a" && busy-- > 0) return Promise.resolve("again" as const);
    return Promise.resolve();
  });
  // `a` is retried after `b`, and `child` waits until `a` really finished.
  assert.deepEqual(started, ["a", "b", "a", "a", "child"]);
});

Deno.test("runInOrder() never starts the tables waiting for a skipped one and returns them with it", async () => {
  const order = loadOrder(["a", "b", "child", "grandchild"], [fk("child", "a"), fk("grandchild", "child")]);
  const started: string[] = [];
  const left = await runInOrder(order, 2, (t) => {
    started.push(t);
    return Promise.resolve(t === "a" ? "skip" as const : undefined);
  });
  assert.deepEqual(started.sort(), ["a", "b"]);
  assert.deepEqual(left.sort(), ["a", "child", "grandchild"]);
});
