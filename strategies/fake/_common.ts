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
import { InjectiveToken } from "../keyed/_injective.ts";
import { memoMasker } from "../_memo.ts";
import { Prf } from "../keyed/_prf.ts";
import { LocaleData, LOCALES } from "./locale.ts";
import type { ColumnInfo, ColumnMasker, StrategyInit, TypeFamily } from "../types.ts";

/** The `locale` param of every `fake.*` strategy. */
export const localeParam = z.enum(LOCALES).default("en").describe(
  "Locale of the fake data: en, de, fr, es, it, nl, pt, pl, ja, zh, or any @faker-js/faker locale name",
);

/** What a fake strategy's value function gets once per column. */
export interface FakeContext<P> {
  params: P;
  column: ColumnInfo;
  prf: Prf;
  data: LocaleData;
  /** The injective token when the policy asks `unique: true`, else null. */
  token: InjectiveToken | null;
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

/** The `create` of a fake strategy; loads the locale's data the first time it is used. */
export async function createFake<P extends { locale: string }>(
  spec: FakeSpec<P>,
  init: StrategyInit<P>,
): Promise<ColumnMasker> {
  const { column, params } = init;
  requireFamily(spec.name, column, spec.families ?? ["string"]);
  const key = requireKey(spec.name, init.key);
  requireLength(spec.name, column, spec.minLength);
  const prf = new Prf(key);
  const data = await LocaleData.load(params.locale);
  const ctx: FakeContext<P> = {
    params,
    column,
    prf,
    data,
    token: init.unique ? new InjectiveToken(prf, TOKEN_TWEAK) : null,
    max: column.maxLength,
  };
  const fn = spec.make(ctx);
  const max = column.maxLength;
  if (max === null) return memoMasker(fn);
  if (!init.unique) return memoMasker((v) => fit(fn(v), max));
  return memoMasker((v) => {
    const out = fn(v);
    if (charLength(out) > max) throw tooLongForUnique(spec.name, column);
    return out;
  });
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
