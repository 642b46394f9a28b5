import assert from "node:assert/strict";
import { type CpuProfile, fileOf, summarizeProfile } from "./_profile.ts";

const ROOT = "/repo/";

/** root → run (/repo/cli.ts) → decode (/repo/pg/copy_text.ts) → indexOf (node buffer); plus idle and gc. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 }, children: [2, 5, 6] },
    { id: 2, callFrame: { functionName: "run", url: "file:///repo/cli.ts", lineNumber: 9 }, children: [3] },
    {
      id: 3,
      callFrame: { functionName: "decode", url: "file:///repo/pg/copy_text.ts", lineNumber: 40 },
      children: [4],
    },
    {
      id: 4,
      callFrame: { functionName: "indexOf", url: "ext:deno_node/internal/buffer.mjs", lineNumber: 0 },
    },
    { id: 5, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
    { id: 6, callFrame: { functionName: "(garbage collector)", url: "", lineNumber: -1 } },
  ],
  // Each sample is charged the delta that follows it: 4 → 6 ms, 3 → 2 ms, 5 → 10 ms, 6 → 2 ms, 4 → 0.
  samples: [4, 3, 5, 6, 4],
  timeDeltas: [0, 6000, 2000, 10000, 2000],
};

Deno.test("summarizeProfile() charges self time, leaves idle out of the shares and sums files inclusively", () => {
  const s = summarizeProfile(profile, { top: 10, root: ROOT });
  assert.equal(s.sampledMs, 20);
  assert.equal(s.idleMs, 10);
  assert.deepEqual(s.functions, [
    {
      name: "indexOf (ext:deno_node/internal/buffer.mjs:1)",
      ms: 6,
      share: 0.6,
      callers: [{ via: "decode (pg/copy_text.ts:41) ← decode (pg/copy_text.ts:41)", share: 1 }],
    },
    {
      name: "(garbage collector) ((garbage collector):0)",
      ms: 2,
      share: 0.2,
      callers: [{ via: "(root) ((root):0) ← (none)", share: 1 }],
    },
    {
      name: "decode (pg/copy_text.ts:41)",
      ms: 2,
      share: 0.2,
      callers: [{ via: "run (cli.ts:10) ← run (cli.ts:10)", share: 1 }],
    },
  ]);
  assert.deepEqual(s.inclusiveFiles, [
    { name: "cli.ts", ms: 8, share: 0.8 },
    { name: "pg/copy_text.ts", ms: 8, share: 0.8 },
    { name: "ext:deno_node/internal/buffer.mjs", ms: 6, share: 0.6 },
  ]);
});

Deno.test("summarizeProfile() keeps only the top rows, ties by name", () => {
  const s = summarizeProfile(profile, { top: 1, root: ROOT });
  assert.equal(s.functions.length, 1);
  assert.equal(s.files[0].name, "ext:deno_node/internal/buffer.mjs");
});

Deno.test("fileOf() names npm packages, repository files and V8's pseudo frames", () => {
  const url = "file:///repo/node_modules/.deno/postgres@3.4.9/node_modules/postgres/src/connection.js";
  assert.equal(fileOf({ functionName: "x", url }, ROOT), "npm:postgres");
  assert.equal(
    fileOf({
      functionName: "x",
      url: "file:///repo/node_modules/.deno/@faker-js+faker@10.6.0/node_modules/@faker-js/faker/dist/a.js",
    }, ROOT),
    "npm:@faker-js/faker",
  );
  assert.equal(
    fileOf({ functionName: "mask", url: "file:///repo/strategies/hash.ts" }, ROOT),
    "strategies/hash.ts",
  );
  assert.equal(fileOf({ functionName: "(program)", url: "" }, ROOT), "(program)");
  assert.equal(fileOf({ functionName: "writeBuffer", url: "" }, ROOT), "(native)");
});
