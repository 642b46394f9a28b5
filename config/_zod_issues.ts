/**
 * Turns zod issues into readable policy problems: which key, what was expected and what kind of value was
 * found — never the value itself. Used for the policy's shape and for strategy params.
 *
 * @module
 */
import type { z } from "zod";
import { didYouMean, suggestion } from "./diagnostics.ts";

/** A zod issue, as `safeParse` reports it. */
export type ZodIssue = z.core.$ZodIssue;

/** One problem, relative to the validated value. */
export interface ShapeProblem {
  path: (string | number)[];
  message: string;
  /** Whether the problem is best shown at the key (unknown, missing, bad name) or at its value. */
  at: "key" | "value";
}

interface Problem extends ShapeProblem {
  /** For an unknown key: the allowed key it suggests. */
  suggests?: string;
  /** True for a missing required key. */
  missing?: boolean;
}

/** Options of {@link describeZodIssues}. */
export interface DescribeOptions {
  /** What the keys of the validated object are called in messages: `key` (default) or `param`. */
  noun?: "key" | "param";
  /** Who the keys belong to, added after the key's name, e.g. `for strategy 'partial'`. */
  owner?: string;
  /** More names to suggest for an unknown key (e.g. the reserved keys of a column rule). */
  alsoKnown?: readonly string[];
  /** Gives a message of its own for an issue, or `undefined` to use the generic one. */
  explain?: (issue: ZodIssue, value: unknown) => string | undefined;
}

/**
 * One {@link ShapeProblem} per zod issue (one per key for unknown keys; the matching branch's issues for a
 * union whose outer type matched).
 *
 * @param issues The issues of a failed `safeParse(data)`.
 * @param data The value that was validated (to tell what kind of value was found).
 * @param schema The schema that failed (to list allowed keys).
 * @param options Noun and special messages.
 */
export function describeZodIssues(
  issues: readonly ZodIssue[],
  data: unknown,
  schema: z.ZodType,
  options: DescribeOptions = {},
): ShapeProblem[] {
  const out: Problem[] = [];
  for (const issue of issues) out.push(...describeOne(issue, data, schema, options));
  // "missing 'keep_last'" next to "unknown 'keep_lats' — did you mean 'keep_last'?" says the same thing twice.
  const unknownSuggests = new Set(
    out.filter((p) => p.suggests !== undefined).map((p) => [...p.path.slice(0, -1), p.suggests].join("\0")),
  );
  return out
    .filter((p) => !(p.missing && unknownSuggests.has(p.path.join("\0"))))
    .map(({ path, message, at }) => ({ path, message, at }));
}

function describeOne(
  issue: ZodIssue,
  data: unknown,
  schema: z.ZodType,
  options: DescribeOptions,
): Problem[] {
  const path = issue.path as (string | number)[];
  const value = valueAt(data, path);
  const noun = options.noun ?? "key";
  const owner = options.owner ? ` ${options.owner}` : "";
  const special = options.explain?.(issue, value);
  if (special !== undefined) {
    return [{
      path,
      message: special,
      at: issue.code === "invalid_key" || value === undefined ? "key" : "value",
    }];
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = keysAt(schema, path);
      const known = [...allowed, ...options.alsoKnown ?? []];
      return issue.keys.map((key) => ({
        path: [...path, key],
        suggests: didYouMean(key, known),
        message: `unknown ${noun} '${key}'${owner} ${allowedText(allowed, noun)}${suggestion(key, known)}`,
        at: "key" as const,
      }));
    }
    case "invalid_union": {
      const branch = issue.errors.find((b) =>
        b.length > 0 && !b.some((i) => i.code === "invalid_type" && i.path.length === 0)
      );
      if (branch) {
        const nested = branch.map((i) => ({ ...i, path: [...path, ...i.path] }) as ZodIssue);
        return describeZodIssues(nested, data, schema, options);
      }
      const expected = [
        ...new Set(
          issue.errors.flat().filter((i) => i.code === "invalid_type").map((i) => typeName(i.expected)),
        ),
      ];
      const what = expected.length ? `expected ${expected.join(" or ")}` : "does not match any allowed form";
      return [{ path, message: `${what}, got ${kindOf(value)}`, at: "value" }];
    }
    case "invalid_value":
    case "invalid_type": {
      if (value === undefined) {
        const name = String(path.at(-1) ?? "");
        const parent = valueAt(data, path.slice(0, -1));
        const siblings = isRecord(parent) ? Object.keys(parent) : [];
        const near = siblings.find((s) => suggestion(s, [name]) !== "");
        const hint = near === undefined ? "" : ` — did you write '${near}' for '${name}'?`;
        return [{
          path,
          message: `missing required ${noun} '${name}'${owner}${hint}`,
          at: "key",
          missing: true,
        }];
      }
      if (issue.code === "invalid_value") return describeValue(issue, path, value);
      const expected = issue.expected === "number" && isIntSchema(schemaAt(schema, path))
        ? "int"
        : issue.expected;
      return [{ path, message: `expected ${typeName(expected)}, got ${kindOf(value)}`, at: "value" }];
    }
    case "too_small":
      return [{
        path,
        message: sizeMessage("least", issue, Number(issue.minimum)),
        at: "value",
      }];
    case "too_big":
      return [{
        path,
        message: sizeMessage("most", issue, Number(issue.maximum)),
        at: "value",
      }];
    case "invalid_format": {
      const message = issue.message.startsWith("Invalid") ? `must be a valid ${issue.format}` : issue.message;
      return [{ path, message, at: "value" }];
    }
    case "invalid_key": {
      const reasons = issue.issues.map((i) =>
        describeOne(i, String(path.at(-1)), schema, options)[0]?.message
      );
      return [{
        path,
        message: `invalid ${noun} '${String(path.at(-1))}': ${reasons.join("; ")}`,
        at: "key",
      }];
    }
    case "not_multiple_of":
      return [{ path, message: `must be a multiple of ${String(issue.divisor)}`, at: "value" }];
    default:
      return [{ path, message: issue.message, at: "value" }];
  }
}

