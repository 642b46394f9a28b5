/**
 * The whole plugin story through the `privaci` command, as a user runs it: keygen, sign, publish to a
 * JSR-shaped registry, `privaci plugin add jsr:@acme/…`, then `privaci run` masks a column of a real
 * database with the plugin.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyOut, exec, withDbs } from "../_pg.ts";
import { withTempDir } from "../fixtures/plugins/_kit.ts";
import { LocalRegistry } from "../fixtures/plugins/_registry.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DDL = "create table customer (id int primary key, code text, note text)";
const KEY = "base64:" + btoa("an end-to-end policy key, 32+ bytes long");

async function privaci(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "privaci", ...args],
    cwd: ROOT,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("privaci plugin sign → publish → plugin add jsr: → privaci run masks a column", async () => {
  const registry = new LocalRegistry();
  try {
    await withTempDir(async (dir) => {
      const env = { JSR_URL: registry.url };
      const keyFile = join(dir, "acme.key");
      const keygen = await privaci(["plugin", "keygen", "--out", keyFile], env);
      assert.equal(keygen.code, 0, keygen.stderr);
      const publisher = keygen.stdout.trim();
      assert.match(publisher, /^ed25519:[A-Za-z0-9+/]{43}=$/);

      const dist = join(dir, "dist");
      const sign = await privaci([
        "plugin",
        "sign",
        join(ROOT, "examples/custom_plugin/mod.ts"),
        "--key",
        keyFile,
        "--out",
        dist,
      ], env);
      assert.equal(sign.code, 0, sign.stderr);
      const files: Record<string, Uint8Array> = {};
      for (const f of ["mod.js", "plugin.json", "plugin.json.sig"]) {
        files[f] = await Deno.readFile(join(dist, f));
      }
      await registry.publishJsr("@acme/customer-code", "1.0.0", files);

      await withDbs(async (dbs) => {
        await exec(
          dbs.sourceUrl,
          `${DDL};
          insert into customer select g, 'CUS-' || lpad(g::text, 6, '0'), 'note ' || g from generate_series(1, 2000) g`,
        );
        await exec(dbs.targetUrl, DDL);
        const use = "jsr:@acme/customer-code@^1";
        const policy = join(dir, "privaci.yaml");
        await Deno.writeTextFile(
          policy,
          `version: 1
source: ${dbs.sourceUrl}
target: ${dbs.targetUrl}
key: "${KEY}"
plugins:
  - use: "${use}"
    publisher: "${publisher}"
    alias: acme
tables:
  public.customer:
    columns:
      id: keep
      code: { strategy: acme/customer_code, keep_prefix: 4 }
      note: keep
`,
        );
        const add = await privaci(["plugin", "add", use, "-c", policy], env);
        assert.equal(add.code, 0, add.stderr);
        assert.match(add.stdout, /^added @acme\/customer-code@1\.0\.0 to /);

        const run = await privaci(["run", "-c", policy, "--quiet"], env);
        assert.equal(run.code, 0, run.stderr);
        const source = new TextDecoder().decode(
          await copyOut(dbs.sourceUrl, "select id, code, note from customer order by id"),
        )
          .trimEnd().split("\n").map((l) => l.split("\t"));
        const target = new TextDecoder().decode(
          await copyOut(dbs.targetUrl, "select id, code, note from customer order by id"),
        )
          .trimEnd().split("\n").map((l) => l.split("\t"));
        assert.equal(target.length, 2000);
        let changed = 0;
        for (let i = 0; i < target.length; i++) {
          assert.equal(target[i][0], source[i][0]);
          assert.equal(target[i][2], source[i][2]);
          assert.match(target[i][1], /^CUS-\d{6}$/);
          if (target[i][1] !== source[i][1]) changed++;
        }
        assert.ok(changed > 1990, `codes are masked: ${changed} of 2000 changed`);

        // The same run again with the module tampered in the registry is refused before any row moves.
        const tampered = new TextDecoder().decode(files["mod.js"]).replace("keep_prefix", "keep_prefiX");
        await registry.publishJsr("@acme/customer-code", "1.0.0", {
          ...files,
          "mod.js": new TextEncoder().encode(tampered),
        });
        await exec(dbs.targetUrl, "truncate customer");
        const refused = await privaci(["run", "-c", policy, "--quiet"], env);
        assert.equal(refused.code, 3, refused.stderr);
        assert.match(
          refused.stderr,
          /error PLUGIN_INTEGRITY: Cannot load plugin @acme\/customer-code@1\.0\.0 as its module's bytes differ from the signed manifest/,
        );
        assert.equal(
          new TextDecoder().decode(await copyOut(dbs.targetUrl, "select count(*) from customer")).trim(),
          "0",
        );
      });
    });
  } finally {
    await registry.close();
  }
});

for (
  const [strategy, code] of [
    ["name_while_masking", "PLUGIN_ERROR"],
    ["message_while_masking", "PLUGIN_ERROR"],
    ["name_at_close", "PLUGIN_ERROR"],
    ["forge_fd1", "PLUGIN_OUTPUT"],
    ["lone_surrogate", "PLUGIN_OUTPUT"],
  ] as const
) {
  Deno.test(`privaci run --debug with a plugin that smuggles values out (${strategy}) exits 3 with ${code} and prints none`, async () => {
    const { fixtureModule, newPublisher, signedModule, writePackage } = await import(
      "../fixtures/plugins/_kit.ts"
    );
    await withTempDir(async (dir) => {
      const evil = await newPublisher();
      await writePackage(join(dir, "exfil"), (await signedModule(await fixtureModule("exfil"), evil)).files);
      await withDbs(async (dbs) => {
        await exec(
          dbs.sourceUrl,
          `${DDL}; insert into customer select g, 'secret-' || g, 'n' from generate_series(1, 50) g`,
        );
        await exec(dbs.targetUrl, DDL);
        const policy = join(dir, "privaci.yaml");
        await Deno.writeTextFile(
          policy,
          `version: 1
source: ${dbs.sourceUrl}
target: ${dbs.targetUrl}
key: "${KEY}"
plugins:
  - use: "file:./exfil/"
    publisher: "${evil.publisher}"
tables:
  public.customer:
    columns:
      id: keep
      code: "@evil/exfil/${strategy}"
      note: keep
`,
        );
        const add = await privaci(["plugin", "add", "file:./exfil/", "-c", policy], {});
        assert.equal(add.code, 0, add.stderr);
        const run = await privaci(["run", "-c", policy, "--debug"], {});
        const output = run.stdout + run.stderr;
        assert.equal(run.code, 3, output);
        assert.match(run.stderr, new RegExp(`error ${code}: Plugin @evil/exfil `));
        assert.equal(/secret-\d/.test(output), false, output);
        // deno-lint-ignore no-control-regex
        assert.equal(/\x1b|\r/.test(output), false, JSON.stringify(output));
        // --debug shows where in the plugin it failed (line and column numbers), nothing the plugin named.
        if (code === "PLUGIN_ERROR") {
          assert.match(run.stderr, /The plugin's stack \(its error names and messages are withheld\)/);
        }
        if (strategy !== "name_at_close") {
          assert.match(run.stderr, /\(table public\.customer, column code, rows 1-50\)/);
        }
        const masked = new TextDecoder().decode(
          await copyOut(dbs.targetUrl, "select count(*) from customer where code like 'secret-%'"),
        );
        assert.equal(masked.trim(), "0");
      });
    });
  });
}
