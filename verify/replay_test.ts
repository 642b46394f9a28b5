import assert from "node:assert/strict";
import { builtinStrategies } from "../strategies/builtins.ts";
import { REPRODUCTIONS } from "../strategies/types.ts";
import type { ReplayResult } from "./findings.ts";
import { replayFindings } from "./replay.ts";

function result(extra: Partial<ReplayResult>): ReplayResult {
  return {
    table: "public.t",
    column: "c",
    strategy: "s",
    reproduces: "nothing",
    values: 1000,
    equalValues: 0,
    ownValues: 0,
    expected: true,
    ...extra,
  };
}

Deno.test("every built-in strategy declares what it may reproduce", () => {
  for (const def of builtinStrategies().list()) {
    assert.ok(REPRODUCTIONS.includes(def.meta.reproduces!), `${def.meta.name}: ${def.meta.reproduces}`);
  }
});

Deno.test("replayFindings() flags any equality of a strategy that reproduces nothing", () => {
  assert.deepEqual(replayFindings(result({})), []);
  const f = replayFindings(result({ equalValues: 3, ownValues: 2 }));
  assert.deepEqual(f.map((x) => [x.check, x.risk, x.count]), [["replay-value", "high", 3], [
    "replay-own",
    "high",
    2,
  ]]);
});

Deno.test("replayFindings() takes a pool's chance collisions as expected, but not most rows keeping their value", () => {
  assert.deepEqual(replayFindings(result({ reproduces: "pool", equalValues: 400, ownValues: 20 })), []);
  assert.deepEqual(
    replayFindings(result({ reproduces: "pool", equalValues: 400, ownValues: 60 })).map((
      x,
    ) => [x.check, x.risk]),
    [["replay-own", "medium"]],
  );
  assert.deepEqual(
    replayFindings(result({ reproduces: "pool", equalValues: 900, ownValues: 900 })).map((x) => x.risk),
    ["high"],
  );
  assert.deepEqual(replayFindings(result({ reproduces: "coarse", equalValues: 900, ownValues: 800 })), []);
  assert.deepEqual(
    replayFindings(result({ reproduces: "placeholder", equalValues: 1000, ownValues: 1000 })),
    [],
  );
  assert.deepEqual(replayFindings(result({ reproduces: "input", equalValues: 1000, ownValues: 1000 })), []);
  // Without a primary key, own values are unknown and nothing is claimed about them.
  assert.deepEqual(replayFindings(result({ reproduces: "pool", ownValues: null, equalValues: 1000 })), []);
});
