/**
 * Test helpers: build maskers through the production path (`builtinStrategies().get(name)` →
 * `params.parse` → `create`), with subkeys derived by the real keyring from a fixed test key.
 *
 * @module
 */
import { builtinStrategies } from "./builtins.ts";
import { Keyring } from "./keyed/keyring.ts";
import type { BatchContext, Cell, ColumnInfo, ColumnMasker, StrategySpec } from "./types.ts";

/** A fixed 32-byte master key for tests. */
export const TEST_MASTER = new TextEncoder().encode("privaci-test-master-key-0123456789abcdef");
/** Another master key, for key-separation tests. */
export const OTHER_MASTER = new TextEncoder().encode("privaci-other-master-key-0123456789abcdef");

const REGISTRY = builtinStrategies();

/** A deterministic mix of the bits of `i` for field `k`: varied, repeatable test inputs. */
export function mix(i: number, k: number): number {
  let x = (i * 2654435761 + k * 40503) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d) >>> 0;
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}

/** A text column, with any field overridden. */
export function column(overrides: Partial<ColumnInfo> = {}): ColumnInfo {
  return {
    schema: "public",
    table: "t",
    column: "c",
    ordinal: 1,
    type: "text",
    baseType: "text",
    family: "string",
    elementFamily: "string",
    maxLength: null,
    notNull: false,
    unique: false,
    generated: false,
    identity: "",
    ...overrides,
  };
}

/** Options of {@link makeMasker}. */
export interface MakeOptions {
  column?: Partial<ColumnInfo>;
  /** The master key, or null for a policy without key. */
  master?: Uint8Array | null;
  unique?: boolean;
  domain?: string;
}

/** The subkey of `domain` under `master`, as the pipeline derives it. */
export async function subkey(master: Uint8Array, domain: string): Promise<Uint8Array> {
  return await (await Keyring.create(master)).derive(`domain:${domain}`);
}

/** Builds a masker for `name` with `params` through the registry, as the pipeline does. */
export async function makeMasker(
  name: string,
  params: Record<string, unknown> = {},
  options: MakeOptions = {},
): Promise<ColumnMasker> {
  return await createFromSpec({ strategy: name, ...params, domain: options.domain, unique: options.unique }, {
    column: column(options.column),
    master: options.master === undefined ? TEST_MASTER : options.master,
  });
}

async function createFromSpec(
  spec: StrategySpec,
  ctx: { column: ColumnInfo; master: Uint8Array | null },
): Promise<ColumnMasker> {
  const def = REGISTRY.get(spec.strategy);
  if (!def) throw new Error(`unknown strategy ${spec.strategy}`);
  const { strategy: _s, domain: _d, unique: _u, ...raw } = spec;
  const params = def.params.parse(raw);
  const domain = spec.domain ?? spec.strategy;
  const key = def.meta.keyed && ctx.master ? await subkey(ctx.master, domain) : null;
  return await def.create({
    params,
    column: ctx.column,
    key,
    domain,
    unique: spec.unique ?? false,
    resolve: (sub, col) => createFromSpec(sub, { column: { ...ctx.column, ...col }, master: ctx.master }),
    knows: (name) => REGISTRY.get(name) !== undefined,
  });
}

/** A batch context over the given source columns (and, when given, the row's masked columns). */
export function batchOf(
  columns: Record<string, readonly Cell[]> = {},
  masked?: Record<string, readonly Cell[]>,
): BatchContext {
  const of = (from: Record<string, readonly Cell[]>, name: string) => {
    const got = from[name];
    if (!got) throw new RangeError(`no column ${name}`);
    return got;
  };
  return {
    table: { schema: "public", table: "t" },
    firstRow: 1,
    column: (name) => of(columns, name),
    ...(masked ? { masked: (name: string) => of(masked, name) } : {}),
  };
}

/** Masks `values` with a new masker and returns the outputs. */
export async function maskValues(
  name: string,
  params: Record<string, unknown>,
  values: readonly Cell[],
  options: MakeOptions & {
    batch?: Record<string, readonly Cell[]>;
    masked?: Record<string, readonly Cell[]>;
  } = {},
): Promise<Cell[]> {
  const m = await makeMasker(name, params, options);
  try {
    return await m.mask(values, batchOf(options.batch, options.masked));
  } finally {
    await m.close?.();
  }
}

/** Masks one value. */
export async function maskOne(
  name: string,
  params: Record<string, unknown>,
  value: Cell,
  options: MakeOptions & { batch?: Record<string, readonly Cell[]> } = {},
): Promise<Cell> {
  return (await maskValues(name, params, [value], options))[0];
}

/** One table-driven case: a strategy, its params, an input and what the output must satisfy. */
export interface StrategyCase {
  strategy: string;
  params?: Record<string, unknown>;
  input: Cell;
  /** The exact output, when it is known without the key. */
  output?: Cell;
  /** A property the output must have; return a message when it does not. */
  check?: (out: Cell, input: Cell) => string | undefined;
  options?: MakeOptions & { batch?: Record<string, readonly Cell[]> };
}

/** Runs cases through the registry; each output is masked twice to check it is deterministic. */
export async function runCases(cases: readonly StrategyCase[]): Promise<void> {
  for (const c of cases) {
    const label = `${c.strategy} ${JSON.stringify(c.params ?? {})} on ${JSON.stringify(c.input)}`;
    const out = await maskOne(c.strategy, c.params ?? {}, c.input, c.options);
    const again = await maskOne(c.strategy, c.params ?? {}, c.input, c.options);
    if (out !== again) throw new Error(`${label}: not deterministic`);
    if ("output" in c && out !== c.output) {
      throw new Error(`${label}: expected ${JSON.stringify(c.output)}, got ${JSON.stringify(out)}`);
    }
    const problem = c.check?.(out, c.input);
    if (problem !== undefined) throw new Error(`${label}: ${problem} (got ${JSON.stringify(out)})`);
  }
}

/** A check that the output matches `re`. */
export function matches(re: RegExp): (out: Cell) => string | undefined {
  return (out) => (out !== null && re.test(out) ? undefined : `does not match ${re}`);
}

/** A check that the output differs from the input and matches `re`. */
export function changedAndMatches(re: RegExp): (out: Cell, input: Cell) => string | undefined {
  return (out, input) => (out === input ? "output equals the input" : matches(re)(out));
}
