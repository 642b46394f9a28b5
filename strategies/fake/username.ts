/**
 * `fake.username`: a realistic login (`jsmith42`, `anna_muller`) chosen from the key and the
 * case-folded input. With `unique: true` it is a full name followed by a keyed number
 * (`emily_j_oconnell47291`), checked for collisions over the column, or with `unique_suffix: token` ends
 * with `_` and an injective token of the input.
 *
 * @module
 */
import { z } from "zod";
import { COLLISION_HINT, createFake, localeParams, uniqueSuffixParams, withToken } from "./_common.ts";
import { asciiNameParts, uniqueName, withSuffix } from "./email.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ ...localeParams, ...uniqueSuffixParams });
type Params = z.infer<typeof params>;
const TWEAK = 0x21;
const SEPARATORS = ["_", ".", ""];

/** The `fake.username` strategy. */
export const fakeUsername = {
  meta: {
    name: "fake.username",
    suggest: [{ columnName: "user_?name|login", families: ["string"], rank: 16 }],
    description: "Writes a realistic username built from a fake name",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    collisionHint: COLLISION_HINT,
    keyed: true,
    details:
      "With `unique: true` a username is a whole first and last name (perhaps a middle initial) and a " +
      "keyed number of up to `suffix_digits` digits (`emily_j_oconnell47291`), checked for collisions as " +
      "`fake.email` describes: a collision stops the run with `STRATEGY_COLLISION` (with the default 5 " +
      "digits, 1,000,000 distinct usernames collide under about one key in 25); `unique_suffix: token` " +
      "gives the injective token form instead.",
    examples: [{ input: "alice_w" }],
  },
  params,
  create(init) {
    return createFake<Params>({
      name: "fake.username",
      minLength: 1,
      make: ({ prf, data, token, suffix, max }) => (v) => {
        const input = v.trim().toLowerCase();
        const rng = prf.rng(TWEAK, input);
        if (suffix !== null) return withSuffix(uniqueName(data, rng, SEPARATORS), suffix(v), max);
        const [first, last] = asciiNameParts(data, rng);
        let name: string;
        switch (rng.below(4)) {
          case 0:
            name = `${first[0]}${last}${rng.int(1, 99)}`;
            break;
          case 1:
            name = `${first}_${last}`;
            break;
          case 2:
            name = `${first}.${last}`;
            break;
          default:
            name = `${first}${rng.int(1, 9999)}`;
        }
        return token !== null ? withToken(name, "_", token.encode(v), max) : name;
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
