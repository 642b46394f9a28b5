/**
 * Plugins through a real run: a signed plugin published to a JSR-shaped registry, pinned with
 * `privaci plugin add`, masks a column from one PostgreSQL database into another; a hostile plugin stops
 * the run with its PLUGIN_* error and leaves the target table empty.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPolicy } from "../../config/load.ts";
import { PluginError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { pluginCommand } from "../../plugins/cli.ts";
import { nhsCheckDigit } from "../../plugins/nhs_number/mod.ts";
import { policyRegistry } from "../../plugins/policy_registry.ts";
import { copyOut, exec, withDbs } from "../_pg.ts";
import {
  fixtureModule,
  HOST_VERSION,
  newPublisher,
  signedModule,
  withTempDir,
  writePackage,
} from "../fixtures/plugins/_kit.ts";
import { withJsrRegistry } from "../fixtures/plugins/_registry.ts";

const KEY = "base64:" + btoa("a fixed policy key for the plugin run test!");
const DDL = "create table person (id int primary key, nhs text, name text)";
const ROWS = 5000;

async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await pluginCommand({ print: (l) => lines.push(l) }).exitOverride().parseAsync(args, { from: "user" });
  return lines;
}

/** Loads the policy and its plugins as `privaci run` does, and runs it. */
async function runPolicy(policyFile: string, options: { chunkRows?: number; resume?: boolean } = {}) {
  const loaded = await loadPolicy(policyFile);
  const { registry, close } = await policyRegistry(loaded, { hostVersion: HOST_VERSION, timeoutMs: 10_000 });
  try {
    return await run(loaded, { registry, version: HOST_VERSION, ...options });
  } finally {
    await close();
  }
}

function policyText(urls: { sourceUrl: string; targetUrl: string }, plugin: string, nhsRule: string): string {
  return `version: 1
source: ${urls.sourceUrl}
target: ${urls.targetUrl}
key: "${KEY}"
${plugin}
tables:
  public.person:
    columns:
      id: keep
      nhs: ${nhsRule}
      name: keep
`;
}

function rows(bytes: Uint8Array): string[][] {
  return new TextDecoder().decode(bytes).trimEnd().split("\n").map((l) => l.split("\t"));
}

Deno.test("privaci run masks a column with a plugin signed, published to JSR and added", async () => {
  await withJsrRegistry(async (registry) => {
    await withTempDir(async (dir) => {
      const keyFile = join(dir, "nhs.key");
      const [publisher] = await cli("keygen", "--out", keyFile);
      const out = join(dir, "dist");
      await cli(
        "sign",
        new URL("../../plugins/nhs_number/mod.ts", import.meta.url).pathname,
        "--key",
        keyFile,
        "--out",
        out,
      );
      const files: Record<string, Uint8Array> = {};
      for (const f of ["mod.js", "plugin.json", "plugin.json.sig"]) {
        files[f] = await Deno.readFile(join(out, f));
      }
      await registry.publishJsr("@privaci/nhs", "1.0.0", files);

      await withDbs(async (dbs) => {
        await exec(
          dbs.sourceUrl,
          `${DDL};
          insert into person select g, lpad((943476591 + g)::text, 10, '0'), 'name ' || g from generate_series(1, ${ROWS}) g;
          insert into person values (${ROWS + 1}, null, 'no number')`,
        );
        await exec(dbs.targetUrl, DDL);
        const use = "jsr:@privaci/nhs@^1";
        const policy = join(dir, "privaci.yaml");
        await Deno.writeTextFile(
          policy,
          policyText(
            dbs,
            `plugins:\n  - use: "${use}"\n    publisher: "${publisher}"\n    alias: nhs`,
            "nhs/nhs_number",
          ),
        );
        await cli("add", use, "-c", policy);

        const report = await runPolicy(policy);
        assert.equal(report.tables.length, 1);
        const source = rows(await copyOut(dbs.sourceUrl, "select id, nhs, name from person order by id"));
        const target = rows(await copyOut(dbs.targetUrl, "select id, nhs, name from person order by id"));
        assert.equal(target.length, ROWS + 1);
        const seen = new Set<string>();
        for (let i = 0; i < ROWS; i++) {
          const [id, nhs, name] = target[i];
          assert.equal(id, source[i][0]);
          assert.equal(name, source[i][2]);
          assert.match(nhs, /^999\d{7}$/);
          assert.notEqual(nhs, source[i][1]);
          assert.equal(nhsCheckDigit(nhs.slice(0, 9)), Number(nhs[9]));
          seen.add(nhs);
        }
        assert.ok(seen.size > ROWS * 0.99, `outputs vary with the input: ${seen.size} distinct`);
        assert.deepEqual(target[ROWS], [String(ROWS + 1), "\\N", "no number"]);
      });
    });
  });
});

