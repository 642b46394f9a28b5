/**
 * `json`: masks values inside JSON documents by path, e.g.
 * `paths: { "$.contact.email": fake.email, "$.tags[*]": redact }`. A path is `$` followed by `.key`,
 * `["key"]`, `[index]`, `[*]` or `.*`; what it matches is masked by the nested strategy (each path's
 * values of a whole batch in one call). Strings stay strings; numbers and booleans stay numbers and
 * booleans when the masked text still reads as one; objects and arrays a path points at are masked as
 * their JSON text. Paths that match nothing are fine; the rest of the document is kept.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../errors.ts";
import { columnLabel, requireFamily } from "./_column.ts";
import { closeAll, NestedSpecSchema, runAll, TEXT_COLUMN, toSpec } from "./_compose.ts";
import type { Cell, ColumnMasker, StrategyDefinition } from "./types.ts";

/** One step of a path: a key, an index, or `*` (every member). */
export type PathStep = string | number | typeof ALL;
const ALL = Symbol("all");

/**
 * Parses a path such as `$.contact["e-mail"].tags[0]` or `$.items[*].name`.
 *
 * @throws {SyntaxError} for a path outside that syntax.
 */
export function parsePath(path: string): PathStep[] {
  if (!path.startsWith("$")) {
    throw new SyntaxError(`Cannot parse JSON path as it does not start with $: ${path}`);
  }
  const steps: PathStep[] = [];
  const re =
    /\.([A-Za-z_][\w-]*)|\.\*|\[\*\]|\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m) throw new SyntaxError(`Cannot parse JSON path at offset ${at}: ${path}`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[3] !== undefined) steps.push(JSON.parse(`"${m[3]}"`));
    else if (m[4] !== undefined) steps.push(m[4].replace(/\\(.)/g, "$1"));
    else steps.push(ALL);
  }
  return steps;
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  holder: Container;
  key: string | number;
}

/** Every slot `steps` reaches inside `root` (held in a wrapper so the root itself can be replaced). */
function collect(wrapper: { root: unknown }, steps: readonly PathStep[], out: Slot[]): void {
  let slots: Slot[] = [{ holder: wrapper as unknown as Container, key: "root" }];
  for (const step of steps) {
    const next: Slot[] = [];
    for (const s of slots) {
      const node = (s.holder as Record<string | number, unknown>)[s.key];
      if (node === null || typeof node !== "object") continue;
      if (step === ALL) {
        if (Array.isArray(node)) {
          for (let i = 0; i < node.length; i++) next.push({ holder: node, key: i });
        } else for (const k of Object.keys(node)) next.push({ holder: node as Container, key: k });
      } else if (
        Array.isArray(node) ? typeof step === "number" && step < node.length : Object.hasOwn(node, step)
      ) {
        next.push({ holder: node as Container, key: step });
      }
    }
    slots = next;
  }
  out.push(...slots);
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function fromCell(out: Cell, was: unknown): unknown {
  if (out === null) return null;
  if (typeof was === "number") {
    const n = Number(out);
    return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(out) && Number.isFinite(n) ? n : out;
  }
  if (typeof was === "boolean") {
    return out === "t" || out === "true" ? true : out === "f" || out === "false" ? false : out;
  }
  if (was !== null && typeof was === "object") {
    try {
      return JSON.parse(out);
    } catch {
      return out;
    }
  }
  return out;
}

const params = z.strictObject({
  paths: z.record(z.string().min(1), NestedSpecSchema).refine((paths) => {
    try {
      for (const p of Object.keys(paths)) parsePath(p);
      return true;
    } catch {
      return false;
    }
  }, "every key must be a JSON path like $.a.b, $.a[0] or $.a[*]").describe(
    'Strategy for each JSON path: $.key, ["key"], [n], [*], .*',
  ),
});
type Params = z.infer<typeof params>;

/** The `json` strategy. */
export const json = {
  meta: {
    name: "json",
    description: "Masks values inside JSON documents by path, each with its own strategy",
    columnTypes: ["json", "string"],
    deterministic: true,
    reproduces: "input",
    unique: false,
    keyed: false,
    examples: [
      {
        params: {
          paths: { "$.contact.phone": { strategy: "partial", keep_last: 2 }, "$.tags[*]": "redact" },
        },
        input: '{"contact": {"phone": "555-0100"}, "tags": ["vip", "eu"]}',
        output: '{"contact":{"phone":"******00"},"tags":["REDACTED","REDACTED"]}',
      },
    ],
  },
  params,
  async create({ params, column, resolve }) {
    requireFamily("json", column, ["json", "string"]);
    const paths: { steps: PathStep[]; masker: ColumnMasker }[] = [];
    try {
      for (const [path, spec] of Object.entries(params.paths)) {
        paths.push({ steps: parsePath(path), masker: await resolve(toSpec(spec), TEXT_COLUMN) });
      }
    } catch (e) {
      await closeAll(paths.map((p) => p.masker));
      throw e;
    }
    return {
      mask(values, batch) {
        const docs = values.map((v, row) => {
          if (v === null) return null;
          try {
            return { root: JSON.parse(v) as unknown };
          } catch {
            throw new PrivaciError(
              "STRATEGY_FAILED",
              `Cannot mask ${columnLabel(column)} as JSON: the value in batch row ${row + 1} is not JSON`,
            );
          }
        });
        // Paths run one after another, each over the whole batch, so overlapping paths compose.
        const step = (k: number): Cell[] | Promise<Cell[]> => {
          if (k === paths.length) return docs.map((d) => (d === null ? null : JSON.stringify(d.root)));
          const slots: Slot[] = [];
          for (const d of docs) if (d !== null) collect(d, paths[k].steps, slots);
          const inputs = slots.map((s) => toCell((s.holder as Record<string | number, unknown>)[s.key]));
          const done = runAll([{ masker: paths[k].masker, values: inputs }], batch, ([outs]) => {
            for (let i = 0; i < slots.length; i++) {
              const s = slots[i], holder = s.holder as Record<string | number, unknown>;
              holder[s.key] = fromCell(outs[i], holder[s.key]);
            }
          });
          return done instanceof Promise ? done.then(() => step(k + 1)) : step(k + 1);
        };
        return step(0);
      },
      close: () => closeAll(paths.map((p) => p.masker)),
    };
  },
} satisfies StrategyDefinition<Params>;
