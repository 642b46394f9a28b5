/**
 * Loads one @faker-js/faker locale's own definitions, on demand, so a process holds only the locales
 * its policy uses (all of them together take tens of MiB in every thread that masks).
 *
 * A faker locale module holds its locale already merged with faker's fallbacks (`de` with `en` and
 * `base`): the entries the locale defines itself are those that are not the very same values as in
 * the module of the locale it falls back to first. A plain string (as in `metadata`) cannot be told
 * apart that way and is kept: the locale's own or not, it is the value faker's merge chose for it.
 * A test checks, for every locale and every entry, that lookups give what `allLocales` gives.
 *
 * @module
 */
import { FAKER_LOCALE_MODULES } from "./_locale_modules.ts";

/** A locale's definitions: category, then entry. */
export type Definitions = Record<string, Record<string, unknown>>;

/** Every faker locale name (`base` included), without loading any. */
export const FAKER_LOCALES: readonly string[] = Object.keys(FAKER_LOCALE_MODULES);

const loaded = new Map<string, Definitions>();
const loading = new Map<string, Promise<Definitions>>();

/**
 * The locale faker falls back to first from `name`: its longest proper prefix that is a locale
 * (`en_AU` for `en_AU_ocker`, `de` for `de_AT`), else `en`, else `base`; null for `base`.
 */
export function fakerParent(name: string): string | null {
  if (name === "base") return null;
  const parts = name.split("_");
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = parts.slice(0, n).join("_");
    if (prefix in FAKER_LOCALE_MODULES) return prefix;
  }
  return name === "en" ? "base" : "en";
}

async function merged(name: string): Promise<Definitions> {
  const load = FAKER_LOCALE_MODULES[name];
  if (!load) throw new RangeError(`Cannot load faker locale data as faker has no locale "${name}"`);
  return (await load()).faker.rawDefinitions as Definitions;
}

async function ownOf(name: string): Promise<Definitions> {
  const parent = fakerParent(name);
  const [mine, theirs] = await Promise.all([merged(name), parent === null ? null : merged(parent)]);
  const own: Definitions = {};
  for (const [category, entries] of Object.entries(mine)) {
    const inherited = theirs?.[category];
    let kept: Record<string, unknown> | null = null;
    for (const [entry, value] of Object.entries(entries)) {
      const shared = typeof value === "object" && value !== null && inherited?.[entry] === value;
      if (shared) continue;
      (kept ??= {})[entry] = value;
    }
    if (kept) own[category] = kept;
  }
  loaded.set(name, own);
  return own;
}

/**
 * Loads the own definitions of the faker locale `name` (once; later calls share the first load).
 *
 * @throws {RangeError} for a name faker does not have.
 */
export function loadDefinitions(name: string): Promise<Definitions> {
  const done = loaded.get(name);
  if (done) return Promise.resolve(done);
  let pending = loading.get(name);
  if (!pending) {
    pending = ownOf(name);
    loading.set(name, pending);
    pending.catch(() => loading.delete(name));
  }
  return pending;
}

/** The own definitions of the faker locale `name` once {@link loadDefinitions} has loaded them. */
export function loadedDefinitions(name: string): Definitions | undefined {
  return loaded.get(name);
}

/** The faker locales loaded so far. */
export function loadedLocales(): string[] {
  return [...loaded.keys()];
}
