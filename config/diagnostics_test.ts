import assert from "node:assert/strict";
import { didYouMean } from "./diagnostics.ts";

const STRATEGIES = ["fake.email", "fake.name", "hash", "keep", "null", "partial", "redact"];

const NEAR: [string, string | undefined][] = [
  ["fake.emial", "fake.email"], // swapped neighbours count as one edit
  ["kep", "keep"],
  ["KEEP", "keep"], // case is ignored
  ["nul", "null"],
  ["parital", "partial"],
  ["fake.nmae", "fake.name"],
  ["redcat", "redact"],
  ["hsah", "hash"],
  ["keep", undefined], // an exact name needs no suggestion
  ["k", undefined], // one letter is too far from everything
  ["scramble", undefined],
  ["fake.phone", undefined],
];

for (const [word, expected] of NEAR) {
  Deno.test(`didYouMean() suggests ${expected === undefined ? "nothing" : `'${expected}'`} for '${word}'`, () => {
    assert.equal(didYouMean(word, STRATEGIES), expected);
  });
}

Deno.test("didYouMean() prefers the nearest candidate, then the first listed", () => {
  assert.equal(didYouMean("colums", ["column", "columns"]), "column");
  assert.equal(didYouMean("ab", ["ax", "ay"]), "ax");
  assert.equal(didYouMean("anything", []), undefined);
});

Deno.test("didYouMean() allows one edit per three characters", () => {
  assert.equal(didYouMean("abcdef", ["abxdxf"]), "abxdxf");
  assert.equal(didYouMean("abcdef", ["xbxdxf"]), undefined);
});
