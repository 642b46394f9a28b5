/**
 * Locale data for the `fake.*` strategies, read from @faker-js/faker's locale definitions as plain
 * data. Values are always chosen by our own keyed generator, never by faker's random state.
 *
 * A locale falls back to `en`, then to faker's `base` definitions, for whatever it lacks.
 *
 * Only the locales a policy uses are loaded: {@link LocaleData.load} (awaited when a masker is built)
 * loads a locale and its fallbacks, after which {@link LocaleData.of} gives it synchronously.
 *
 * @module
 */
import type { Rng } from "../keyed/_prf.ts";
import { type Definitions, FAKER_LOCALES, loadDefinitions, loadedDefinitions } from "./definitions.ts";

/** Short locale names accepted everywhere, and the faker definitions they stand for. */
export const LOCALE_ALIASES = {
  en: "en",
  de: "de",
  fr: "fr",
  es: "es",
  it: "it",
  nl: "nl",
  pt: "pt_PT",
  pl: "pl",
  ja: "ja",
  zh: "zh_CN",
} as const;

/** Every locale name the `locale` param accepts: the short names, then faker's own names. */
export const LOCALES: readonly [string, ...string[]] = [
  ...Object.keys(LOCALE_ALIASES),
  ...FAKER_LOCALES.filter((l) => l !== "base" && !(l in LOCALE_ALIASES)).sort(),
] as [string, ...string[]];

/** The faker locales whose data `name` reads, in order: itself, its language, `en`, `base`. */
function chainOf(name: string): string[] {
  const faker = (LOCALE_ALIASES as Record<string, string>)[name] ?? name;
  const chain = [faker];
  const lang = faker.split("_")[0];
  if (lang !== faker && FAKER_LOCALES.includes(lang)) chain.push(lang);
  if (!chain.includes("en")) chain.push("en");
  chain.push("base");
  return chain;
}

function requireKnown(name: string): void {
  if (!LOCALES.includes(name)) {
    throw new RangeError(`Cannot load locale data as the locale is unknown: "${name}"`);
  }
}

/** A locale's data with its fallbacks, and keyed picks from it. */
export class LocaleData {
  /** The name the policy used. */
  readonly name: string;
  #chain: Definitions[];
  #lists = new Map<string, readonly unknown[]>();

  private constructor(name: string, chain: Definitions[]) {
    this.name = name;
    this.#chain = chain;
  }

  static #cache = new Map<string, LocaleData>();

  /**
   * Loads one locale and its fallbacks (once), then gives its data.
   *
   * @throws {RangeError} for a name not in {@link LOCALES}.
   */
  static async load(name: string): Promise<LocaleData> {
    const got = LocaleData.#cache.get(name);
    if (got) return got;
    requireKnown(name);
    await Promise.all(chainOf(name).map(loadDefinitions));
    return LocaleData.of(name);
  }

  /**
   * The data of one locale already loaded by {@link LocaleData.load} (or as another's fallback).
   *
   * @throws {RangeError} for a name not in {@link LOCALES}.
   * @throws {Error} for a locale not loaded yet.
   */
  static of(name: string): LocaleData {
    let got = LocaleData.#cache.get(name);
    if (!got) {
      requireKnown(name);
      const chain = chainOf(name);
      const defs = chain.map(loadedDefinitions);
      const missing = chain.filter((_, i) => defs[i] === undefined);
      if (missing.length > 0) {
        throw new Error(
          `Cannot use locale "${name}" before its data is loaded (${missing.join(", ")}): ` +
            `await LocaleData.load("${name}") first`,
        );
      }
      LocaleData.#cache.set(name, got = new LocaleData(name, defs as Definitions[]));
    }
    return got;
  }

  /** The raw definition at a dotted path (`person.first_name`), from the first locale that has it. */
  raw(path: string): unknown {
    const parts = path.split(".");
    for (const defs of this.#chain) {
      let node: unknown = defs;
      for (const p of parts) {
        node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[p] : undefined;
      }
      if (node !== undefined && node !== null) return node;
    }
    return undefined;
  }

  /** True when some locale in the chain defines `path`. */
  has(path: string): boolean {
    return this.raw(path) !== undefined;
  }

  /**
   * The entries at `path` as one list: an array as is, an object of arrays (`generic`, `female`,
   * `male`) as their union without repeats, an object of strings as its values.
   */
  list(path: string): readonly unknown[] {
    let got = this.#lists.get(path);
    if (got) return got;
    const raw = this.raw(path);
    if (Array.isArray(raw)) got = raw;
    else if (typeof raw === "string") got = [raw];
    else if (raw !== null && typeof raw === "object") {
      const values = Object.values(raw as Record<string, unknown>);
      got = [...new Set(values.flatMap((v) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : [])))];
    } else got = [];
    this.#lists.set(path, got);
    return got;
  }

  /** One entry of `path` (weighted entries honour their weights), or `""` when there is none. */
  pick(rng: Rng, path: string): string {
    const list = this.list(path);
    if (list.length === 0) return "";
    const first = list[0];
    if (first !== null && typeof first === "object" && "weight" in first) {
      const entries = list as readonly { value: string; weight: number }[];
      let total = 0;
      for (const e of entries) total += e.weight;
      let at = rng.below(total);
      for (const e of entries) {
        if (at < e.weight) return e.value;
        at -= e.weight;
      }
      return entries[entries.length - 1].value;
    }
    return String(rng.pick(list));
  }
}
