/**
 * The shape every `fake.*` strategy shares: a `locale` param, the key check, the column checks,
 * per-column memoisation and fitting to `varchar(n)`. A unique value is never cut: it either fits by
 * shortening its realistic part or the value fails with a clear error.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../../errors.ts";
import { charLength, columnLabel, fit, requireFamily, requireKey, requireLength } from "../_column.ts";
import { CollisionCheck, MAX_CHECKED } from "../keyed/_collisions.ts";
import { InjectiveToken } from "../keyed/_injective.ts";
import { memoMasker } from "../_memo.ts";
import { Prf } from "../keyed/_prf.ts";
import { LocaleData, LOCALES } from "./locale.ts";
import { rowLocaleMasker } from "./_row_locale.ts";
import { StrategyParamsError } from "../errors.ts";
import type { ColumnInfo, ColumnMasker, StrategyInit, TypeFamily } from "../types.ts";

/** The `locale` param of every `fake.*` strategy. */
export const localeParam = z.enum(LOCALES).default("en").describe(
  "Locale of the fake data: en, de, fr, es, it, nl, pt, pl, ja, zh, or any @faker-js/faker locale name",
);

/** The `locale_from` param of every `fake.*` strategy. */
export const localeFromParam = z.string().min(1).optional().describe(
  "Column of the same row holding a country or locale (DE, de_AT, de-CH, Germany): each row gets that " +
    "country's locale; a value naming none gets `locale`",
);

/** The locale params of every `fake.*` strategy, to spread into its params schema. */
export const localeParams = { locale: localeParam, locale_from: localeFromParam };

/**
 * The params of fakes whose unique values can stay short (`fake.email`, `fake.username`): a keyed
 * number after the realistic value, every value checked against the others the masker wrote.
 */
export const uniqueSuffixParams = {
  unique_suffix: z.enum(["digits", "token"]).default("digits").describe(
    "With unique: true, digits (the realistic value plus a keyed number of up to suffix_digits digits; " +
      "every value is checked against the others of the column and a collision stops the run) or token " +
      "(an injective token of the input: unique by construction, but long)",
  ),
  suffix_digits: z.int().min(2).max(12).default(5).describe(
    "Most digits of the unique suffix; each one more makes collisions ten times rarer",
  ),
};

/** The params {@link uniqueSuffixParams} adds, as a fake's params type holds them. */
interface UniqueSuffix {
  unique_suffix?: "digits" | "token";
  suffix_digits?: number;
}

/** What a fake strategy's value function gets once per column. */
export interface FakeContext<P> {
  params: P;
  column: ColumnInfo;
  prf: Prf;
  data: LocaleData;
  /** The injective token when the policy asks `unique: true` (and no short suffix), else null. */
  token: InjectiveToken | null;
  /**
   * With `unique: true` and `unique_suffix: digits`, the keyed number to append to the realistic value
   * (unique with high probability; the masker checks), else null.
   */
  suffix: ((value: string) => string) | null;
  /** The column's length limit. */
  max: number | null;
}

/** How one fake strategy is built. */
export interface FakeSpec<P> {
  name: string;
  /** Column families it writes; `["string"]` when omitted. */
  families?: readonly TypeFamily[];
  /** The shortest value it can write. */
  minLength: number;
  /** Builds the per-value function for one column. */
  make(ctx: FakeContext<P>): (value: string) => string;
}

/** Tweak of the injective token; value functions use tweaks below it. */
export const TOKEN_TWEAK = 0xf0;
/** Tweaks of the short unique suffix and of its collision check (two bytes). */
const SUFFIX_TWEAK = 0xf8, CHECK_TWEAK = 0xf9;

/**
 * The `create` of a fake strategy; loads the locale's data the first time it is used. With
 * `locale_from`, each row's locale comes from that column (see `_row_locale.ts`).
 */
export async function createFake<P extends { locale: string; locale_from?: string } & UniqueSuffix>(
  spec: FakeSpec<P>,
  init: StrategyInit<P>,
): Promise<ColumnMasker> {
  if (init.params.locale_from === undefined) return await fakeMasker(spec, init, init.params.locale);
  if (init.unique && init.params.unique_suffix === "digits") {
    throw new StrategyParamsError(
      `Cannot use ${spec.name} with locale_from and unique: true on ${columnLabel(init.column)}: ` +
        "values of different locales are not checked against each other",
      { hint: "add unique_suffix: token (unique by construction), or drop locale_from" },
    );
  }
  return await rowLocaleMasker(init.params, (locale) => fakeMasker(spec, init, locale));
}

