/**
 * Expands faker's definition patterns (`{{person.lastName}} {{company.legal_entity_type}}`, `###`)
 * with keyed choices. Only the data references and the few helpers the definitions of the supported
 * strategies use are understood; anything else expands to nothing.
 *
 * @module
 */
import type { Rng } from "../_prf.ts";
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

function helper(rng: Rng, ref: string): string | undefined {
  const call = /^(number\.int|string\.numeric)\((.*)\)$/s.exec(ref);
  if (!call) return undefined;
  if (call[1] === "string.numeric") return rng.digits(Math.max(1, Math.min(20, Number(call[2]) || 1)));
  let args: { min?: number; max?: number } = {};
  try {
    args = JSON.parse(call[2] || "{}");
  } catch {
    args = {};
  }
  const min = Number.isInteger(args.min) ? args.min! : 0;
  const max = Number.isInteger(args.max) ? args.max! : 9;
  return String(rng.int(min, Math.max(min, max)));
}

/** Expands every `{{reference}}` in `pattern`, recursively, then fills `#` with digits. */
export function expand(data: LocaleData, rng: Rng, pattern: string, depth = 0): string {
  let s = pattern;
  if (depth < MAX_DEPTH && s.includes("{{")) {
    s = s.replace(TOKEN, (_, ref: string) => {
      const h = helper(rng, ref);
      if (h !== undefined) return h;
      return expand(data, rng, data.pick(rng, resolvePath(data, ref)), depth + 1);
    });
  }
  if (depth === 0) s = fillDigits(rng, s).replace(/\s+/g, " ").trim();
  return s;
}

/** Replaces `#` with a digit and `!` with a digit from 2 to 9, as faker's formats mean them. */
export function fillDigits(rng: Rng, s: string): string {
  if (!s.includes("#") && !s.includes("!")) return s;
  let out = "";
  for (const ch of s) {
    if (ch === "#") out += String.fromCharCode(48 + rng.below(10));
    else if (ch === "!") out += String.fromCharCode(50 + rng.below(8));
    else out += ch;
  }
  return out;
}

/** A value from `path` of the locale, with patterns expanded. */
export function generate(data: LocaleData, rng: Rng, path: string): string {
  return expand(data, rng, data.pick(rng, resolvePath(data, path)));
}