function describeValue(
  issue: z.core.$ZodIssueInvalidValue,
  path: (string | number)[],
  value: unknown,
): Problem[] {
  const values = issue.values.map((v) => typeof v === "string" ? `'${v}'` : String(v));
  const near = typeof value === "string"
    ? suggestion(value, issue.values.filter((v): v is string => typeof v === "string"))
    : "";
  const expected = values.length === 1 ? values[0] : `one of ${values.join(", ")}`;
  return [{ path, message: `expected ${expected}${near}`, at: "value" }];
}

function allowedText(allowed: readonly string[], noun: string): string {
  if (allowed.length) return `(allowed: ${allowed.join(", ")})`;
  return noun === "param" ? "(it takes no params)" : "(no keys are allowed here)";
}

function sizeMessage(
  bound: "least" | "most",
  issue: { origin: string; inclusive?: boolean; exact?: boolean },
  n: number,
): string {
  const { origin, inclusive = true, exact = false } = issue;
  const scope = exact ? "exactly" : `at ${bound}`;
  if (origin === "string") {
    if (n === 1 && bound === "least" && !exact) return "must not be empty";
    return `must be ${scope} ${n} ${n === 1 ? "character" : "characters"} long`;
  }
  if (origin === "array" || origin === "set") return `must list ${scope} ${n} ${n === 1 ? "item" : "items"}`;
  if (exact) return `must be exactly ${n}`;
  if (inclusive) return `must be at ${bound} ${n}`;
  return `must be ${bound === "least" ? "greater" : "less"} than ${n}`;
}

/** Names a zod `expected` type the way a YAML author thinks of it. */
function typeName(expected: string): string {
  switch (expected) {
    case "object":
    case "record":
    case "map":
      return "a mapping";
    case "array":
    case "tuple":
    case "set":
      return "a list";
    case "int":
      return "an integer";
    case "boolean":
      return "true or false";
    case "undefined":
    case "never":
      return "nothing";
    default:
      return `a ${expected}`;
  }
}

/** The kind of a YAML value, never the value: `a string`, `a number`, `a list`, `a mapping`, `null`. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  if (value instanceof Date) return "a date";
  if (value instanceof Map || typeof value === "object") return "a mapping";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  if (typeof value === "boolean") return "a boolean";
  if (typeof value === "undefined") return "nothing";
  return `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` inside `data`, or `undefined`. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  format?: string;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  for (let i = 0; i < 32; i++) {
    const def = defOf(schema);
    const next = def.innerType ??
      (def.type === "pipe" ? def.in : def.type === "lazy" ? def.getter?.() : undefined);
    if (!next) return schema;
    schema = next;
  }
  return schema;
}

function objectOf(schema: z.ZodType): Def | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === "object") return def;
  if (def.type === "union") {
    for (const option of def.options ?? []) {
      const o = defOf(unwrap(option));
      if (o.type === "object") return o;
    }
  }
  return undefined;
}

/** The schema that validates the value at `path` (records and lists are stepped through), if known. */
function schemaAt(schema: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const seg of path) {
    if (!s) return undefined;
    s = stepInto(s, seg);
  }
  return s;
}

/** The schema of `seg` inside `s`; in a union, of the first option that has one (a list for an index). */
function stepInto(s: z.ZodType, seg: string | number): z.ZodType | undefined {
  const def = defOf(unwrap(s));
  if (def.type === "record") return def.valueType;
  if (def.type === "array") return typeof seg === "number" ? def.element : undefined;
  if (def.type === "union") {
    for (const option of (def as unknown as { options: z.ZodType[] }).options) {
      const got = stepInto(option, seg);
      if (got) return got;
    }
    return undefined;
  }
  return objectOf(s)?.shape?.[String(seg)];
}

function isIntSchema(schema: z.ZodType | undefined): boolean {
  if (!schema) return false;
  const def = defOf(unwrap(schema));
  return def.type === "number" && /int/.test(def.format ?? "");
}

/** The keys an object schema allows at `path` (records and lists are stepped through), or `[]`. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const s = schemaAt(schema, path);
  return s ? Object.keys(objectOf(s)?.shape ?? {}) : [];
}
