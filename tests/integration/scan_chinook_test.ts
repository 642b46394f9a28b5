/**
 * `privaci scan` on chinook (shared/datasets/chinook.sql), a database the heuristics were not tuned on,
 * against labels written before scan first ran on it (tests/fixtures/scan/chinook_labels.ts). The floors
 * sit just under what was measured: recall 1.0 (20/20 personal columns) and precision 0.83 (20/24; the
 * extra ones are album titles, artist names, track names and composers, which hold public figures' names
 * and titles the person-name finder reads as names).
 *
 * @module
 */
import assert from "node:assert/strict";
import { scan } from "../../scan/scan.ts";
import { CHINOOK_LABELS } from "../fixtures/scan/chinook_labels.ts";
import { classificationScore } from "../fixtures/scan/score.ts";
import { chinookScripts } from "../_chinook.ts";
import { exec, psqlFile, withDbs } from "../_pg.ts";

Deno.test("scan() classifies chinook's columns with recall 1.0 and precision at least 0.8", async () => {
  await withDbs(async ({ sourceUrl }) => {
    const dir = await Deno.makeTempDir();
    try {
      await psqlFile(sourceUrl, (await chinookScripts(dir)).full);
      await exec(sourceUrl, "analyze");
      const result = await scan({ source: sourceUrl });
      const score = classificationScore(result.tables, CHINOOK_LABELS);
      assert.deepEqual(score.unlabelled, []);
      assert.deepEqual(score.missed, []);
      assert.ok(
        score.precision >= 0.8,
        `precision ${score.precision.toFixed(2)}: ${score.wrong.join(", ")}`,
      );
      assert.doesNotMatch(result.yaml, /@/, "the draft quotes no e-mail address");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
