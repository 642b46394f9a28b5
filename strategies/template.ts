/**
 * `template`: composes other strategies and the row's masked columns into one text value, e.g.
 * `"{{fake.first_name}}.{{hash:6}}@example.com"` or `"{{first_name|ascii}}.{{last_name|ascii}}@example.com"`.
 * Each `{{name}}` that names a strategy runs it on the input with its default params and its own domain (so
 * `{{fake.first_name}}` agrees with a `fake.first_name` column); `{{name:N}}` passes `length: N`. Any
 * other plain name is a column of the same row, as it is written to the target (masked, or kept): the
 * e-mail then agrees with the row's masked name columns, which are masked first. `{{column:N}}` keeps its
 * first N characters; `|lower` lower-cases it and `|ascii` folds it to lower-case ASCII letters and digits.
 * Text outside the braces is copied.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../errors.ts";
import { columnLabel, fit, requireFamily } from "./_column.ts";
import { closeAll, runAll, TEXT_COLUMN } from "./_compose.ts";
import { asciiFold } from "./fake/_common.ts";
import type { Cell, ColumnMasker, StrategyDefinition, StrategySpec } from "./types.ts";

const PART = /\{\{\s*([a-z0-9_.@/-]+)(?::(\d+))?(?:\|(lower|ascii))?\s*\}\}/gi;
/** Only a plain identifier can be a column placeholder; names with `.`, `/` or `@` are strategies. */
const PLAIN = /^[a-z_][a-z0-9_]*$/i;

const params = z.strictObject({
  template: z.string().min(1).describe(
    "Text with {{strategy}}, {{strategy:length}} and {{column}} placeholders (the row's masked value; :N, |lower, |ascii)",
  ),
});
type Params = z.infer<typeof params>;

/** A placeholder of the row: a column's written value, maybe cut and folded. */
export interface ColumnPart {
  column: string;
  length?: number;
  fold?: "lower" | "ascii";
}

/** One placeholder: a strategy run on the input, or a column of the row. */
export type TemplatePart = { spec: StrategySpec } | ColumnPart;

/**
 * The literal texts and placeholders of a template, in order (`literals` has one more entry). A plain
 * name for which `isStrategy` is false is a column of the row.
 */
export function parseTemplate(
  template: string,
  isStrategy: (name: string) => boolean = () => true,
): { literals: string[]; parts: TemplatePart[] } {
  const literals: string[] = [];
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const m of template.matchAll(PART)) {
    literals.push(template.slice(at, m.index));
    const [, name, length, fold] = m;
    if (PLAIN.test(name) && !isStrategy(name)) {
      parts.push({
        column: name,
        ...(length !== undefined ? { length: Number(length) } : {}),
        ...(fold !== undefined ? { fold: fold.toLowerCase() as "lower" | "ascii" } : {}),
      });
    } else {
      if (fold !== undefined) {
        throw new SyntaxError(`Cannot fold a strategy's value: {{${m[0].slice(2, -2).trim()}}}`);
      }
      parts.push({
        spec: length === undefined ? { strategy: name } : { strategy: name, length: Number(length) },
      });
    }
    at = m.index + m[0].length;
  }
  literals.push(template.slice(at));
  return { literals, parts };
}

function folded(v: string, part: ColumnPart): string {
  let s = part.length === undefined ? v : [...v].slice(0, part.length).join("");
  if (part.fold === "lower") s = s.toLowerCase();
  else if (part.fold === "ascii") s = asciiFold(s);
  return s;
}

/** The `template` strategy. */
export const template = {
  meta: {
    name: "template",
    description: "Composes other strategies, the row's masked columns and fixed text into one value",
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
  async create({ params, column, resolve, knows }) {
    requireFamily("template", column, ["string"]);
    let parsed: ReturnType<typeof parseTemplate>;
    try {
      parsed = parseTemplate(params.template, knows ?? (() => true));
    } catch (e) {
      throw new PrivaciError("STRATEGY_PARAMS", (e as Error).message);
    }
    const { literals, parts } = parsed;
    const maskers: ColumnMasker[] = [];
    try {
      for (const p of parts) if ("spec" in p) maskers.push(await resolve(p.spec, TEXT_COLUMN));
    } catch (e) {
      await closeAll(maskers);
      throw e;
    }
    const columns = parts.filter((p): p is ColumnPart => "column" in p);
    const max = column.maxLength;
    return {
      ...(columns.length > 0 ? { readsMasked: [...new Set(columns.map((p) => p.column))] } : {}),
      mask(values, batch) {
        const row = columns.map((p) => {
          const got = batch.masked?.(p.column);
          if (got === undefined || got.length !== values.length) {
            throw new PrivaciError(
              "STRATEGY_FAILED",
              `Cannot fill {{${p.column}}} in the template of ${
                columnLabel(column)
              }: row placeholders work only where the template is the column's own rule`,
            );
          }
          return got;
        });
        return runAll(maskers.map((masker) => ({ masker, values })), batch, (outs) => {
          const result = new Array<Cell>(values.length);
          for (let i = 0; i < values.length; i++) {
            if (values[i] === null) {
              result[i] = null;
              continue;
            }
            let s = literals[0];
            for (let k = 0, o = 0, c = 0; k < parts.length; k++) {
              const v = "spec" in parts[k] ? outs[o++][i] : row[c++][i];
              s += (v === null ? "" : "spec" in parts[k] ? v : folded(v, parts[k] as ColumnPart)) +
                literals[k + 1];
            }
            result[i] = fit(s, max);
          }
          return result;
        });
      },
      close: () => closeAll(maskers),
    };
  },
} satisfies StrategyDefinition<Params>;
