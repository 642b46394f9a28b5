import assert from "node:assert/strict";
import { column as textColumn } from "../strategies/_test_utils.ts";
import { z } from "zod";
import { parsePolicy } from "../config/load.ts";
import { ConfigError } from "../errors.ts";
import { decodeKey, Keyring } from "../strategies/keyed/keyring.ts";
import { keep } from "../strategies/keep.ts";
import { nullStrategy } from "../strategies/null.ts";
import { StrategyRegistry } from "../strategies/registry.ts";
import type { Cell, ColumnInfo, StrategyDefinition, StrategyInit } from "../strategies/types.ts";
import { closeMaskers, MaskerFactory, tableMaskers, throwIfIssues } from "./maskers.ts";
import { planTables } from "./plan.ts";
import { bindPolicy } from "./bind.ts";

function col(column: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return textColumn({ table: "customer", column, ...extra });
}

/** Records what each created masker was given, and which were closed. */
const created: StrategyInit<{ suffix: string }>[] = [];
const closed: string[] = [];

/** `tag`: appends a suffix; keyed, so it needs the policy key. */
const tag: StrategyDefinition<{ suffix: string }> = {
  meta: { name: "tag", description: "Appends a suffix", deterministic: true, unique: true, keyed: true },
  params: z.strictObject({ suffix: z.string().min(1).default("!") }),
  create(init) {
    created.push(init);
    return {
      mask: (values: readonly Cell[]) => values.map((v) => v === null ? null : v + init.params.suffix),
      close: () => void closed.push(init.column.column),
    };
  },
};

/** `digits`: only for integer columns, never unique. */
const digits: StrategyDefinition<Record<string, never>> = {
  meta: {
    name: "digits",
    description: "Writes 0",
    deterministic: true,
    unique: false,
    keyed: false,
    columnTypes: ["integer", "numeric"],
  },
  params: z.strictObject({}),
  create: () => ({ mask: (values: readonly Cell[]) => values.map(() => "0") }),
};

/** `wrap`: builds the strategy named in its params through `resolve`, as composite strategies do. */
const wrap: StrategyDefinition<{ inner: string }> = {
  meta: {
    name: "wrap",
    description: "Runs another strategy",
    deterministic: true,
    unique: false,
    keyed: false,
  },
  params: z.strictObject({ inner: z.string() }),
  async create(init) {
    const inner = await init.resolve({ strategy: init.params.inner });
    return { mask: (values, batch) => inner.mask(values, batch) };
  },
};

/** `loop`: resolves itself, forever. */
const loop: StrategyDefinition<Record<string, never>> = {
  meta: { name: "loop", description: "Runs itself", deterministic: true, unique: false, keyed: false },
  params: z.strictObject({}),
  create: (init) => init.resolve({ strategy: "loop" }),
};

function registry(): StrategyRegistry {
  return new StrategyRegistry().add(keep).add(nullStrategy).add(tag).add(digits).add(wrap).add(loop);
}

const KEY = "hex:" + "ab".repeat(32);

async function factory(withKey = true): Promise<MaskerFactory> {
  return new MaskerFactory(registry(), withKey ? await Keyring.create(decodeKey(KEY)) : null);
}

const BATCH = { table: { schema: "public", table: "customer" }, firstRow: 1, column: () => [] };

Deno.test("MaskerFactory.create() validates params, defaults them and hands over column, domain and key", async () => {
  created.length = 0;
  const f = await factory();
  const a = await f.create({ strategy: "tag", suffix: "#", domain: "people", unique: true }, col("email"));
  const b = await f.create({ strategy: "tag" }, col("name"));
  const c = await f.create({ strategy: "tag", domain: "people" }, col("alias"));
  assert.deepEqual(await a.mask(["x", null], BATCH), ["x#", null]);
  assert.deepEqual(await b.mask(["x"], BATCH), ["x!"]);
  assert.deepEqual(created.map((i) => [i.column.column, i.domain, i.unique, i.params.suffix]), [
    ["email", "people", true, "#"],
    ["name", "tag", false, "!"],
    ["alias", "people", false, "!"],
  ]);
  // One 32-byte subkey per domain: the same for the same domain, another for another domain.
  const [ka, kb, kc] = created.map((i) => i.key!);
  assert.equal(ka.length, 32);
  assert.deepEqual(ka, kc);
  assert.notDeepEqual(ka, kb);
  assert.notDeepEqual(ka, decodeKey(KEY).subarray(0, 32));
  await c.close?.();
});

