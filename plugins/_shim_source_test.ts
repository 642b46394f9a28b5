import assert from "node:assert/strict";
import { renderShimSource, SHIM_SOURCE_PATH } from "./_shim_build.ts";

Deno.test("_shim_source.ts is up to date with plugins/_shim.ts and its imports (regenerate: deno run -A plugins/_shim_build.ts)", async () => {
  const expected = await renderShimSource();
  const actual = await Deno.readTextFile(SHIM_SOURCE_PATH);
  assert.equal(actual, expected);
});
