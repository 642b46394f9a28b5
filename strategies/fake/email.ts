/**
 * `fake.email`: a realistic address (`first.last@example.com`) chosen from the key and the input
 * (case-folded, so `Alice@X.com` and `alice@x.com` agree). The domain is one of the reserved example
 * domains unless `email_domain` is given, so masked addresses are never deliverable. With `unique: true` the
 * local part ends with an injective token of the input.
 *
 * @module
 */
import { z } from "zod";
import { asciiFold, createFake, localeParam, withToken } from "./_common.ts";
import { LocaleData } from "./locale.ts";
import type { Rng } from "../keyed/_prf.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  locale: localeParam,
  email_domain: z.string().regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i,
    "must be a domain name",
  )
    .optional().describe("Domain of every address; default one of example.com, example.net, example.org"),
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
    keyed: true,
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
      make: ({ prf, data, token, max }) => (v) => {
        const input = v.trim().toLowerCase();
        const rng = prf.rng(TWEAK, input);
        const domain = fixed ?? rng.pick(EXAMPLE_DOMAINS);
        let local = localPart(data, rng);
        const room = max === null ? null : max - domain.length - 1;
        if (token !== null) local = withToken(local, ".", token.encode(v), room);
        else if (room !== null && local.length > room) {
          local = local.slice(0, room).replace(/[._]+$/, "") || "x";
        }
        return `${local}@${domain}`;
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