/** The masker of a fake strategy for one locale. */
async function fakeMasker<P extends { locale: string } & UniqueSuffix>(
  spec: FakeSpec<P>,
  init: StrategyInit<P>,
  locale: string,
): Promise<ColumnMasker> {
  const { column, params } = init;
  requireFamily(spec.name, column, spec.families ?? ["string"]);
  const key = requireKey(spec.name, init.key);
  const short = init.unique && params.unique_suffix === "digits";
  // A short unique value needs room for its number too.
  requireLength(spec.name, column, spec.minLength + (short ? params.suffix_digits ?? 5 : 0));
  const prf = new Prf(key);
  const data = await LocaleData.load(locale);
  const ctx: FakeContext<P> = {
    params,
    column,
    prf,
    data,
    token: init.unique && !short ? new InjectiveToken(prf, TOKEN_TWEAK) : null,
    suffix: short ? keyedSuffix(prf, params.suffix_digits ?? 5) : null,
    max: column.maxLength,
  };
  const fn = spec.make(ctx);
  const max = column.maxLength;
  if (short) return checkedMasker(fn, spec.name, column, new CollisionCheck(prf, CHECK_TWEAK));
  if (max === null) return memoMasker(fn);
  if (!init.unique) return memoMasker((v) => fit(fn(v), max));
  return memoMasker((v) => {
    const out = fn(v);
    if (charLength(out) > max) throw tooLongForUnique(spec.name, column);
    return out;
  });
}

/** A keyed number of 1 to `digits` digits for each input (its exact, case-sensitive text). */
function keyedSuffix(prf: Prf, digits: number): (value: string) => string {
  const bound = 10 ** digits;
  return (v) => {
    const lo = prf.string(SUFFIX_TWEAK, v);
    return String(((prf.hi >>> 11) * 4294967296 + lo) % bound);
  };
}

/**
 * A masker for values unique with high probability: each output fits the column and is checked against
 * every output this masker wrote before (in bounded memory); one that another input gave stops the
 * masking with an error naming the column.
 *
 * On a column the source declares unique, the target's unique index is the backstop: the table may be
 * split across masking workers (each checks its share), and past {@link MAX_CHECKED} values the masker
 * stops remembering rather than failing. On any other column the masker must see the whole column (its
 * table is never split across workers), and a column with more values than it can check fails closed.
 */
function checkedMasker(
  fn: (value: string) => string,
  strategy: string,
  column: ColumnInfo,
  check: CollisionCheck,
): ColumnMasker {
  const max = column.maxLength;
  const indexed = column.unique;
  const memo = memoMasker((v) => {
    const out = fn(v);
    if (max !== null && charLength(out) > max) throw tooLongForUnique(strategy, column);
    const found = check.add(out, v);
    if (found === "collision") throw collision(strategy, column);
    if (found === "full" && !indexed) throw tooManyToCheck(strategy, column);
    return out;
  });
  return {
    mask: memo.mask,
    ...(indexed ? {} : { wholeColumn: true }),
    close() {
      memo.close?.();
      check.clear();
    },
  };
}

/** What to change when two values of a short unique suffix collide (the strategies' `collisionHint`). */
export const COLLISION_HINT = "raise suffix_digits (each digit makes a collision ten times rarer), or set " +
  "unique_suffix: token (unique by construction, longer values)";

function collision(strategy: string, column: ColumnInfo): PrivaciError {
  return new PrivaciError(
    "STRATEGY_COLLISION",
    `Cannot write unique ${strategy} values into ${
      columnLabel(column)
    }: two distinct source values gave the same value (its short unique suffix collided)`,
    { hint: COLLISION_HINT },
  );
}

function tooManyToCheck(strategy: string, column: ColumnInfo): PrivaciError {
  return new PrivaciError(
    "STRATEGY_COLLISION",
    `Cannot check more than ${MAX_CHECKED} distinct ${strategy} values of ${
      columnLabel(column)
    } for collisions: the check would hold too much memory`,
    {
      hint: "give the column a unique index in the source and the target (the database then checks), or " +
        "set unique_suffix: token on every column sharing this rule (unique by construction)",
    },
  );
}

/** The error for a unique value that cannot fit the column without losing uniqueness. */
export function tooLongForUnique(strategy: string, column: ColumnInfo): PrivaciError {
  return new PrivaciError(
    "STRATEGY_INVALID_OUTPUT",
    `Cannot write a unique ${strategy} value into ${
      columnLabel(column)
    }: a source value is too long for ${column.type} to hold its unique form`,
    { hint: "widen the column in the target, or drop 'unique: true' for this column" },
  );
}

/**
 * `realistic + sep + token`, shortening the realistic part (down to nothing) to fit `max`. Injective
 * as long as `sep` never occurs in a token: the token is whatever follows the last `sep`.
 */
export function withToken(realistic: string, sep: string, token: string, max: number | null): string {
  const full = realistic + sep + token;
  if (max === null || charLength(full) <= max) return full;
  const room = max - token.length - sep.length;
  if (room <= 0) return token;
  return fit(realistic, room) + sep + token;
}

/** Folds a name to lowercase ASCII letters and digits (accents dropped), for e-mails and usernames. */
export function asciiFold(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss").replace(
    /[^a-z0-9]/g,
    "",
  );
}
