/**
 * `template`: composes other strategies into one text value, e.g.
 * `"{{fake.first_name}}.{{hash:6}}@example.com"`. Each `{{name}}` runs that strategy on the input with
 * its default params and its own domain (so `{{fake.first_name}}` agrees with a `fake.first_name`
 * column); `{{name:N}}` passes `length: N`. Text outside the braces is copied.
 *
 * @module
 */
import { z } from "zod";
import { fit, requireFamily } from "./_column.ts";
import { closeAll, runAll, TEXT_COLUMN } from "./_compose.ts";
import type { Cell, ColumnMasker, StrategyDefinition, StrategySpec } from "./types.ts";

const PART = /\{\{\s*([a-z0-9_.@/-]+)(?::(\d+))?\s*\}\}/gi;

const params = z.strictObject({
  template: z.string().min(1).describe("Text with {{strategy}} or {{strategy:length}} placeholders"),
});
type Params = z.infer<typeof params>;

/** The literal texts and strategy specs of a template, in order (literals at even indexes). */
export function parseTemplate(template: string): { literals: string[]; specs: StrategySpec[] } {
  const literals: string[] = [];
  const specs: StrategySpec[] = [];
  let at = 0;
  for (const m of template.matchAll(PART)) {
    literals.push(template.slice(at, m.index));
    specs.push(m[2] === undefined ? { strategy: m[1] } : { strategy: m[1], length: Number(m[2]) });
    at = m.index + m[0].length;
  }
  literals.push(template.slice(at));
  return { literals, specs };
}

/** The `template` strategy. */
export const template = {
  meta: {
    name: "template",
    description: "Composes other strategies and fixed text into one value",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "input",
    unique: false,
    keyed: false,
    examples: [
      { params: { template: "{{fake.first_name}}.{{hash:6}}@example.com" }, input: "alice@corp.example" },
      { params: { template: "user-{{hash:8}}" }, input: "alice" },
    ],
  },
  params,
  async create({ params, column, resolve }) {
    requireFamily("template", column, ["string"]);
    const { literals, specs } = parseTemplate(params.template);
    const maskers: ColumnMasker[] = [];
    try {
      for (const spec of specs) maskers.push(await resolve(spec, TEXT_COLUMN));
    } catch (e) {
      await closeAll(maskers);
      throw e;
    }
    const max = column.maxLength;
    return {
      mask(values, batch) {
        return runAll(maskers.map((masker) => ({ masker, values })), batch, (outs) => {
          const result = new Array<Cell>(values.length);
          for (let i = 0; i < values.length; i++) {
            if (values[i] === null) {
              result[i] = null;
              continue;
            }
            let s = literals[0];
            for (let k = 0; k < outs.length; k++) s += (outs[k][i] ?? "") + literals[k + 1];
            result[i] = fit(s, max);
          }
          return result;
        });
      },
      close: () => closeAll(maskers),
    };
  },
} satisfies StrategyDefinition<Params>;
