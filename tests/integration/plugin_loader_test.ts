import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginError } from "../../errors.ts";
import { addPlugin } from "../../plugins/add.ts";
import { loadPlugins } from "../../plugins/loader.ts";
import { readLock } from "../../plugins/lock.ts";
import { sha256Integrity } from "../../plugins/signing.ts";
import { Keyring } from "../../strategies/keyed/keyring.ts";
import {
  fixtureModule,
  HOST_VERSION,
  newPublisher,
  signedModule,
  withTempDir,
  writePackage,
} from "../fixtures/plugins/_kit.ts";
import { maskWith } from "../fixtures/plugins/_mask.ts";
import { withJsrRegistry as withRegistry } from "../fixtures/plugins/_registry.ts";

function release(version: string): (text: string) => string {
  return (t) => t.replace('version: "1.0.0"', `version: "${version}"`);
}

async function fileExists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("loadPlugins() masks a batch with a plugin signed, published to a JSR-shaped registry and added", async () => {
  await withRegistry(async (registry) => {
    await withTempDir(async (dir) => {
      const acme = await newPublisher();
      const upper = await fixtureModule("upper");
      const v110 = await signedModule(upper, acme, release("1.1.0"));
      await registry.publishJsr("@acme/upper", "1.0.0", (await signedModule(upper, acme)).files);
      await registry.publishJsr("@acme/upper", "1.1.0", v110.files);
      await registry.publishJsr(
        "@acme/upper",
        "2.0.0",
        (await signedModule(upper, acme, release("2.0.0"))).files,
      );
      const lockFile = join(dir, "privaci.lock");
      const use = "jsr:@acme/upper@^1.0";

      const added = await addPlugin(use, { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION });
      assert.equal(added.manifest.version, "1.1.0");
      assert.deepEqual((await readLock(lockFile)).plugins, {
        [use]: {
          name: "@acme/upper",
          version: "1.1.0",
          resolved: `${registry.url}@acme/upper/1.1.0/`,
          manifest: await sha256Integrity(v110.files["plugin.json"]),
          module: v110.manifest.integrity,
          signer: acme.publisher,
        },
      });

      const loaded = await loadPlugins([{ use, publisher: acme.publisher, alias: "up" }], {
        lockFile,
        keyring: null,
        hostVersion: HOST_VERSION,
      });
      try {
        assert.deepEqual(loaded.strategies.map((s) => s.meta.name), [
          "@acme/upper/upper",
          "up/upper",
          "@acme/upper/key_tag",
          "up/key_tag",
        ]);
        const upperDef = loaded.strategies[0];
        assert.deepEqual(upperDef.meta, {
          name: "@acme/upper/upper",
          description: "Writes the value in upper case, with an optional suffix",
          columnTypes: ["string"],
          deterministic: true,
          unique: false,
          keyed: false,
          examples: [{ input: "ada", output: "ADA" }],
        });
        assert.deepEqual(await maskWith(upperDef, ["ada", null, "grace"]), ["ADA", null, "GRACE"]);
        assert.deepEqual(await maskWith(loaded.strategies[1], ["ada"], { params: { suffix: "!" } }), [
          "ADA!",
        ]);
        assert.equal(upperDef.params.safeParse({ suffix: 3 }).success, false);
        assert.equal(upperDef.params.safeParse({ other: "x" }).success, false);
        // Each masked column ran in a sandbox of its own; all are stopped once their column is closed.
        assert.equal(loaded.sandboxes.length, 2);
        const { sandbox } = loaded.sandboxes[1];
        await sandbox.status;
        assert.equal(loaded.sandboxes.every((s) => s.plugin === "@acme/upper"), true);
        assert.equal(loaded.sandboxes.some((s) => s.sandbox.running), false);
        await loaded.close();
        assert.equal(sandbox.running, false);
      } finally {
        await loaded.close();
      }
      // Frozen: only the locked version's files were fetched at load, the range was not re-resolved.
      const loads = registry.hits.slice(registry.hits.lastIndexOf("/@acme/upper/meta.json") + 1);
      assert.equal(loads.some((p) => p.includes("2.0.0")), false);
    });
  });
});

