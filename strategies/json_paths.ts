/**
 * `json`: masks values inside JSON documents by path, e.g.
 * `paths: { "$.contact.email": fake.email, "$.tags[*]": redact }`. A path is `$` followed by `.key`,
 * `["key"]`, `[index]`, `[*]` or `.*`, and `..` before any of them matches at any depth (`$..email`);
 * what a path matches is masked by the nested strategy (each path's values of a whole batch in one call).
 * Strings stay strings; numbers and booleans stay numbers and booleans when the masked text still reads
 * as one; objects and arrays a path points at are masked as their JSON text. Paths that match nothing are
 * fine.
 *
 * Every other leaf (string, number, boolean; NULL carries nothing) goes to `others:`: a strategy such as
 * `keep`, `redact` or `text.scrub`, or `error` (the default), which stops the run with `JSON_UNMATCHED`
 * naming the unmatched paths, so a key added to the documents later never passes unmasked unnoticed.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../errors.ts";
import { requireFamily } from "./_column.ts";
import { closeAll, NestedSpecSchema, runAll, TEXT_COLUMN, toSpec } from "./_compose.ts";
import {
  collect,
  type Container,
  cover,
  type Doc,
  parsePath,
  type PathStep,
  type Slot,
  uncovered,
} from "./_json_tree.ts";
import type { BatchContext, Cell, ColumnMasker, StrategyDefinition } from "./types.ts";

export { parsePath, type PathStep };

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

/** `others: error`: no strategy for unmatched leaves; the run stops and names them. */
export const OTHERS_ERROR = "error";

const params = z.strictObject({
  paths: z.record(z.string().min(1), NestedSpecSchema).refine((paths) => {
    try {
      for (const p of Object.keys(paths)) parsePath(p);
      return true;
    } catch {
      return false;
    }
  }, "every key must be a JSON path like $.a.b, $.a[0], $.a[*] or $..a").describe(
    'Strategy for each JSON path: `$.key`, `["key"]`, `[n]`, `[*]`, `.*`; `..` before a step matches at any depth (`$..email`)',
  ),
  others: z.union([z.literal(OTHERS_ERROR), NestedSpecSchema]).default(OTHERS_ERROR).describe(
    "Strategy for every string, number or boolean leaf no path matches (`keep`, `redact`, `text.scrub`, …); `error` stops the run and names their paths",
  ),
});
type Params = z.infer<typeof params>;

