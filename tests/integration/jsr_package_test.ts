/**
 * The published package, as a new user meets it: `deno publish` (the real command, with a token) to a
 * JSR-shaped registry on 127.0.0.1, then `deno run -A jsr:@privaci/cli@<version>` from an empty directory
 * with a fresh `DENO_DIR`, npm packages coming from a mirror on the same address. Covers `--help`,
 * `check`, a `run` with text.scrub and masking workers, and a plugin written against the published SDK,
 * signed, published to the same registry and run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { copyOut, exec, withDbs } from "../_pg.ts";
import { LocalJsr } from "../fixtures/registry/server.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const VERSION = denoJson.version;
const SPEC = `jsr:@privaci/cli@${VERSION}`;
const KEY = "base64:" + btoa("a registry test policy key, 32+ bytes long");

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

async function deno(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Output> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** The caches of the Deno running the tests: its npm cache (which the mirror serves) and its folder. */
async function denoCaches(): Promise<{ npm: string; denoDir: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  return { npm: join(info.npmCache, "registry.npmjs.org"), denoDir: info.denoDir };
}

/**
 * Copies the esbuild binary `deno bundle` runs (which Deno downloads into `DENO_DIR/dl`, as it does
 * `denort`) into a fresh cache: a tool of Deno's, not part of the package under test.
 */
async function seedEsbuild(from: string, to: string): Promise<void> {
  await Deno.mkdir(join(to, "dl"), { recursive: true });
  if (!(await Deno.stat(join(from, "dl")).then((s) => s.isDirectory, () => false))) return;
  for await (const e of Deno.readDir(join(from, "dl"))) {
    if (!e.isDirectory || !e.name.startsWith("esbuild-")) continue;
    await Deno.mkdir(join(to, "dl", e.name));
    for await (const f of Deno.readDir(join(from, "dl", e.name))) {
      await Deno.copyFile(join(from, "dl", e.name, f.name), join(to, "dl", e.name, f.name));
    }
  }
}

const PLUGIN = `import { type Cell, definePlugin } from "@privaci/cli/plugin";

export default definePlugin({
  name: "@acme/upper",
  version: "1.0.0",
  apiVersion: 1,
  privaci: "^${VERSION.split(".").slice(0, 2).join(".")}",
  strategies: {
    upper: {
      description: "Upper-cases the value",
      params: { type: "object", properties: {}, additionalProperties: false },
      columnTypes: ["string"],
      deterministic: true,
      keyed: false,
      examples: [{ input: "abc", output: "ABC" }],
      mask(values: readonly Cell[]) {
        return values.map((v) => v === null ? null : v.toUpperCase());
      },
    },
  },
});
`;

const PEOPLE = `create table people (id int primary key, email text not null, note text, code text)`;
const ACCOUNTS = `create table accounts (id int primary key, email text not null, full_name text not null)`;
/** Enough bytes that the masking stage, after timing its first 256 KiB, hands the table to the workers. */
const ACCOUNT_ROWS = 40_000;
const NAMES = ["Margaret Thornton", "Oliver Bennett", "Priya Raman", "Lucas Moreau"];

