import assert from "node:assert/strict";
import { DOCS_PATH, renderStrategyDocs } from "./strategy_docs.ts";
import { builtinStrategies } from "../strategies/builtins.ts";

Deno.test("docs/strategies.md is up to date with the registry (regenerate: deno run -A tools/strategy_docs.ts)", async () => {
  const expected = await renderStrategyDocs();
  const actual = await Deno.readTextFile(DOCS_PATH);
  assert.equal(actual, expected);
  for (const name of builtinStrategies().names()) assert.ok(actual.includes(`\n## ${name}\n`), name);
});
