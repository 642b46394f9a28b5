/**
 * `email.domain_keep`: replaces the local part of an address with a keyed pseudonym (a fake
 * `first.last`) and keeps the domain, so per-domain statistics survive. With `unique: true` the local
 * part ends with an injective token of the input's local part, which makes the whole map injective
 * (the domain is kept). A value without `@` is treated as a bare local part.
 *
 * @module
 */
import { z } from "zod";
import { createFake, localeParam, withToken } from "../fake/_common.ts";
import { asciiNameParts } from "../fake/email.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ locale: localeParam });
type Params = z.infer<typeof params>;
const TWEAK = 0x22;

/** The `email.domain_keep` strategy. */
export const emailDomainKeep = {
  meta: {
    name: "email.domain_keep",
    description: "Replaces the local part of an e-mail address with a pseudonym and keeps the domain",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    keyed: true,
    examples: [{ input: "alice.smith@corp.example", note: "…@corp.example" }],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "email.domain_keep",
      minLength: 3,
      make: ({ prf, data, token, max }) => (v) => {
        const at = v.lastIndexOf("@");
        const local = at === -1 ? v : v.slice(0, at), domain = at === -1 ? "" : v.slice(at);
        const rng = prf.rng(TWEAK, local.trim().toLowerCase());
        const [first, last] = asciiNameParts(data, rng);
        const fake = `${first}.${last}`;
        const room = max === null ? null : Math.max(1, max - domain.length);
        if (token !== null) return withToken(fake, ".", token.encode(local), room) + domain;
        return (room !== null && fake.length > room ? fake.slice(0, room).replace(/\.+$/, "") || "x" : fake) +
          domain;
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
