import assert from "node:assert/strict";
import { GAZETTEER_DATA_PATH, renderGazetteerData } from "./gazetteer_build.ts";

Deno.test("strategies/text/_gazetteer_data.ts is up to date with its builder and the dependencies (regenerate: deno run -A tools/gazetteer_build.ts)", async () => {
  const expected = await renderGazetteerData();
  const actual = await Deno.readTextFile(GAZETTEER_DATA_PATH);
  assert.equal(actual, expected);
});
