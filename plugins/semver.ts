/**
 * A small semver version parser and range matcher, enough for plugin versions and the `privaci` range a
 * plugin declares: exact versions, `^`, `~`, `>=`, `>`, `<=`, `<`, `=`, x-ranges (`1.x`, `1.2.*`, `*`,
 * `1`, `1.2`), hyphen-free space-separated conjunctions and `||` alternatives.
 *
 * @module
 */

/** A parsed version. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers, empty for a release. */
  pre: string[];
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `1.2.3`, `1.2.3-beta.1`; returns `null` for anything else. */
export function parseVersion(text: string): SemVer | null {
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  return { major: +m[1], minor: +m[2], patch: +m[3], pre: m[4] ? m[4].split(".") : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return (a.length === 0 ? 1 : 0) - (b.length === 0 ? 1 : 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    const an = /^\d+$/.test(a[i]), bn = /^\d+$/.test(b[i]);
    if (an && bn && +a[i] !== +b[i]) return +a[i] < +b[i] ? -1 : 1;
    if (an !== bn) return an ? -1 : 1;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** Orders two versions: negative, zero or positive. */
export function compareVersions(a: SemVer, b: SemVer): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) ||
    comparePre(a.pre, b.pre);
}

type Op = "<" | "<=" | ">" | ">=" | "=";
type Comparator = { op: Op; v: SemVer };

const PARTIAL =
  /^(=|<=|>=|<|>|\^|~)?\s*v?(\*|x|X|\d+)(?:\.(\*|x|X|\d+))?(?:\.(\*|x|X|\d+))?(?:-([0-9A-Za-z.-]+))?$/;

function isWild(p: string | undefined): boolean {
  return p === undefined || p === "*" || p === "x" || p === "X";
}

function v(major: number, minor = 0, patch = 0, pre: string[] = []): SemVer {
  return { major, minor, patch, pre };
}

/** Turns one range token into comparators; `null` when the token is not valid. */
function comparators(token: string): Comparator[] | null {
  const m = PARTIAL.exec(token);
  if (!m) return null;
  const op = m[1] ?? "";
  const [M, m2, p] = [m[2], m[3], m[4]];
  const pre = m[5] ? m[5].split(".") : [];
  if (isWild(M)) return op === "<" || op === ">" ? [{ op: "<", v: v(0, 0, 0, ["0"]) }] : [];
  const maj = +M;
  if (isWild(m2)) {
    if (op === "<") return [{ op: "<", v: v(maj) }];
    if (op === ">") return [{ op: ">=", v: v(maj + 1) }];
    if (op === "<=") return [{ op: "<", v: v(maj + 1) }];
    return [{ op: ">=", v: v(maj) }, { op: "<", v: v(maj + 1) }];
  }
  const min = +m2!;
  if (isWild(p)) {
    if (op === "<") return [{ op: "<", v: v(maj, min) }];
    if (op === ">") return [{ op: ">=", v: v(maj, min + 1) }];
    if (op === "<=") return [{ op: "<", v: v(maj, min + 1) }];
    if (op === "^") {
      const upper = maj > 0 ? v(maj + 1) : v(0, min + 1);
      return [{ op: ">=", v: v(maj, min) }, { op: "<", v: upper }];
    }
    return [{ op: ">=", v: v(maj, min) }, { op: "<", v: v(maj, min + 1) }];
  }
  const full = v(maj, min, +p!, pre);
  if (op === "^") {
    const upper = maj > 0 ? v(maj + 1) : min > 0 ? v(0, min + 1) : v(0, 0, full.patch + 1);
    return [{ op: ">=", v: full }, { op: "<", v: upper }];
  }
  if (op === "~") return [{ op: ">=", v: full }, { op: "<", v: v(maj, min + 1) }];
  return [{ op: (op || "=") as Op, v: full }];
}

function test(c: Comparator, version: SemVer): boolean {
  const d = compareVersions(version, c.v);
  switch (c.op) {
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    case "=":
      return d === 0;
  }
}

/** A parsed range: alternatives of conjunctions. */
export type Range = Comparator[][];

/** Parses a range such as `^1.2`, `>=0.4 <2`, `1.x || ^2.1.0`; returns `null` when it is not valid. */
export function parseRange(text: string): Range | null {
  const alternatives = text.trim() === "" ? ["*"] : text.split("||");
  const range: Range = [];
  for (const alt of alternatives) {
    const tokens = alt.trim().replace(/(<=|>=|<|>|=|\^|~)\s+/g, "$1").split(/\s+/).filter(Boolean);
    if (tokens.length === 0) return null;
    const set: Comparator[] = [];
    for (const t of tokens) {
      const cs = comparators(t);
      if (!cs) return null;
      set.push(...cs);
    }
    range.push(set);
  }
  return range;
}

/**
 * True when `version` is in `range`. A pre-release only matches when some comparator of the same
 * alternative names a pre-release of the same major.minor.patch (npm's rule).
 */
export function satisfies(version: SemVer, range: Range): boolean {
  return range.some((set) =>
    set.every((c) => test(c, version)) &&
    (version.pre.length === 0 || set.some((c) =>
      c.v.pre.length > 0 && c.v.major === version.major && c.v.minor === version.minor &&
      c.v.patch === version.patch
    ))
  );
}

/** The highest of `versions` in `range`, or `undefined`. */
export function maxSatisfying(versions: readonly string[], range: Range): string | undefined {
  let best: { text: string; v: SemVer } | undefined;
  for (const text of versions) {
    const parsed = parseVersion(text);
    if (parsed && satisfies(parsed, range) && (!best || compareVersions(parsed, best.v) > 0)) {
      best = { text, v: parsed };
    }
  }
  return best?.text;
}