Deno.test("loadPlugins() gives a plugin a key derived for its publisher, its name and the column's domain, never the master key", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    const pkg = await signedModule(await fixtureModule("upper"), acme);
    await writePackage(join(dir, "upper"), pkg.files);
    const lockFile = join(dir, "privaci.lock");
    const use = "file:./upper/";
    await addPlugin(use, { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION });
    const master = crypto.getRandomValues(new Uint8Array(32));
    const keyring = await Keyring.create(master);
    const loaded = await loadPlugins([{ use, publisher: acme.publisher }], {
      lockFile,
      keyring,
      hostVersion: HOST_VERSION,
    });
    try {
      const keyTag = loaded.strategies.find((s) => s.meta.name === "@acme/upper/key_tag")!;
      const domainKey = await keyring.derive("domain:customer");
      const got = await maskWith(keyTag, ["x", "y"], { key: domainKey, domain: "customer" });
      const expected = await keyring.derive(
        `plugin:${JSON.stringify([acme.publisher, "@acme/upper", "customer"])}`,
      );
      const hex = (b: Uint8Array) => [...b.slice(0, 4)].map((x) => x.toString(16).padStart(2, "0")).join("");
      assert.deepEqual(got, [hex(expected), hex(expected)]);
      assert.notEqual(got[0], hex(master));
      assert.notEqual(got[0], hex(domainKey));
      const other = await maskWith(keyTag, ["x"], { key: domainKey, domain: "supplier" });
      assert.notEqual(other[0], got[0]);
    } finally {
      await loaded.close();
    }
  });
});

Deno.test("loadPlugins() gives a plugin another publisher signed under the same name another key", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    const mallory = await newPublisher();
    const keyring = await Keyring.create(crypto.getRandomValues(new Uint8Array(32)));
    const tags: string[] = [];
    for (const [name, who] of [["acme", acme], ["mallory", mallory]] as const) {
      // The same module, declaring the same plugin name, signed by each publisher.
      await writePackage(join(dir, name), (await signedModule(await fixtureModule("upper"), who)).files);
      const lockFile = join(dir, `${name}.lock`);
      const use = `file:./${name}/`;
      await addPlugin(use, { publisher: who.publisher, lockFile, hostVersion: HOST_VERSION });
      const loaded = await loadPlugins([{ use, publisher: who.publisher }], {
        lockFile,
        keyring,
        hostVersion: HOST_VERSION,
      });
      try {
        const keyTag = loaded.strategies.find((s) => s.meta.name === "@acme/upper/key_tag")!;
        const domainKey = await keyring.derive("domain:customer");
        tags.push((await maskWith(keyTag, ["x"], { key: domainKey, domain: "customer" }))[0]!);
      } finally {
        await loaded.close();
      }
    }
    assert.equal(tags.length, 2);
    assert.notEqual(tags[0], tags[1]);
  });
});

Deno.test("loadPlugins() refuses a plugin missing from the lock", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    await writePackage(join(dir, "upper"), (await signedModule(await fixtureModule("upper"), acme)).files);
    const lockFile = join(dir, "privaci.lock");
    await assert.rejects(
      loadPlugins([{ use: "file:./upper/", publisher: acme.publisher }], {
        lockFile,
        keyring: null,
        hostVersion: HOST_VERSION,
      }),
      (e: unknown) => {
        assert.ok(e instanceof PluginError);
        assert.equal(e.code, "PLUGIN_LOCK");
        assert.equal(
          e.message,
          `Cannot load plugin file:./upper/ as it is not in the lock file: ${lockFile}`,
        );
        assert.equal(e.hint, "Verify and pin it with: privaci plugin add file:./upper/");
        assert.equal(e.exitCode, 3);
        return true;
      },
    );
    assert.equal(await fileExists(lockFile), false);
  });
});

Deno.test("loadPlugins() refuses module bytes tampered with after signing", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    const pkg = await signedModule(await fixtureModule("upper"), acme);
    await writePackage(join(dir, "upper"), pkg.files);
    const lockFile = join(dir, "privaci.lock");
    await addPlugin("file:./upper/", { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION });
    const text = new TextDecoder().decode(pkg.files["mod.js"]).replace("toUpperCase()", "toLowerCase()");
    await Deno.writeTextFile(join(dir, "upper", "mod.js"), text);
    await assert.rejects(
      loadPlugins([{ use: "file:./upper/", publisher: acme.publisher }], {
        lockFile,
        keyring: null,
        hostVersion: HOST_VERSION,
      }),
      {
        name: "PluginError",
        code: "PLUGIN_INTEGRITY",
        message: "Cannot load plugin @acme/upper@1.0.0 as its module's bytes differ from the signed manifest",
      },
    );
  });
});

Deno.test("addPlugin() refuses a file the JSR registry's checksum does not match", async () => {
  await withRegistry(async (registry) => {
    await withTempDir(async (dir) => {
      const acme = await newPublisher();
      const pkg = await signedModule(await fixtureModule("upper"), acme);
      await registry.publishJsr("@acme/upper", "1.0.0", pkg.files);
      const tampered = new TextEncoder().encode(
        new TextDecoder().decode(pkg.files["mod.js"]).replace("toUpperCase", "toLowerCase"),
      );
      registry.put("/@acme/upper/1.0.0/mod.js", tampered);
      const lockFile = join(dir, "privaci.lock");
      await assert.rejects(
        addPlugin("jsr:@acme/upper@1", { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION }),
        {
          code: "PLUGIN_INTEGRITY",
          message:
            "Cannot use mod.js of plugin @acme/upper@1.0.0 as its bytes do not match the registry's checksum",
        },
      );
      assert.equal(await fileExists(lockFile), false);
    });
  });
});

