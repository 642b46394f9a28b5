/**
 * `@privaci/nhs`: a first-party example plugin. `nhs_number` replaces a UK NHS number with another
 * well-formed one (valid mod-11 check digit), derived from the value and the plugin's key, so the same
 * number masks the same way across tables and runs. By default every output starts with 999, a range
 * the NHS never issues, so a masked number can never be a real patient's.
 *
 * Sign it with `privaci plugin sign plugins/nhs_number/mod.ts --key <your key>`.
 *
 * @module
 */
import { type Cell, definePlugin } from "../sdk/mod.ts";

/** The check digit of nine digits, or `null` when the number has none (remainder 10). */
export function nhsCheckDigit(nine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? null : check;
}

interface Params {
  format: "same" | "plain" | "spaced";
  test_range: boolean;
}

async function masked(key: CryptoKey, value: string, params: Params): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(value)));
  // Try successive digest windows until the nine digits have a check digit (10 in 11 do).
  for (let offset = 0; offset + 9 <= digest.length; offset++) {
    let nine = "";
    for (let i = 0; i < 9; i++) nine += String(digest[offset + i] % 10);
    if (params.test_range) nine = "999" + nine.slice(3);
    const check = nhsCheckDigit(nine);
    if (check === null) continue;
    const ten = nine + check;
    const spaced = params.format === "spaced" || (params.format === "same" && /\s/.test(value));
    return spaced ? `${ten.slice(0, 3)} ${ten.slice(3, 6)} ${ten.slice(6)}` : ten;
  }
  return params.test_range ? "9990000019" : "0000000000";
}

export default definePlugin({
  name: "@privaci/nhs",
  version: "1.0.0",
  apiVersion: 1,
  privaci: "^0.1",
  strategies: {
    nhs_number: {
      description: "Writes a well-formed NHS number (valid check digit) derived from the value and the key",
      params: {
        type: "object",
        properties: {
          format: { type: "string", enum: ["same", "plain", "spaced"], default: "same" },
          test_range: { type: "boolean", default: true },
        },
        additionalProperties: false,
      },
      columnTypes: ["string"],
      deterministic: true,
      keyed: true,
      examples: [{ input: "943 476 5919", note: "becomes 999 xxx xxxx with a valid check digit" }],
      init(ctx) {
        if (ctx.key === null) throw new TypeError("nhs_number needs the policy key");
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
        const params = ctx.params as Params;
        const out: Cell[] = [];
        for (const v of values) out.push(v === null ? null : await masked(ctx.state as CryptoKey, v, params));
        return out;
      },
    },
  },
});
