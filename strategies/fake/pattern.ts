/**
 * Expands faker's definition patterns (`{{person.lastName}} {{company.legal_entity_type}}`, `###`)
 * with keyed choices. Only the data references and the few helpers the definitions of the supported
 * strategies use are understood; anything else expands to nothing.
 *
 * @module
 */
import type { Rng } from "../keyed/_prf.ts";
import type { LocaleData } from "./locale.ts";

const TOKEN = /\{\{\s*(.+?)\s*\}\}/g;
const MAX_DEPTH = 6;

/** Data paths that faker's method names stand for. */
const ALIASES: Record<string, readonly string[]> = {
  "location.street": ["location.street_pattern"],
  "location.city": ["location.city_pattern", "location.city_name"],
  "location.street_address": ["location.street_address.normal"],
  "location.zip_code": ["location.postcode"],
  "person.last_name": ["person.last_name_pattern", "person.last_name"],
  "person.full_name": ["person.name"],
  "person.job_title": ["person.job_title_pattern"],
  "company.name": ["company.name_pattern"],
};

function snake(path: string): string {
  return path.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** The data path a reference reads, after aliases, or the reference itself. */
function resolvePath(data: LocaleData, ref: string): string {
  const path = snake(ref);
  for (const candidate of ALIASES[path] ?? []) if (data.has(candidate)) return candidate;
  return path;
}

/** A `{{reference}}` of a pattern, with what it resolves to worked out once. */
interface Ref {
  ref: string;
  /** 0: a data path; 1: `string.numeric(n)`, `a` digits; 2: `number.int(...)` in `[a, b]`. */
  kind: 0 | 1 | 2;
  a: number;
  b: number;
}

function parseRef(ref: string): Ref {
  const call = /^(number\.int|string\.numeric)\((.*)\)$/s.exec(ref);
  if (!call) return { ref, kind: 0, a: 0, b: 0 };
  if (call[1] === "string.numeric") {
    return { ref, kind: 1, a: Math.max(1, Math.min(20, Number(call[2]) || 1)), b: 0 };
  }
  let args: { min?: number; max?: number } = {};
  try {
    args = JSON.parse(call[2] || "{}");
  } catch {
    args = {};
  }
  const min = Number.isInteger(args.min) ? args.min! : 0;
  const max = Number.isInteger(args.max) ? args.max! : 9;
  return { ref, kind: 2, a: min, b: Math.max(min, max) };
}

// Patterns come from the locale data, so these caches hold at most its distinct patterns and paths.
// Splitting a pattern once instead of running a replace callback, a helper regex, JSON.parse and the
// camelCase-to-path conversion per value was most of the cost of fake.street in the profile.
const compiled = new Map<string, readonly (string | Ref)[]>();
const resolved = new WeakMap<LocaleData, Map<string, string>>();

/** `pattern` split into literal text and references, in order. */
function compile(pattern: string): readonly (string | Ref)[] {
  let got = compiled.get(pattern);
  if (got === undefined) {
    const parts: (string | Ref)[] = [];
    let last = 0;
    for (const m of pattern.matchAll(TOKEN)) {
      if (m.index > last) parts.push(pattern.slice(last, m.index));
      parts.push(parseRef(m[1]));
      last = m.index + m[0].length;
    }
    if (last < pattern.length) parts.push(pattern.slice(last));
    compiled.set(pattern, got = parts);
  }
  return got;
}

function pathOf(data: LocaleData, ref: string): string {
  let paths = resolved.get(data);
  if (paths === undefined) resolved.set(data, paths = new Map());
  let path = paths.get(ref);
  if (path === undefined) paths.set(ref, path = resolvePath(data, ref));
  return path;
}

/** Expands every `{{reference}}` in `pattern`, recursively, then fills `#` with digits. */
export function expand(data: LocaleData, rng: Rng, pattern: string, depth = 0): string {
  let s = pattern;
  if (depth < MAX_DEPTH && s.includes("{{")) {
    // Left to right, as String.replace calls its callback: the choices are drawn in the same order.
    s = "";
    for (const part of compile(pattern)) {
      if (typeof part === "string") s += part;
      else if (part.kind === 1) s += rng.digits(part.a);
      else if (part.kind === 2) s += String(rng.int(part.a, part.b));
      else s += expand(data, rng, data.pick(rng, pathOf(data, part.ref)), depth + 1);
    }
  }
  if (depth === 0) s = collapseSpaces(fillDigits(rng, s));
  return s;
}

/** `s.replace(/\s+/g, " ").trim()`, without the regex when there is nothing to collapse or trim. */
export function collapseSpaces(s: string): string {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || s.charCodeAt(i - 1) === 0x20) return s.replace(/\s+/g, " ").trim();
    } else if (isSpace(c)) return s.replace(/\s+/g, " ").trim();
  }
  return s;
}

/** The characters `\s` matches besides U+0020. */
function isSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Replaces `#` with a digit and `!` with a digit from 2 to 9, as faker's formats mean them. */
export function fillDigits(rng: Rng, s: string): string {
  if (!s.includes("#") && !s.includes("!")) return s;
  // Digits are drawn left to right; the text between them is copied in runs (one character at a
  // time made a cons-string node per character past 13, and fromCharCode.apply was slower).
  let out = "", from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 35 && c !== 33) continue;
    if (i > from) out += s.slice(from, i);
    out += DIGITS[c === 35 ? rng.below(10) : 2 + rng.below(8)];
    from = i + 1;
  }
  return from < s.length ? out + s.slice(from) : out;
}

const DIGITS = "0123456789";

/** A value from `path` of the locale, with patterns expanded. */
export function generate(data: LocaleData, rng: Rng, path: string): string {
  return expand(data, rng, data.pick(rng, pathOf(data, path)));
}