Deno.test("addPlugin() refuses a manifest signed by another key and writes nothing", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    const mallory = await newPublisher();
    await writePackage(join(dir, "upper"), (await signedModule(await fixtureModule("upper"), mallory)).files);
    const lockFile = join(dir, "privaci.lock");
    await assert.rejects(
      addPlugin("file:./upper", { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION }),
      {
        code: "PLUGIN_SIGNATURE",
        message:
          "Cannot load plugin file:./upper as its manifest is not signed by the publisher the policy trusts",
      },
    );
    assert.equal(await fileExists(lockFile), false);
  });
});

Deno.test("addPlugin() and loadPlugins() refuse a version downgrade", async () => {
  await withRegistry(async (registry) => {
    await withTempDir(async (dir) => {
      const acme = await newPublisher();
      const upper = await fixtureModule("upper");
      const v100 = await signedModule(upper, acme);
      const v110 = await signedModule(upper, acme, release("1.1.0"));
      registry.putAll("/upper/", v110.files);
      const lockFile = join(dir, "privaci.lock");
      const use = `${registry.url}upper/`;
      await addPlugin(use, { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION });
      const before = await Deno.readTextFile(lockFile);
      // The server now serves the older, validly signed release.
      registry.putAll("/upper/", v100.files);
      await assert.rejects(
        loadPlugins([{ use, publisher: acme.publisher }], {
          lockFile,
          keyring: null,
          hostVersion: HOST_VERSION,
        }),
        {
          code: "PLUGIN_VERSION",
          message: "Cannot load plugin @acme/upper as 1.0.0 is a downgrade: the lock pins 1.1.0",
        },
      );
      await assert.rejects(
        addPlugin(use, { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION }),
        {
          code: "PLUGIN_VERSION",
          message: "Cannot add plugin @acme/upper@1.0.0 as it is a downgrade: the lock pins 1.1.0",
        },
      );
      assert.equal(await Deno.readTextFile(lockFile), before);
    });
  });
});

Deno.test("loadPlugins() and addPlugin() refuse a changed signer", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    const other = await newPublisher();
    const upper = await fixtureModule("upper");
    await writePackage(join(dir, "upper"), (await signedModule(upper, acme)).files);
    const lockFile = join(dir, "privaci.lock");
    await addPlugin("file:./upper/", { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION });
    const before = await Deno.readTextFile(lockFile);
    await writePackage(join(dir, "upper"), (await signedModule(upper, other, release("1.0.1"))).files);
    await assert.rejects(
      loadPlugins([{ use: "file:./upper/", publisher: other.publisher }], {
        lockFile,
        keyring: null,
        hostVersion: HOST_VERSION,
      }),
      {
        code: "PLUGIN_SIGNATURE",
        message:
          "Cannot load plugin @acme/upper as the policy trusts another publisher than the lock recorded: the signer changed",
      },
    );
    await assert.rejects(
      addPlugin("file:./upper/", { publisher: other.publisher, lockFile, hostVersion: HOST_VERSION }),
      {
        code: "PLUGIN_SIGNATURE",
        message: "Cannot add plugin @acme/upper as its signer changed from the one the lock recorded",
      },
    );
    assert.equal(await Deno.readTextFile(lockFile), before);
  });
});

Deno.test("addPlugin() refuses an unsupported plugin API version and a host outside the plugin's range", async () => {
  await withTempDir(async (dir) => {
    const acme = await newPublisher();
    const upper = await fixtureModule("upper");
    await writePackage(
      join(dir, "api2"),
      (await signedModule(upper, acme, (t) => t.replace("apiVersion: 1", "apiVersion: 2"))).files,
    );
    await writePackage(
      join(dir, "future"),
      (await signedModule(upper, acme, (t) => t.replace('privaci: "^0.1"', 'privaci: ">=0.5 <1"'))).files,
    );
    const lockFile = join(dir, "privaci.lock");
    await assert.rejects(
      addPlugin("file:./api2/", { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION }),
      {
        code: "PLUGIN_VERSION",
        message:
          "Cannot load plugin @acme/upper@1.0.0 as it uses plugin API version 2: this PrivaCI supports version 1",
      },
    );
    await assert.rejects(
      addPlugin("file:./future/", { publisher: acme.publisher, lockFile, hostVersion: HOST_VERSION }),
      {
        code: "PLUGIN_VERSION",
        message: "Cannot load plugin @acme/upper@1.0.0 as it supports PrivaCI >=0.5 <1: this is 0.1.0",
      },
    );
    assert.equal(await fileExists(lockFile), false);
  });
});
