/**
 * One conformance test over every registered strategy, as plugins will be held to: valid meta, a
 * params schema that converts to JSON Schema, examples that run and round-trip, deterministic
 * strategies stable, keyed ones refusing to run without a key and depending on it, NULL kept.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { builtinStrategies } from "./builtins.ts";
import { exampleColumn } from "./_example_column.ts";
import { StrategyParamsError } from "./errors.ts";
import { batchOf, OTHER_MASTER, subkey, TEST_MASTER } from "./_test_utils.ts";
import type { Cell, StrategyDefinition, StrategySpec } from "./types.ts";
import { TYPE_FAMILIES } from "./types.ts";

const registry = builtinStrategies();
/** Keyed strategies that use the key only in some modes (the pipeline still refuses them without one). */
const KEY_OPTIONAL = new Set(["text.scrub"]);
/** Strategies that run others, which may need the key themselves. */
const COMPOSITE = new Set(["template", "json", "array"]);

async function run(
  def: StrategyDefinition<unknown>,
  params: Record<string, unknown>,
  input: Cell,
  master: Uint8Array | null,
): Promise<Cell> {
  const column = exampleColumn(def);
  const build = async (spec: StrategySpec, col = column): Promise<import("./types.ts").ColumnMasker> => {
    const d = registry.get(spec.strategy);
    if (!d) throw new Error(`unknown strategy ${spec.strategy}`);
    const { strategy: _s, domain: _d, unique: _u, ...raw } = spec;
    const domain = spec.domain ?? spec.strategy;
    return await d.create({
      params: d.params.parse(raw),
      column: col,
      key: d.meta.keyed && master ? await subkey(master, domain) : null,
      domain,
      unique: false,
      resolve: (sub, c) => build(sub, { ...col, ...c }),
    });
  };
  const m = await build({ strategy: def.meta.name, ...params });
  try {
    return (await m.mask([input], batchOf({ customer_id: ["1"] })))[0];
  } finally {
    await m.close?.();
  }
}

Deno.test("the registry lists the strategies the policy format names", () => {
  for (
    const name of [
      "keep",
      "null",
      "constant",
      "redact",
      "hash",
      "partial",
      "email.domain_keep",
      "date.shift",
      "date.truncate",
      "number.noise",
      "number.round",
      "template",
      "regex",
      "json",
      "array",
      "fake.first_name",
      "fake.last_name",
      "fake.full_name",
      "fake.email",
      "fake.username",
      "fake.phone",
      "fake.street",
      "fake.city",
      "fake.postcode",
      "fake.state",
      "fake.country",
      "fake.company",
      "fake.job_title",
      "fake.iban",
      "fake.card",
      "fake.ssn",
      "fake.ip",
      "fake.url",
      "fake.date_of_birth",
    ]
  ) assert.ok(registry.has(name), name);
});

for (const def of registry.list()) {
  const { meta } = def;
  Deno.test(`${meta.name}: meta, params schema and examples conform`, async () => {
    assert.match(meta.name, /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/);
    assert.match(meta.description, /^[A-Z].*[^.]$/, "a sentence-case description without a final period");
    for (const t of meta.columnTypes ?? []) assert.ok((TYPE_FAMILIES as readonly string[]).includes(t), t);
    for (const flag of [meta.deterministic, meta.unique, meta.keyed]) assert.equal(typeof flag, "boolean");
    const schema = z.toJSONSchema(def.params, { io: "input" }) as { type?: string };
    assert.equal(schema.type, "object");
    assert.ok((meta.examples ?? []).length > 0, "has at least one example");

    for (const ex of meta.examples ?? []) {
      const params = ex.params ?? {};
      const out = await run(def, params, ex.input, TEST_MASTER);
      if (ex.output !== undefined) {
        assert.equal(out, ex.output, `example output of ${JSON.stringify(ex.input)}`);
      }
      if (meta.deterministic) assert.equal(await run(def, params, ex.input, TEST_MASTER), out, "stable");
      if (meta.keyed && ex.output === undefined) {
        assert.notEqual(await run(def, params, ex.input, OTHER_MASTER), out, "another key, another output");
      }
      if (def.meta.name !== "constant" && def.meta.name !== "redact" || params.keep_null !== false) {
        assert.equal(await run(def, params, null, TEST_MASTER), null, "NULL stays NULL");
      }
    }

    const first = meta.examples![0];
    if (meta.keyed && !KEY_OPTIONAL.has(meta.name)) {
      await assert.rejects(
        () => run(def, first.params ?? {}, first.input, null),
        (e) =>
          e instanceof StrategyParamsError && e.message.includes("without a key") && e.hint !== undefined,
      );
    } else if (!COMPOSITE.has(meta.name)) {
      await run(def, first.params ?? {}, first.input, null);
    }
  });
}

Deno.test("every param of every strategy has a description for docs/strategies.md", () => {
  const missing: string[] = [];
  for (const def of registry.list()) {
    const schema = z.toJSONSchema(def.params, { io: "input" }) as {
      properties?: Record<string, { description?: string }>;
    };
    for (const [name, p] of Object.entries(schema.properties ?? {})) {
      if (!p.description?.trim()) missing.push(`${def.meta.name}.${name}`);
    }
  }
  assert.deepEqual(missing, [], "params without .describe()");
});