for (
  const [strategy, code] of [["read_file", "PLUGIN_PERMISSION"], ["loop_forever", "PLUGIN_TIMEOUT"]] as const
) {
  Deno.test(`privaci run with a hostile plugin (${strategy}) fails with ${code} and writes nothing`, async () => {
    await withTempDir(async (dir) => {
      const evil = await newPublisher();
      await writePackage(
        join(dir, "hostile"),
        (await signedModule(await fixtureModule("hostile"), evil)).files,
      );
      await withDbs(async (dbs) => {
        await exec(
          dbs.sourceUrl,
          `${DDL};
          insert into person select g, 'secret-' || g, 'name ' || g from generate_series(1, ${ROWS}) g`,
        );
        await exec(dbs.targetUrl, DDL);
        const policy = join(dir, "privaci.yaml");
        await Deno.writeTextFile(
          policy,
          policyText(
            dbs,
            `plugins:\n  - use: "file:./hostile/"\n    publisher: "${evil.publisher}"`,
            `"@evil/hostile/${strategy}"`,
          ),
        );
        await cli("add", "file:./hostile/", "-c", policy);
        const error = await runPolicy(policy).then(
          () => assert.fail("the run should fail"),
          (e: unknown) => e,
        );
        // The plugin's own error, with its code and exit code 3, located at the table, column and rows.
        assert.ok(error instanceof PluginError, String(error));
        assert.equal(error.code, code);
        assert.equal(error.exitCode, 3);
        assert.equal(error.location?.table, "public.person");
        assert.equal(error.location?.column, "nhs");
        assert.equal(error.location?.rows.first, 1);
        assert.match(error.message, /\(table public\.person, column nhs, rows 1-\d+\)$/);
        assert.equal(String(error.message).includes("secret-"), false);
        assert.equal(
          new TextDecoder().decode(await copyOut(dbs.targetUrl, "select count(*) from person")).trim(),
          "0",
        );
      });
    });
  });
}

Deno.test("privaci run with a plugin failing in a later chunk keeps the masked chunks before it, and --resume completes the table", async () => {
  await withTempDir(async (dir) => {
    const evil = await newPublisher();
    await writePackage(join(dir, "exfil"), (await signedModule(await fixtureModule("exfil"), evil)).files);
    await withDbs(async (dbs) => {
      await exec(
        dbs.sourceUrl,
        `${DDL};
        insert into person select g, 'secret-' || g, 'name ' || g from generate_series(1, ${ROWS}) g;
        update person set nhs = 'poison' where id = ${ROWS - 10};
        analyze person`,
      );
      await exec(dbs.targetUrl, DDL);
      const policy = join(dir, "privaci.yaml");
      await Deno.writeTextFile(
        policy,
        policyText(
          dbs,
          `plugins:\n  - use: "file:./exfil/"\n    publisher: "${evil.publisher}"`,
          `"@evil/exfil/fail_on_poison"`,
        ),
      );
      await cli("add", "file:./exfil/", "-c", policy);
      const error = await runPolicy(policy, { chunkRows: 1000 }).then(
        () => assert.fail("the run should fail"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof PluginError, String(error));
      assert.equal(error.code, "PLUGIN_ERROR");
      assert.equal(error.exitCode, 3);
      // Rows are counted from the chunk's first: the error names the chunk and the key range that places
      // them in the table, and the range holds the poisoned row.
      const { chunk, range, rows } = error.location ?? {};
      assert.ok(chunk !== undefined && chunk > 0, error.message);
      const [, lo, hi] = /^"id" >= (\d+)(?: and "id" < (\d+))?$/.exec(range ?? "") ?? [];
      assert.ok(Number(lo) <= ROWS - 10 && (hi === undefined || ROWS - 10 < Number(hi)), error.message);
      assert.ok(
        error.message.endsWith(
          `(table public.person, column nhs, rows ${rows?.first}-${rows?.last} of chunk ${chunk}, key range ${range})`,
        ),
        error.message,
      );
      const count = async (where: string) =>
        Number(
          new TextDecoder().decode(await copyOut(dbs.targetUrl, `select count(*) from person ${where}`))
            .trim(),
        );
      // Chunks commit one by one: the poisoned chunk is absent, and every committed row was masked.
      const committed = await count("");
      assert.ok(committed < ROWS, `${committed} rows committed`);
      assert.equal(await count("where nhs like 'secret-%' or nhs = 'poison'"), 0);
      assert.equal(await count(`where id = ${ROWS - 10}`), 0);
      // Once the cause is gone, --resume loads the chunks not yet loaded, and nothing twice.
      await exec(dbs.sourceUrl, `update person set nhs = 'cured' where id = ${ROWS - 10}`);
      await runPolicy(policy, { chunkRows: 1000, resume: true });
      assert.equal(await count(""), ROWS);
      assert.equal(
        Number(
          new TextDecoder().decode(await copyOut(dbs.targetUrl, "select count(distinct id) from person"))
            .trim(),
        ),
        ROWS,
      );
      assert.equal(await count("where nhs like 'secret-%'"), 0);
    });
  });
});
