/**
 * `array`: masks each element of a PostgreSQL array with another strategy (`element: fake.email`),
 * keeping the array's shape, NULL elements and dimension decoration. The elements of a whole batch go
 * through the nested strategy in one call, which sees the element type as its column.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../errors.ts";
import { columnLabel, requireFamily } from "./_column.ts";
import { NestedSpecSchema, runMasker, toSpec } from "./_compose.ts";
import type { Cell, StrategyDefinition } from "./types.ts";

/** A parsed array: nested lists of elements. */
export type ArrayNode = (Cell | ArrayNode)[];

/**
 * Parses an array literal as COPY prints it (`{a,"b c",NULL}`, `{{1,2},{3,4}}`, `[0:1]={x,y}`).
 *
 * @throws {SyntaxError} for text that is not an array literal.
 */
export function parseArray(text: string): { decoration: string; root: ArrayNode } {
  let i = 0;
  let decoration = "";
  if (text[0] === "[") {
    const eq = text.indexOf("=");
    if (eq === -1) throw new SyntaxError("Cannot parse array literal: dimension decoration without =");
    decoration = text.slice(0, eq + 1);
    i = eq + 1;
  }
  const fail = (): never => {
    throw new SyntaxError(`Cannot parse array literal at offset ${i}`);
  };
  const parseList = (): ArrayNode => {
    if (text[i] !== "{") fail();
    i++;
    const list: ArrayNode = [];
    if (text[i] === "}") {
      i++;
      return list;
    }
    for (;;) {
      while (text[i] === " ") i++;
      if (text[i] === "{") list.push(parseList());
      else if (text[i] === '"') {
        let s = "";
        for (i++; i < text.length && text[i] !== '"'; i++) s += text[i] === "\\" ? text[++i] : text[i];
        if (text[i] !== '"') fail();
        i++;
        list.push(s);
      } else {
        const start = i;
        while (i < text.length && text[i] !== "," && text[i] !== "}") i++;
        const raw = text.slice(start, i).trim();
        list.push(/^null$/i.test(raw) ? null : raw);
      }
      while (text[i] === " ") i++;
      if (text[i] === ",") i++;
      else if (text[i] === "}") {
        i++;
        return list;
      } else fail();
    }
  };
  const root = parseList();
  if (i !== text.length) fail();
  return { decoration, root };
}

function quote(v: Cell): string {
  if (v === null) return "NULL";
  if (v === "" || /^null$/i.test(v) || /[{},"\\\s]/.test(v)) return `"${v.replace(/["\\]/g, "\\$&")}"`;
  return v;
}

/** Writes an array back as a literal. */
export function formatArray(decoration: string, root: ArrayNode): string {
  const write = (node: ArrayNode): string =>
    "{" + node.map((e) => (Array.isArray(e) ? write(e) : quote(e))).join(",") + "}";
  return decoration + write(root);
}

function leaves(node: ArrayNode, out: Cell[]): void {
  for (const e of node) Array.isArray(e) ? leaves(e, out) : out.push(e);
}

function refill(node: ArrayNode, values: readonly Cell[], at: { i: number }): ArrayNode {
  return node.map((e) => (Array.isArray(e) ? refill(e, values, at) : values[at.i++]));
}

const params = z.strictObject({
  element: NestedSpecSchema.describe("The strategy for each element: a name or { strategy, ...params }"),
});
type Params = z.infer<typeof params>;

/** The `array` strategy. */
export const array = {
  meta: {
    name: "array",
    description: "Masks every element of an array column with another strategy",
    columnTypes: ["array"],
    deterministic: true,
    reproduces: "input",
    unique: false,
    keyed: false,
    examples: [
      {
        params: { element: "redact" },
        input: '{alice,"bob smith",NULL}',
        output: "{REDACTED,REDACTED,NULL}",
      },
      { params: { element: "fake.email" }, input: "{a@corp.example,b@corp.example}" },
    ],
  },
  params,
  async create({ params, column, resolve }) {
    requireFamily("array", column, ["array"]);
    const elementType = column.type.replace(/\[\]$/, "");
    const masker = await resolve(toSpec(params.element), {
      type: elementType,
      baseType: column.baseType.replace(/^_/, ""),
      family: column.elementFamily,
      elementFamily: column.elementFamily,
      maxLength: null,
      notNull: false,
      unique: false,
    });
    return {
      mask(values, batch) {
        const parsed = values.map((v, row) => {
          if (v === null) return null;
          try {
            return parseArray(v);
          } catch {
            throw new PrivaciError(
              "STRATEGY_FAILED",
              `Cannot mask ${columnLabel(column)} element-wise: the value in batch row ${
                row + 1
              } is not an array literal`,
            );
          }
        });
        const flat: Cell[] = [];
        for (const p of parsed) if (p !== null) leaves(p.root, flat);
        return runMasker(masker, flat, batch, (outs) => {
          const at = { i: 0 };
          return parsed.map((p) => (p === null ? null : formatArray(p.decoration, refill(p.root, outs, at))));
        });
      },
      close: () => masker.close?.(),
    };
  },
} satisfies StrategyDefinition<Params>;
