/**
 * `fake.ip`: an IP address of the same family. IPv4 addresses are permuted over all 2^32 addresses
 * and IPv6 over all 2^128 under the key, so the map is a bijection; a `/prefix` suffix is kept. Text
 * that is no IP address gets a generated IPv4 address.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../../errors.ts";
import { columnLabel } from "../_column.ts";
import { createFake, localeParams } from "./_common.ts";
import { IntegerPermutation, Permutation128 } from "../keyed/_permutation.ts";
import { StrategyParamsError } from "../errors.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({ ...localeParams });
type Params = z.infer<typeof params>;
const TWEAK = 0x50;

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The 32-bit value of a dotted IPv4 address, or -1. */
export function parseV4(s: string): number {
  const m = V4.exec(s);
  if (!m) return -1;
  let x = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return -1;
    x = x * 256 + o;
  }
  return x;
}

function formatV4(x: number): string {
  return `${Math.floor(x / 16777216)}.${Math.floor(x / 65536) % 256}.${Math.floor(x / 256) % 256}.${x % 256}`;
}

/** The eight 16-bit groups of an IPv6 address, or null. */
export function parseV6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split("::").length > 2) return null;
  let tail: number[] = [];
  let text = s;
  const dotted = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (dotted) {
    const x = parseV4(dotted[1]);
    if (x < 0) return null;
    tail = [Math.floor(x / 65536), x % 65536];
    text = text.slice(0, -dotted[1].length);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const [head, rest] = text.includes("::") ? text.split("::") : [text, null];
  const parse = (
    part: string,
  ) => (part === ""
    ? []
    : part.split(":").map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const a = parse(head), b = rest === null ? [] : parse(rest);
  const groups = rest === null
    ? [...a, ...tail]
    : [...a, ...new Array(8 - a.length - b.length - tail.length).fill(0), ...b, ...tail];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return null;
  return groups;
}

/** The `fake.ip` strategy. */
export const fakeIp = {
  meta: {
    name: "fake.ip",
    suggest: [{ columnName: "(^|_)ip(_?addr(ess)?)?$", families: ["string"], rank: 14 }, {
      families: ["network"],
      rank: 0,
    }],
    description: "Writes an IP address of the same family (keyed permutation of the address space)",
    columnTypes: ["string", "network"],
    deterministic: true,
    reproduces: "pool",
    unique: true,
    keyed: true,
    examples: [{ input: "192.0.2.10" }, { input: "2001:db8::1" }],
  },
  params,
  create(init) {
    if (init.column.family === "network" && init.column.baseType !== "inet") {
      throw new StrategyParamsError(
        `Cannot use fake.ip on ${
          columnLabel(init.column)
        } as it writes host addresses, not ${init.column.type} values`,
        { hint: "use keep or redact for cidr and MAC address columns" },
      );
    }
    return createFake<Params>({
      name: "fake.ip",
      families: ["string", "network"],
      minLength: 15,
      make: ({ prf, token, column }) => {
        const v4 = new IntegerPermutation(prf, { size: 2 ** 32, tweak: TWEAK });
        const v6 = new Permutation128(prf, TWEAK + 1);
        return (v) => {
          const slash = v.indexOf("/");
          const addr = slash === -1 ? v : v.slice(0, slash), suffix = slash === -1 ? "" : v.slice(slash);
          const x = parseV4(addr);
          if (x >= 0) return formatV4(v4.permute(x)) + suffix;
          const g = parseV6(addr);
          if (g !== null) {
            const w = v6.permute([
              g[0] * 65536 + g[1],
              g[2] * 65536 + g[3],
              g[4] * 65536 + g[5],
              g[6] * 65536 + g[7],
            ]);
            return w.map((x) => `${(x >>> 16).toString(16)}:${(x & 0xffff).toString(16)}`).join(":") + suffix;
          }
          if (token !== null) {
            throw new PrivaciError(
              "STRATEGY_FAILED",
              `Cannot mask a value of ${columnLabel(column)} uniquely as an IP address: it is not one`,
              { hint: "drop 'unique: true' to replace such values with generated addresses" },
            );
          }
          const rng = prf.rng(TWEAK + 2, v);
          return formatV4(rng.next());
        };
      },
    }, init);
  },
} satisfies StrategyDefinition<Params>;
