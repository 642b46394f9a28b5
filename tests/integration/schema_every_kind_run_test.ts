import assert from "node:assert/strict";
import { psqlFile, withDbs } from "../_pg.ts";
import { privaci } from "../fixtures/core/cli.ts";
import {
  dataOf,
  dumpSchema,
  dumpWithoutRunState,
  EVERY_KIND,
  EVERY_KIND_SCHEMAS,
  withoutSkipped,
} from "../fixtures/schema/_round_trip.ts";

const POLICY = `version: 1
source: \${PRIVACI_SOURCE_URL}
target: \${PRIVACI_TARGET_URL}
unlisted: keep
schemas: [${EVERY_KIND_SCHEMAS.join(", ")}]
`;

async function policyFile(dir: string, schema: "copy" | "existing"): Promise<string> {
  const file = `${dir}/${schema}.yaml`;
  await Deno.writeTextFile(file, `${POLICY}schema: ${schema}\n`);
  return file;
}

Deno.test("privaci run, schema: copy, keep-all, on the every-kind fixture: pg_dump and data of source and target are equal", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_every_kind_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, EVERY_KIND);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl };
      const r = await privaci(["run", "-c", await policyFile(dir, "copy"), "--jobs", "2", "--quiet"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        await dataOf(targetUrl, EVERY_KIND_SCHEMAS),
        await dataOf(sourceUrl, EVERY_KIND_SCHEMAS),
      );
      assert.equal(await dumpWithoutRunState(targetUrl), withoutSkipped(await dumpSchema(sourceUrl)));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("privaci run, schema: existing, --jobs 1, keep-all, on the every-kind fixture: the data of source and target are equal", async () => {
  const dir = await Deno.makeTempDir({ prefix: "privaci_every_kind_" });
  try {
    await withDbs(async ({ sourceUrl, targetUrl }) => {
      await psqlFile(sourceUrl, EVERY_KIND);
      // The application's migrations, as pg_dump would replay them.
      const schemaFile = `${dir}/schema.sql`;
      await Deno.writeTextFile(schemaFile, await dumpSchema(sourceUrl));
      await psqlFile(targetUrl, schemaFile);
      const env = { PRIVACI_SOURCE_URL: sourceUrl, PRIVACI_TARGET_URL: targetUrl };
      const r = await privaci(
        ["run", "-c", await policyFile(dir, "existing"), "--jobs", "1", "--quiet"],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        await dataOf(targetUrl, EVERY_KIND_SCHEMAS),
        await dataOf(sourceUrl, EVERY_KIND_SCHEMAS),
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
