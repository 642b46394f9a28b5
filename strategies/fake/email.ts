/**
 * `fake.email`: a realistic address (`first.last@example.com`) chosen from the key and the input
 * (case-folded, so `Alice@X.com` and `alice@x.com` agree). The domain is one of the reserved example
 * domains unless `email_domain` is given, so masked addresses are never deliverable. With `unique: true` the
 * local part is a full name followed by a keyed number (`emily.j.oconnell47291@example.net`), checked for
 * collisions over the column, or with `unique_suffix: token` ends with an injective token of the input.
 *
 * @module
 */
import { z } from "zod";
import {
  asciiFold,
  COLLISION_HINT,
  createFake,
  localeParams,
  uniqueSuffixParams,
  withToken,
} from "./_common.ts";
import { LocaleData } from "./locale.ts";
import type { Rng } from "../keyed/_prf.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  ...localeParams,
  email_domain: z.string().regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i,
    "must be a domain name",
  )
    .optional().describe("Domain of every address; default one of example.com, example.net, example.org"),
  ...uniqueSuffixParams,
});
type Params = z.infer<typeof params>;

const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"];
const TWEAK = 0x20;

const foldedLists = new WeakMap<readonly unknown[], readonly string[]>();

/** The entries at `path` folded to ASCII (empty ones dropped), computed once per locale. */
function folded(data: LocaleData, path: string): readonly string[] {
  const list = data.list(path);
  let got = foldedLists.get(list);
  if (!got) foldedLists.set(list, got = list.map((e) => asciiFold(String(e))).filter((e) => e.length > 0));
  return got;
}

/** Two ASCII name parts for an address; locales without Latin names fall back to English names. */
export function asciiNameParts(data: LocaleData, rng: Rng): [string, string] {
  let firsts = folded(data, "person.first_name"), lasts = folded(data, "person.last_name");
  if (firsts.length < 20 || lasts.length < 20) {
    const en = LocaleData.of("en");
    firsts = folded(en, "person.first_name");
    lasts = folded(en, "person.last_name");
  }
  return [rng.pick(firsts), rng.pick(lasts)];
}

function localPart(data: LocaleData, rng: Rng): string {
  const [first, last] = asciiNameParts(data, rng);
  switch (rng.below(5)) {
    case 0:
      return `${first}.${last}`;
    case 1:
      return `${first}_${last}`;
    case 2:
      return `${first[0]}.${last}`;
    case 3:
      return `${first}${last}${rng.int(1, 99)}`;
    default:
      return `${first}.${last}${rng.int(1, 9999)}`;
  }
}

const SEPARATORS = [".", "_", ""];
const MIDDLE = ["", ..."abcdefghijklmnopqrstuvwxyz"];

/**
 * The name of a unique value: whole first and last names, a separator and perhaps a middle initial
 * (`emily.j.oconnell`), about 1.2 × 10^8 equally likely names in English, so that a short number after
 * it makes collisions rare.
 */
export function uniqueName(data: LocaleData, rng: Rng, separators: readonly string[] = SEPARATORS): string {
  const [first, last] = asciiNameParts(data, rng);
  const sep = rng.pick(separators), middle = rng.pick(MIDDLE);
  return middle === "" ? `${first}${sep}${last}` : `${first}${sep}${middle}${sep}${last}`;
}

/**
 * `name + suffix`, the name shortened (never below one character, separators at its end dropped) to
 * fit `room`; the caller's length check refuses what still does not fit.
 */
export function withSuffix(name: string, suffix: string, room: number | null): string {
  if (room === null || name.length + suffix.length <= room) return name + suffix;
  const cut = name.slice(0, Math.max(1, room - suffix.length)).replace(/[._]+$/, "");
  return (cut || name[0]) + suffix;
}

/** The `fake.email` strategy. */
export const fakeEmail = {
  meta: {
    name: "fake.email",
    suggest: [{ columnName: "e_?mail", families: ["string"], rank: 0 }],
    description: "Writes a realistic e-mail address at a reserved example domain (or the domain given)",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    collisionHint: COLLISION_HINT,
    keyed: true,
    details:
      "With `unique: true` an address is the normal fake with a whole first and last name (perhaps a " +
      "middle initial) and a keyed number of up to `suffix_digits` digits " +
      "(`emily.j.oconnell47291@example.net`), the name shortened to fit `varchar(n)`. Such values are " +
      "unique with high probability, not by construction, so the masker checks them: it remembers a " +
      "keyed fingerprint of every address it wrote, in bounded memory (24 bytes per distinct value, at " +
      "most 1,048,576 values: 24 MiB per masking thread), and stops the run with `STRATEGY_COLLISION` " +
      "naming the column when an address comes back from another source value. On a column the source " +
      "declares unique (a primary key, a unique constraint or index), the target's unique index is the " +
      "backstop for what one thread cannot see: the table may be split across masking workers, past " +
      "1,048,576 values the masker stops remembering, and a collision there fails the table's load with " +
      "the unique violation (`schema: copy` builds the index; a target made by hand needs it too). Any " +
      "other column is masked on one thread, never split across workers, and fails closed with " +
      "`STRATEGY_COLLISION` past 1,048,576 distinct values. The outcome depends only on the key and the " +
      "data, so a collision recurs until fixed: raise `suffix_digits` (with the default 5, a column of " +
      "1,000,000 distinct English addresses collides under about one key in 70, one of 100,000 under one " +
      "key in 7,000; each digit more makes it ten times rarer) or set `unique_suffix: token`, unique by " +
      "construction with an injective token of the input (`c.zieme.oxt2bkdl…@example.net`, as long as " +
      "the input needs). Runs split with `--shard`, or resumed, check only the values they mask, so the " +
      "run's finish checks the column in the target once every unit is loaded (unless a unique index of " +
      "its own covers it) and fails closed with `STRATEGY_COLLISION` naming the column and the counts. " +
      "Both ends of a foreign key must agree on `unique` and these params.",
    examples: [
      { input: "alice@corp.example" },
      { params: { email_domain: "test.invalid" }, input: "bob@corp.example" },
    ],
  },
  params,
  create(init) {
    const fixed = init.params.email_domain?.toLowerCase();
    const minDomain = fixed ?? "example.com";
    return createFake<Params>({
      name: "fake.email",
      minLength: minDomain.length + 2,
      make: ({ prf, data, token, suffix, max }) => (v) => {
        const input = v.trim().toLowerCase();
        const rng = prf.rng(TWEAK, input);
        const domain = fixed ?? rng.pick(EXAMPLE_DOMAINS);
        const room = max === null ? null : max - domain.length - 1;
        if (suffix !== null) return `${withSuffix(uniqueName(data, rng), suffix(v), room)}@${domain}`;
        let local = localPart(data, rng);
        if (token !== null) local = withToken(local, ".", token.encode(v), room);
        else if (room !== null && local.length > room) {
          local = local.slice(0, room).replace(/[._]+$/, "") || "x";
        }
        return `${local}@${domain}`;
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
