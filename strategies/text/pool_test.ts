import assert from "node:assert/strict";
import { defaultDetectorWorkers, DetectorPool, sliceByLength } from "./pool.ts";

Deno.test("sliceByLength() cuts contiguous slices covering every row once", () => {
  const texts = ["aaaa", null, "b", "cccccccc", "dd", "e", "ffffff"];
  for (const parts of [1, 2, 3, 7, 10]) {
    const cuts = sliceByLength(texts, parts);
    assert.equal(cuts.length, parts + 1);
    assert.equal(cuts[0], 0);
    assert.equal(cuts[parts], texts.length);
    for (let i = 1; i < cuts.length; i++) assert.ok(cuts[i] >= cuts[i - 1]);
  }
});

Deno.test("DetectorPool.detect() returns every row exactly once, in order, from two workers", async () => {
  const pool = await DetectorPool.create({ size: 2, entities: ["email", "person"] });
  try {
    assert.equal(pool.size, 2);
    const texts = Array.from(
      { length: 501 },
      (_, i) => (i % 7 === 3 ? null : `row ${i} mail u${i}@example.com`),
    );
    const got = await pool.detect(texts);
    assert.equal(got.length, texts.length);
    got.forEach((spans, i) => {
      const text = texts[i];
      if (text === null) assert.deepEqual(spans, []);
      else assert.deepEqual(spans.map((s) => text.slice(s.start, s.end)), [`u${i}@example.com`]);
    });
    const inline = await DetectorPool.create({ size: 0, entities: ["email", "person"] });
    assert.deepEqual(await inline.detect(texts), got);
    inline.close();
  } finally {
    pool.close();
  }
});

Deno.test("DetectorPool.detect() refuses work after close", async () => {
  const pool = await DetectorPool.create({ size: 1, entities: ["email"] });
  pool.close();
  pool.close();
  await assert.rejects(() => pool.detect(["a@b.co"]), {
    message: "Cannot detect entities as the pool is closed",
  });
});

Deno.test("DetectorPool workers honour nlp and unknownAsPerson as the calling thread does", async () => {
  const text = "We talked to Zorvex about the refund.";
  for (const unknownAsPerson of [true, false]) {
    const options = { entities: ["person"] as const, nlp: false, unknownAsPerson, model: false };
    const pool = await DetectorPool.create({ size: 1, ...options, entities: [...options.entities] });
    const inline = await DetectorPool.create({ size: 0, ...options, entities: [...options.entities] });
    try {
      const [got] = await pool.detect([text]);
      assert.deepEqual(got.map((s) => text.slice(s.start, s.end)), unknownAsPerson ? ["Zorvex"] : []);
      assert.deepEqual(await inline.detect([text]), [got]);
    } finally {
      pool.close();
      inline.close();
    }
  }
});

Deno.test("DetectorPool workers honour the model, its threshold and known names as the calling thread does", async () => {
  const text = "zyxqua wrote that the parcel never came, blorvik said the same";
  const cases = [
    { options: { model: false }, expected: [] },
    { options: { model: false, knownNames: ["zyxqua"] }, expected: ["zyxqua"] },
    { options: { model: true, threshold: 0.999 }, expected: [] },
  ];
  for (const { options, expected } of cases) {
    const o = { entities: ["person" as const], nlp: false, unknownAsPerson: false, ...options };
    const pool = await DetectorPool.create({ size: 1, ...o });
    const inline = await DetectorPool.create({ size: 0, ...o });
    try {
      const [got] = await pool.detect([text]);
      assert.deepEqual(got.map((s) => text.slice(s.start, s.end)), expected);
      assert.deepEqual(await inline.detect([text]), [got]);
    } finally {
      pool.close();
      inline.close();
    }
  }
});

Deno.test("defaultDetectorWorkers() starts one worker on two cores or fewer, one per core above", () => {
  assert.deepEqual([1, 2, 3, 4, 16].map((c) => defaultDetectorWorkers(c)), [1, 1, 3, 4, 16]);
});
