import assert from "node:assert/strict";
import type { ContainmentResult } from "./findings.ts";
import { containmentFinding } from "./containment.ts";

function result(linked: boolean, occurrences: number, distinct: number, otherRows = 0): ContainmentResult {
  return {
    table: "public.tickets",
    column: "body",
    linked,
    rows: 1000,
    occurrences,
    distinct,
    otherRows,
    from: ["public.customers.last_name"],
  };
}

Deno.test("containmentFinding() grades a column checked globally by its share of rows and distinct tokens", () => {
  assert.equal(containmentFinding(result(false, 0, 0)), null);
  assert.equal(containmentFinding(result(false, 2, 2))!.risk, "low");
  assert.equal(containmentFinding(result(false, 3, 3))!.risk, "medium");
  assert.equal(containmentFinding(result(false, 10, 1))!.risk, "medium");
  assert.equal(containmentFinding(result(false, 12, 10))!.risk, "high");
  assert.equal(containmentFinding(result(false, 100, 1))!.risk, "high");
});

Deno.test("containmentFinding() takes own rows' tokens as few as fakes explain for chance, and grades the rest as globally", () => {
  // 12 own rows' tokens among 600 source tokens: fakes that map a name to itself.
  const chance = containmentFinding(result(true, 12, 4, 588))!;
  assert.equal(chance.risk, "low");
  assert.match(
    chance.message,
    /12 occurrence\(s\) of 4 distinct .* of 600 source tokens in all: as few as fakes/,
  );
  // The same tokens with no fakes around them (a scrub that replaced nothing) are a finding.
  assert.equal(containmentFinding(result(true, 12, 4, 0))!.risk, "medium");
  // One row in ten still holding its names, whatever the fakes elsewhere.
  assert.equal(containmentFinding(result(true, 200, 150, 900))!.risk, "high");
  assert.doesNotMatch(containmentFinding(result(true, 200, 150, 900))!.message, /by chance/);
});