Deno.test("MaskerFactory.create() says what is wrong with a rule", async () => {
  const f = await factory();
  const cases: [Parameters<MaskerFactory["create"]>[0], ColumnInfo, string][] = [
    [{ strategy: "tga" }, col("email"), "unknown strategy 'tga' — did you mean 'tag'?"],
    [{ strategy: "zzzzzz" }, col("email"), "unknown strategy 'zzzzzz'"],
    [{ strategy: "tag", suffix: "" }, col("email"), "must not be empty"],
    [
      { strategy: "tag", sufix: "x" },
      col("email"),
      "unknown param 'sufix' for strategy 'tag' (allowed: suffix) — did you mean 'suffix'?",
    ],
    [
      { strategy: "digits", unique: true },
      col("n", { type: "integer", family: "integer" }),
      "strategy 'digits' cannot guarantee distinct values, so 'unique: true' cannot be honoured",
    ],
    [
      { strategy: "digits" },
      col("email"),
      "strategy 'digits' cannot write text values (it writes integer, numeric)",
    ],
  ];
  for (const [rule, column, message] of cases) {
    await assert.rejects(f.create(rule, column), (e: Error) => {
      assert.ok(e.message.startsWith(message), `${JSON.stringify(rule)}: ${e.message}`);
      return true;
    });
  }
  await assert.rejects((await factory(false)).create({ strategy: "tag" }, col("email")), {
    message: "strategy 'tag' needs the policy key: set 'key:' (e.g. key: ${PRIVACI_KEY})",
  });
});

Deno.test("MaskerFactory.create() builds nested strategies and stops runaway nesting", async () => {
  const f = await factory();
  const m = await f.create({ strategy: "wrap", inner: "tag" }, col("email"));
  assert.deepEqual(await m.mask(["a"], BATCH), ["a!"]);
  await assert.rejects(f.create({ strategy: "loop" }, col("email")), {
    message: "strategy 'loop' nests other strategies too deeply",
  });
});

Deno.test("tableMaskers() builds one masker per masked column and locates the rules that do not fit", async () => {
  const src = parsePolicy(
    [
      "version: 1",
      "source: postgres://h/a",
      "target: postgres://h/b",
      "tables:",
      "  public.customer:",
      "    columns:",
      "      id: keep",
      "      email: tag",
      "      phone: { strategy: 'null' }",
      "      age: digits",
      "",
    ].join("\n"),
    { file: "p.yaml", env: () => undefined },
  );
  const columns = [
    col("id", { type: "integer", family: "integer", notNull: true }),
    col("email"),
    col("phone", { notNull: true }),
    col("age"),
  ];
  const catalog = {
    tables: new Map([["public.customer", {
      schema: "public",
      table: "customer",
      kind: "r" as const,
      columns,
      primaryKey: ["id"],
      estimatedRows: 0,
    }]]),
    foreignKeys: [],
    sequences: [],
  };
  const plan = planTables(
    src,
    catalog,
    bindPolicy({ ...src, policy: { ...src.policy, key: KEY } }, registry()),
  );
  // A strategy that cannot write the column's type is found when the rule is placed on its column.
  assert.deepEqual(plan.diagnostics.map((d) => [d.code, d.location.line, d.message]), [
    ["STRATEGY_COLUMN_TYPE", 10, "strategy 'digits' cannot write text values (it writes integer, numeric)"],
  ]);
  closed.length = 0;
  const built = await tableMaskers(plan.tables[0], await factory());
  assert.deepEqual(built.issues.map((d) => ({ ...d.location, message: d.message })), [
    {
      path: ["tables", "public.customer", "columns", "phone"],
      table: "public.customer",
      column: "phone",
      message:
        'public.customer.phone: Cannot write NULL into "customer"."phone" as the column is NOT NULL (use redact or constant for this column)',
      file: "p.yaml",
      line: 9,
      col: 7,
    },
  ]);
  // The masker already built for email was closed, since the table cannot run.
  assert.deepEqual(closed, ["email"]);
  assert.throws(() => throwIfIssues(built.issues, "Cannot run"), (e) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual([e.code, e.exitCode, e.message], [
      "STRATEGY_PARAMS",
      2,
      "Cannot run: p.yaml:9:7: tables.public.customer.columns.phone: public.customer.phone: Cannot write NULL " +
      'into "customer"."phone" as the column is NOT NULL (use redact or constant for this column)',
    ]);
    return true;
  });
  assert.doesNotThrow(() => throwIfIssues([], "Cannot run"));

  const fine = await tableMaskers(
    { ...plan.tables[0], columns: plan.tables[0].columns.slice(0, 2) },
    await factory(),
  );
  assert.deepEqual(fine.issues, []);
  assert.deepEqual(fine.columns.map((c) => [c.column.column, c.strategy, c.masker === null]), [
    ["id", "keep", true],
    ["email", "tag", false],
  ]);
  closed.length = 0;
  await closeMaskers(fine.columns);
  assert.deepEqual(closed, ["email"]);
});
