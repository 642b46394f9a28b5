/**
 * `fake.first_name`, `fake.last_name`, `fake.full_name`: a realistic name of the locale, chosen from
 * the key and the input. The input is normalised first (Unicode NFKC, trimmed, inner whitespace
 * collapsed, case-folded), so "JOHN SMITH", "john smith" and "John  Smith" get the same fake name: the
 * free-text scrubber calls {@link fakeFullName} for names it finds so they match the name columns.
 *
 * @module
 */
import { type LocaleOnlyParams, localeStrategy } from "./_locale_strategy.ts";
import { Prf, type Rng } from "../keyed/_prf.ts";
import { LocaleData } from "./locale.ts";
import { generate } from "./pattern.ts";
import type { StrategyDefinition, StrategyMeta } from "../types.ts";

const TWEAK_FIRST = 1;
const TWEAK_LAST = 2;
const TWEAK_FULL = 3;

/** Trims, collapses inner whitespace and case-folds a name, so spellings of one name agree. */
export function normalizeName(input: string): string {
  // Printable ASCII with single inner spaces is already NFKC, trimmed and collapsed: only the case
  // fold is left (the normalisation and the regex were most of fake.first_name's cost).
  return plainAscii(input)
    ? input.toLowerCase()
    : input.normalize("NFKC").trim().replace(/\s+/gu, " ").toLowerCase();
}

/** True for printable ASCII whose spaces are single and inside. */
function plainAscii(s: string): boolean {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    if (c !== 0x20 || i === 0 || i === n - 1 || s.charCodeAt(i - 1) === 0x20) return false;
  }
  return true;
}

const prfs = new WeakMap<Uint8Array, Prf>();

function prfOf(key: Uint8Array): Prf {
  let prf = prfs.get(key);
  if (!prf) prfs.set(key, prf = new Prf(key));
  return prf;
}

function first(data: LocaleData, rng: Rng): string {
  return data.pick(rng, "person.first_name");
}

function last(data: LocaleData, rng: Rng): string {
  return generate(data, rng, "person.last_name");
}

const orders = new Map<string, string>();

/** The locale's plain "first last" pattern (or "last first", "lastfirst"), without titles. */
function nameOrder(data: LocaleData): string {
  let got = orders.get(data.name);
  if (got === undefined) {
    const plain = data.list("person.name")
      .map((e) => (typeof e === "string" ? e : (e as { value: string }).value))
      .find((p) => /firstName/.test(p) && /lastName/.test(p) && !/prefix|suffix|middle/i.test(p));
    got = plain ?? "{{person.firstName}} {{person.lastName}}";
    orders.set(data.name, got);
  }
  return got;
}

const FIRST = /\{\{\s*person\.firstName\s*\}\}/;
const LAST = /\{\{\s*person\.lastName\s*\}\}/;

/** A name order cut around its references: first name, then last name when `hasLast`. */
interface SplitOrder {
  before: string;
  between: string;
  hasLast: boolean;
  after: string;
}

const splitOrders = new Map<string, SplitOrder | null>();

/**
 * `order` cut at its first-name reference and, after it, its first last-name reference; null when
 * there is no first-name reference or a brace comes before it. Then no other reference can form
 * across the inserted first name, and the cut gives what the two replaces give.
 */
function splitOrder(order: string): SplitOrder | null {
  let got = splitOrders.get(order);
  if (got === undefined) {
    got = null;
    const f = FIRST.exec(order);
    if (f !== null && !/[{}]/.test(order.slice(0, f.index))) {
      const rest = order.slice(f.index + f[0].length);
      const l = LAST.exec(rest);
      got = l === null ? { before: order.slice(0, f.index), between: rest, hasLast: false, after: "" } : {
        before: order.slice(0, f.index),
        between: rest.slice(0, l.index),
        hasLast: true,
        after: rest.slice(l.index + l[0].length),
      };
    }
    splitOrders.set(order, got);
  }
  return got;
}

function fullWith(data: LocaleData, rng: Rng): string {
  const f = first(data, rng);
  const l = last(data, rng);
  const order = nameOrder(data);
  const split = splitOrder(order);
  // The cut order gives what the two replaces give as long as neither name holds a replacement
  // pattern ($) and the first name no brace: the regexes were a third of fake.full_name's cost.
  if (split !== null && !/[${}]/.test(f) && !l.includes("$")) {
    const { before, between, hasLast, after } = split;
    return (hasLast ? before + f + between + l + after : before + f + between).trim();
  }
  return order.replace(FIRST, f).replace(LAST, l).trim();
}

/**
 * The fake first name for `input` under `key` (a 32-byte subkey). Equal after {@link normalizeName}
 * gives equal output. The locale's data must be loaded already (`await LocaleData.load(locale)`, or
 * any `fake.*` masker built for it).
 */
export function fakeFirstName(key: Uint8Array, input: string, locale = "en"): string {
  return first(LocaleData.of(locale), prfOf(key).rng(TWEAK_FIRST, normalizeName(input)));
}

/** The fake last name for `input` under `key`; see {@link fakeFirstName}. */
export function fakeLastName(key: Uint8Array, input: string, locale = "en"): string {
  return last(LocaleData.of(locale), prfOf(key).rng(TWEAK_LAST, normalizeName(input)));
}

/** The fake full name for `input` under `key`, in the locale's name order; see {@link fakeFirstName}. */
export function fakeFullName(key: Uint8Array, input: string, locale = "en"): string {
  return fullWith(LocaleData.of(locale), prfOf(key).rng(TWEAK_FULL, normalizeName(input)));
}

function nameStrategy(
  name: string,
  description: string,
  tweak: number,
  pick: (data: LocaleData, rng: Rng) => string,
  suggest: StrategyMeta["suggest"] = [],
): StrategyDefinition<LocaleOnlyParams> {
  return localeStrategy({
    name,
    description,
    suggest,
    examples: [
      { input: "John Smith", note: "same output for JOHN SMITH and john  smith" },
      { params: { locale: "de" }, input: "Anna Müller" },
    ],
    make: ({ prf, data }) => (v) => pick(data, prf.rng(tweak, normalizeName(v))),
  });
}

/** The `fake.first_name` strategy. */
export const fakeFirstNameStrategy: StrategyDefinition<LocaleOnlyParams> = nameStrategy(
  "fake.first_name",
  "Writes a first name of the locale, the same for the same (normalised) input",
  TWEAK_FIRST,
  first,
  [{ columnName: "^(first|given|fore)_?name$", families: ["string"], rank: 1 }],
);

/** The `fake.last_name` strategy. */
export const fakeLastNameStrategy: StrategyDefinition<LocaleOnlyParams> = nameStrategy(
  "fake.last_name",
  "Writes a last name of the locale, the same for the same (normalised) input",
  TWEAK_LAST,
  last,
  [{ columnName: "^(last|family|sur)_?name$", families: ["string"], rank: 2 }],
);

/** The `fake.full_name` strategy. */
export const fakeFullNameStrategy: StrategyDefinition<LocaleOnlyParams> = nameStrategy(
  "fake.full_name",
  "Writes a full name in the locale's name order, the same for the same (normalised) input",
  TWEAK_FULL,
  fullWith,
  [{ columnName: "^(full_?)?name$|^contact_?name$", families: ["string"], rank: 3 }],
);