/** At most this many unmatched paths are named in one error. */
const LISTED = 10;

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
    details: "Object keys are written as they are: `others:` and the paths mask values, never the names of " +
      "keys. A document whose keys are themselves personal (a map keyed by e-mail address or user name, " +
      '`{"by_email": {"ana@corp.example": …}}`) needs a path on the map (`$.by_email: redact`), which masks ' +
      "it whole as its JSON text. See docs/row_rules.md for `others:` and `$..`.",
    examples: [
      {
        params: {
          paths: { "$.contact.phone": { strategy: "partial", keep_last: 2 }, "$.tags[*]": "redact" },
        },
        input: '{"contact": {"phone": "555-0100"}, "tags": ["vip", "eu"]}',
        output: '{"contact":{"phone":"******00"},"tags":["REDACTED","REDACTED"]}',
      },
      {
        params: { paths: { "$..email": "redact" }, others: "keep" },
        input: '{"email": "a@corp.example", "team": [{"email": "b@corp.example", "role": "admin"}]}',
        output: '{"email":"REDACTED","team":[{"email":"REDACTED","role":"admin"}]}',
        note: "`..` matches at any depth; `others: keep` keeps the leaves no path names",
      },
    ],
  },
  params,
  async create({ params, column, resolve }) {
    requireFamily("json", column, ["json", "string"]);
    const paths: { steps: PathStep[]; masker: ColumnMasker }[] = [];
    const othersSpec = params.others === OTHERS_ERROR ? null : toSpec(params.others);
    // `others: keep` needs no masker and no walk over the documents: unmatched leaves stay as they are.
    const keepOthers = othersSpec?.strategy === "keep";
    let others: ColumnMasker | null = null;
    try {
      for (const [path, spec] of Object.entries(params.paths)) {
        paths.push({ steps: parsePath(path), masker: await resolve(toSpec(spec), TEXT_COLUMN) });
      }
      if (othersSpec !== null && !keepOthers) others = await resolve(othersSpec, TEXT_COLUMN);
    } catch (e) {
      await closeAll(paths.map((p) => p.masker));
      throw e;
    }
    const all = others ? [...paths.map((p) => p.masker), others] : paths.map((p) => p.masker);
    return {
      mask(values, batch) {
        const docs = values.map((v, row) => {
          if (v === null) return null;
          try {
            return { root: JSON.parse(v) as unknown };
          } catch {
            throw new PrivaciError(
              "STRATEGY_FAILED",
              `the value in batch row ${row + 1} is not JSON`,
            );
          }
        });
        // Leaves no path reaches are masked first (or refused): that changes no structure the paths walk.
        const first = keepOthers ? null : unmatched(docs, paths, others === null);
        // Paths run one after another, each over the whole batch, so overlapping paths compose.
        const step = (k: number): Cell[] | Promise<Cell[]> => {
          if (k === paths.length) return docs.map((d) => (d === null ? null : JSON.stringify(d.root)));
          const slots: Slot[] = [];
          for (const d of docs) if (d !== null) collect(d, paths[k].steps, slots);
          const done = maskSlots(paths[k].masker, slots, batch);
          return done instanceof Promise ? done.then(() => step(k + 1)) : step(k + 1);
        };
        if (first === null || others === null) return step(0);
        const done = maskSlots(others, first, batch);
        return done instanceof Promise ? done.then(() => step(0)) : step(0);
      },
      close: () => closeAll(all),
    };
  },
} satisfies StrategyDefinition<Params>;

/** Masks the values at `slots` with `masker` as one batch, writing them back in place. */
function maskSlots(masker: ColumnMasker, slots: readonly Slot[], batch: BatchContext): void | Promise<void> {
  const inputs = slots.map((s) => toCell((s.holder as Record<string | number, unknown>)[s.key]));
  return runAll([{ masker, values: inputs }], batch, ([outs]) => {
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i], holder = s.holder as Record<string | number, unknown>;
      holder[s.key] = fromCell(outs[i], holder[s.key]);
    }
  });
}

/**
 * The leaves of the batch's documents that no path reaches; with `refuse`, a `JSON_UNMATCHED` error
 * naming their paths instead (in general form, never a value).
 */
function unmatched(
  docs: readonly (Doc | null)[],
  paths: readonly { steps: PathStep[] }[],
  refuse: boolean,
): Slot[] {
  const covered = new Map<Container, Set<string | number>>();
  const reached: Slot[] = [];
  for (const p of paths) for (const d of docs) if (d !== null) collect(d, p.steps, reached);
  cover(reached, covered);
  const leaves: Slot[] = [];
  const shapes = new Set<string>();
  for (const d of docs) if (d !== null) uncovered(d, covered, leaves, shapes);
  if (refuse && shapes.size > 0) {
    const listed = [...shapes].slice(0, LISTED);
    const more = shapes.size > LISTED ? ` and ${shapes.size - LISTED} more` : "";
    const fix = listed.map((p) => `"${p}": redact`).join(", ");
    throw new PrivaciError(
      "JSON_UNMATCHED",
      `no path of the json rule matches ${listed.join(", ")}${more}`,
      {
        hint: `name them in the rule's paths (e.g. paths: { ${fix} }) or give the rule ` +
          `others: keep | redact | text.scrub for every leaf no path matches`,
      },
    );
  }
  return leaves;
}
