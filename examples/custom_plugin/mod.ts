/**
 * An example plugin to copy: `@acme/customer-code` masks in-house customer codes such as `CUS-004217`.
 * The letters and separators stay, the digits are replaced by digits derived from the value and the
 * plugin's key, so the same code masks the same way in every table (foreign keys still join).
 *
 * Outside this repository, map the SDK in your deno.json: `"@privaci/cli/plugin": "jsr:@privaci/cli/plugin"`.
 * Then: `privaci plugin sign mod.ts --key acme.key --out dist` and publish `dist/` (see docs/plugins.md).
 *
 * @module
 */
import { type Cell, definePlugin } from "@privaci/cli/plugin";

async function digitsFor(key: CryptoKey, value: string, count: number): Promise<string> {
  let out = "";
  for (let round = 0; out.length < count; round++) {
    const data = new TextEncoder().encode(`${round}:${value}`);
    const bytes = new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
    // Rejection sampling keeps every digit equally likely.
    for (const b of bytes) if (b < 250 && out.length < count) out += String(b % 10);
  }
  return out;
}

export default definePlugin({
  name: "@acme/customer-code",
  version: "1.0.0",
  apiVersion: 1,
  privaci: "^0.1",
  strategies: {
    customer_code: {
      description: "Replaces the digits of a customer code with key-derived digits, keeping its letters",
      params: {
        type: "object",
        properties: {
          keep_prefix: {
            type: "integer",
            minimum: 0,
            default: 0,
            description: "leading characters kept as they are",
          },
        },
        additionalProperties: false,
      },
      columnTypes: ["string"],
      deterministic: true,
      keyed: true,
      examples: [{ input: "CUS-004217", note: "becomes CUS- and six other digits" }],
      init(ctx) {
        if (ctx.key === null) throw new TypeError("customer_code needs the policy key");
        return crypto.subtle.importKey(
          "raw",
          ctx.key as Uint8Array<ArrayBuffer>,
          { name: "HMAC", hash: "SHA-256" },
          false,
          [
            "sign",
          ],
        );
      },
      async mask(values: readonly Cell[], ctx) {
        const keep = Number(ctx.params.keep_prefix ?? 0);
        const key = ctx.state as CryptoKey;
        const out: Cell[] = [];
        for (const v of values) {
          if (v === null) {
            out.push(null);
            continue;
          }
          const head = v.slice(0, keep);
          const tail = v.slice(keep);
          const digits = await digitsFor(key, v, tail.replace(/\D/g, "").length);
          let i = 0;
          out.push(head + tail.replace(/\d/g, () => digits[i++]));
        }
        return out;
      },
    },
  },
});
