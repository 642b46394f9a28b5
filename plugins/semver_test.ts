import assert from "node:assert/strict";
import { compareVersions, maxSatisfying, parseRange, parseVersion, satisfies } from "./semver.ts";

function inRange(version: string, range: string): boolean {
  const r = parseRange(range);
  assert.ok(r, `range parses: ${range}`);
  return satisfies(parseVersion(version)!, r);
}

Deno.test("parseVersion() reads release and pre-release versions and rejects others", () => {
  assert.deepEqual(parseVersion("1.2.3"), { major: 1, minor: 2, patch: 3, pre: [] });
  assert.deepEqual(parseVersion("0.4.0-beta.2+build"), { major: 0, minor: 4, patch: 0, pre: ["beta", "2"] });
  assert.equal(parseVersion("1.2"), null);
  assert.equal(parseVersion("latest"), null);
});

Deno.test("compareVersions() orders numerically and ranks pre-releases below releases", () => {
  const order = [
    "0.9.0",
    "1.0.0-alpha",
    "1.0.0-alpha.2",
    "1.0.0-alpha.10",
    "1.0.0-beta",
    "1.0.0",
    "1.2.0",
    "1.10.0",
  ];
  const shuffled = [...order].reverse().map((t) => parseVersion(t)!);
  shuffled.sort(compareVersions);
  assert.deepEqual(
    shuffled.map((v) => `${v.major}.${v.minor}.${v.patch}${v.pre.length ? "-" + v.pre.join(".") : ""}`),
    order,
  );
});

Deno.test("satisfies() follows caret, tilde, comparison, x-range and exact rules", () => {
  const cases: [string, string, boolean][] = [
    ["1.2.0", "^1.2", true],
    ["1.9.9", "^1.2", true],
    ["2.0.0", "^1.2", false],
    ["1.1.9", "^1.2", false],
    ["0.1.5", "^0.1", true],
    ["0.2.0", "^0.1", false],
    ["0.0.3", "^0.0.3", true],
    ["0.0.4", "^0.0.3", false],
    ["1.2.9", "~1.2.3", true],
    ["1.3.0", "~1.2.3", false],
    ["1.2.2", "~1.2.3", false],
    ["0.4.0", ">=0.4 <2", true],
    ["2.0.0", ">=0.4 <2", false],
    ["0.3.9", ">=0.4 <2", false],
    ["1.5.0", "1.x", true],
    ["2.0.0", "1.x", false],
    ["1.2.7", "1.2.*", true],
    ["1.3.0", "1.2.*", false],
    ["7.0.0", "*", true],
    ["1.2.3", "1.2.3", true],
    ["1.2.4", "=1.2.3", false],
    ["2.1.0", "1.x || ^2.1.0", true],
    ["3.0.0", "1.x || ^2.1.0", false],
    ["1.0.0", "> 0.9.9", true],
    ["1.3.0", "<=1.2", false],
    ["1.2.9", "<=1.2", true],
    ["1.0.0-beta", "^1.0", false],
    ["1.0.0-beta.2", ">=1.0.0-beta.1 <2", true],
  ];
  for (const [version, range, expected] of cases) {
    assert.equal(inRange(version, range), expected, `${version} in ${range}`);
  }
});

Deno.test("parseRange() rejects text that is not a range", () => {
  assert.equal(parseRange("banana"), null);
  assert.equal(parseRange("^1.2 ||"), null);
  assert.equal(parseRange(">=1.2.3.4"), null);
});

Deno.test("maxSatisfying() picks the highest version in range", () => {
  const versions = ["1.0.0", "1.2.0", "1.4.1", "2.0.0", "1.5.0-rc.1"];
  assert.equal(maxSatisfying(versions, parseRange("^1.2")!), "1.4.1");
  assert.equal(maxSatisfying(versions, parseRange("^3")!), undefined);
});