Deno.test({
  name: "deno run -A jsr:@privaci/cli runs --help, check, run and a plugin from a registry on 127.0.0.1",
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const token = crypto.randomUUID();
  const caches = await denoCaches();
  const registry = new LocalJsr({ token, npmCache: caches.npm });
  const home = await Deno.makeTempDir({ prefix: "privaci_jsr_" });
  try {
    registry.createPackage("@privaci/cli");
    registry.createPackage("@acme/upper");
    const publishEnv = {
      JSR_URL: registry.url,
      JSR_API_URL: registry.apiUrl,
      HOME: Deno.env.get("HOME") ?? home,
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    };

    await t.step("deno publish uploads the package", async () => {
      const published = await deno(["publish", "--token", token, "--allow-dirty", "--no-provenance"], {
        cwd: ROOT,
        env: publishEnv,
      });
      assert.equal(published.code, 0, published.stderr);
      assert.deepEqual(registry.log.published, [`@privaci/cli@${VERSION}`]);
      const files = [...registry.files("@privaci/cli", VERSION)!.keys()];
      for (
        const needed of [
          "/mod.ts",
          "/cli.ts",
          "/LICENSE",
          "/execute/_mask_worker.ts",
          "/strategies/text/_worker.ts",
        ]
      ) {
        assert.ok(files.includes(needed), `${needed} is published`);
      }
      const unwanted = files.filter((f) =>
        /_test\.ts$|\/testdata\/|^\/(tests|bench|tools|\.ci|\.github)\/|^\/deno\.lock$/.test(f)
      );
      assert.deepEqual(unwanted, []);
    });

    // A new user: an empty directory, an empty Deno cache, the registry and the npm mirror on 127.0.0.1.
    const work = join(home, "work");
    await Deno.mkdir(work);
    await seedEsbuild(caches.denoDir, join(home, "deno_dir"));
    const env = {
      DENO_DIR: join(home, "deno_dir"),
      HOME: home,
      JSR_URL: registry.url,
      NPM_CONFIG_REGISTRY: registry.npmUrl,
    };
    const privaci = (args: string[]) => deno(["run", "-A", SPEC, ...args], { cwd: work, env });

    await t.step("--help prints the usage", async () => {
      const help = await privaci(["--help"]);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^Usage: privaci \[options\] \[command\]/);
      assert.match(help.stdout, /\n {2}check /);
    });

    await withDbs(async (dbs) => {
      const rows = 400;
      await exec(
        dbs.sourceUrl,
        `${PEOPLE};
        insert into people
        select g, 'user' || g || '@corp.example',
               'Call ' || (array['${NAMES.join("','")}'])[1 + g % 4] || ' about ticket ' || g,
               'code-' || g
        from generate_series(1, ${rows}) g`,
      );
      await exec(
        dbs.sourceUrl,
        `${ACCOUNTS};
        insert into accounts
        select g, 'account' || g || '@corp.example', 'Holder Number' || g || ' Smithson-Fairweather'
        from generate_series(1, ${ACCOUNT_ROWS}) g`,
      );
      await exec(dbs.targetUrl, `${PEOPLE}; ${ACCOUNTS}`);
      const policy = (columns: string, plugins = "") =>
        `version: 1
source: ${dbs.sourceUrl}
target: ${dbs.targetUrl}
key: "${KEY}"
${plugins}options:
  mask_workers: 2
tables:
  public.people:
    columns:
      id: keep
      email: fake.email
      note: { strategy: text.scrub, workers: 1 }
${columns}  public.accounts:
    columns:
      id: keep
      email: fake.email
      full_name: fake.full_name
`;
      await Deno.writeTextFile(join(work, "privaci.yaml"), policy("      code: redact\n"));

      await t.step("check classifies every column", async () => {
        const check = await privaci(["check", "-c", "privaci.yaml"]);
        assert.equal(check.code, 0, check.stderr);
        assert.match(check.stdout, /^ok: 2 tables, 7 columns, every column classified/);
      });

      await t.step("run masks with text.scrub and masking workers", async () => {
        const run = await privaci(["run", "-c", "privaci.yaml", "--quiet", "--mask-workers", "2"]);
        assert.equal(run.code, 0, run.stderr);
        const target = new TextDecoder().decode(
          await copyOut(dbs.targetUrl, "select id, email, note from people order by id"),
        ).trimEnd().split("\n").map((l) => l.split("\t"));
        assert.equal(target.length, rows);
        for (const [id, email, note] of target) {
          assert.notEqual(email, `user${id}@corp.example`);
          assert.match(email, /^[^@\s]+@[^@\s]+$/);
          assert.match(note, new RegExp(`ticket ${id}$`));
          for (const name of NAMES) assert.ok(!note.includes(name), `row ${id}: a name is left in the note`);
        }
        const accounts = new TextDecoder().decode(
          await copyOut(
            dbs.targetUrl,
            "select count(*), count(*) filter (where email like 'account%') from accounts",
          ),
        );
        assert.equal(accounts, `${ACCOUNT_ROWS}\t0\n`);
        // The workers started from the registry's copy of their modules (nothing else loads them). The
        // accounts table goes to the masking workers because fake.email and fake.name mask far slower than
        // the 64 MB/s above which a table stays on the main thread (a busy machine only makes them slower).
        const base = `/@privaci/cli/${VERSION}`;
        assert.ok(
          registry.log.fetched.includes(`${base}/execute/_mask_worker.ts`),
          "mask worker module fetched",
        );
        assert.ok(
          registry.log.fetched.includes(`${base}/strategies/text/_worker.ts`),
          "text worker module fetched",
        );
      });

      await t.step({
        name: "a plugin built on the published SDK is signed, published and run",
        fn: async () => {
          const src = join(work, "upper");
          const dist = join(work, "upper_dist");
          await Deno.mkdir(src);
          await Deno.writeTextFile(join(src, "mod.ts"), PLUGIN);
          await Deno.writeTextFile(
            join(src, "deno.json"),
            JSON.stringify({ imports: { "@privaci/cli/plugin": `${SPEC}/plugin` } }),
          );
          const keygen = await privaci(["plugin", "keygen", "--out", "acme.key"]);
          assert.equal(keygen.code, 0, keygen.stderr);
          const publisher = keygen.stdout.trim();
          const sign = await privaci(["plugin", "sign", "upper/mod.ts", "--key", "acme.key", "--out", dist]);
          assert.equal(sign.code, 0, sign.stderr);
          await Deno.writeTextFile(
            join(dist, "deno.json"),
            JSON.stringify({ name: "@acme/upper", version: "1.0.0", license: "MIT", exports: "./mod.js" }),
          );
          const published = await deno(["publish", "--token", token, "--no-provenance"], {
            cwd: dist,
            env: { ...env, JSR_API_URL: registry.apiUrl },
          });
          assert.equal(published.code, 0, published.stderr);
          assert.ok(registry.log.published.includes("@acme/upper@1.0.0"));
          const signed = registry.files("@acme/upper", "1.0.0")!;
          for (const file of ["/mod.js", "/plugin.json", "/plugin.json.sig"]) {
            assert.ok(signed.has(file), file);
          }

          const use = "jsr:@acme/upper@^1";
          await Deno.writeTextFile(
            join(work, "privaci.yaml"),
            policy(
              "      code: acme/upper\n",
              `plugins:\n  - use: "${use}"\n    publisher: "${publisher}"\n    alias: acme\n`,
            ),
          );
          const add = await privaci(["plugin", "add", use, "-c", "privaci.yaml"]);
          assert.equal(add.code, 0, add.stderr);
          await exec(dbs.targetUrl, "truncate people, accounts");
          const run = await privaci(["run", "-c", "privaci.yaml", "--quiet"]);
          assert.equal(run.code, 0, run.stderr);
          assert.ok(
            registry.log.fetched.includes("/@acme/upper/1.0.0/mod.js"),
            "the plugin came from the registry",
          );
          const codes = new TextDecoder().decode(
            await copyOut(dbs.targetUrl, "select id, code from people order by id"),
          )
            .trimEnd().split("\n").map((l) => l.split("\t"));
          assert.equal(codes.length, rows);
          for (const [id, code] of codes) assert.equal(code, `CODE-${id}`);
        },
      });
    });
  } finally {
    await registry.close();
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
