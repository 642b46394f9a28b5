import assert from "node:assert/strict";
import { join } from "node:path";
import { pluginCommand } from "../../plugins/cli.ts";
import { loadPlugins } from "../../plugins/loader.ts";
import { readLock } from "../../plugins/lock.ts";
import { nhsCheckDigit } from "../../plugins/nhs_number/mod.ts";
import { Keyring } from "../../strategies/keyed/keyring.ts";
import { signPackage } from "../../plugins/package.ts";
import { HOST_VERSION, newPublisher, withTempDir, writePackage } from "../fixtures/plugins/_kit.ts";
import { maskWith } from "../fixtures/plugins/_mask.ts";
import { withJsrRegistry } from "../fixtures/plugins/_registry.ts";

const NHS_ENTRY = new URL("../../plugins/nhs_number/mod.ts", import.meta.url).pathname;

async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await pluginCommand({ print: (l) => lines.push(l) }).exitOverride().parseAsync(args, { from: "user" });
  return lines;
}

Deno.test("privaci plugin keygen → sign → publish → add → list → load masks NHS numbers", async () => {
  await withJsrRegistry(async (registry) => {
    await withTempDir(async (dir) => {
      const keyFile = join(dir, "publisher.key");
      const [publisher] = await cli("keygen", "--out", keyFile);
      assert.match(publisher, /^ed25519:[A-Za-z0-9+/]{43}=$/);
      assert.equal((await Deno.stat(keyFile)).mode! & 0o777, 0o600);
      await assert.rejects(cli("keygen", "--out", keyFile), {
        code: "USAGE",
        message: `Cannot write the private key as the file exists: ${keyFile}`,
      });

      const out = join(dir, "dist");
      const signed = await cli("sign", NHS_ENTRY, "--key", keyFile, "--out", out);
      assert.match(
        signed[0],
        new RegExp(
          `^signed @privaci/nhs@1\\.0\\.0 \\(sha256-[A-Za-z0-9+/]{43}=\\) by ${
            publisher.replace(/[+/]/g, "\\$&")
          }$`,
        ),
      );
      const files: Record<string, Uint8Array> = {};
      for (const f of ["mod.js", "plugin.json", "plugin.json.sig"]) {
        files[f] = await Deno.readFile(join(out, f));
      }
      assert.equal(
        new TextDecoder().decode(files["mod.js"]).includes('from "'),
        false,
        "bundled into one module",
      );
      await registry.publishJsr("@privaci/nhs", "1.0.0", files);

      const policy = join(dir, "privaci.yaml");
      const use = "jsr:@privaci/nhs@^1";
      await Deno.writeTextFile(
        policy,
        `version: 1\nplugins:\n  - use: "${use}"\n    publisher: "${publisher}"\n    alias: nhs\n`,
      );
      const verified = await cli("verify", use, "-c", policy);
      assert.equal(verified[0], `ok @privaci/nhs@1.0.0 signed by ${publisher}`);
      assert.equal(verified[2], `  not in ${join(dir, "privaci.lock")} (run: privaci plugin add ${use})`);

      const added = await cli("add", use, "-c", policy);
      assert.equal(added[0], `added @privaci/nhs@1.0.0 to ${join(dir, "privaci.lock")}`);
      const lock = await readLock(join(dir, "privaci.lock"));
      assert.deepEqual(Object.keys(lock.plugins), [use]);
      assert.equal(lock.plugins[use].signer, publisher);

      const listed = await cli("list", "-c", policy, "--json");
      const json = JSON.parse(listed.join("\n"));
      assert.ok(json.builtins.some((b: { name: string }) => b.name === "keep"));
      assert.deepEqual(json.plugins, [{
        use,
        status: "@privaci/nhs@1.0.0",
        strategies: [
          {
            name: "@privaci/nhs/nhs_number",
            description:
              "Writes a well-formed NHS number (valid check digit) derived from the value and the key",
          },
          { name: "nhs/nhs_number", description: "alias of @privaci/nhs/nhs_number" },
        ],
      }]);

      const keyring = await Keyring.create(crypto.getRandomValues(new Uint8Array(32)));
      const loaded = await loadPlugins([{ use, publisher, alias: "nhs" }], {
        lockFile: join(dir, "privaci.lock"),
        keyring,
        hostVersion: HOST_VERSION,
      });
      try {
        const def = loaded.strategies.find((s) => s.meta.name === "nhs/nhs_number")!;
        const key = await keyring.derive("domain:nhs");
        const input = ["943 476 5919", "9434765919", null, "943 476 5919"];
        const out = await maskWith(def, input, { key, domain: "nhs" });
        assert.equal(out[2], null);
        assert.equal(out[0], out[3], "deterministic");
        assert.match(out[0]!, /^999 \d{3} \d{4}$/);
        assert.match(out[1]!, /^999\d{7}$/);
        for (const v of [out[0]!, out[1]!]) {
          const digits = v.replace(/ /g, "");
          assert.equal(nhsCheckDigit(digits.slice(0, 9)), Number(digits[9]));
        }
        assert.deepEqual(
          await maskWith(def, ["943 476 5919"], { key, domain: "nhs", params: { format: "plain" } }),
          [out[0]!.replace(/ /g, "")],
        );
      } finally {
        await loaded.close();
      }
    });
  });
});

Deno.test("privaci plugin add refuses a specifier with no publisher key", async () => {
  await withTempDir(async (dir) => {
    const policy = join(dir, "privaci.yaml");
    await Deno.writeTextFile(policy, "version: 1\n");
    await assert.rejects(cli("add", "jsr:@acme/x@1", "-c", policy), {
      code: "USAGE",
      message:
        `Cannot verify jsr:@acme/x@1 as no publisher key is given: pass --publisher or list it under plugins: in ${policy}`,
    });
    assert.equal(await Deno.stat(join(dir, "privaci.lock")).then(() => true, () => false), false);
  });
});

Deno.test("examples/custom_plugin signs, pins from a file: path and masks customer codes", async () => {
  await withTempDir(async (dir) => {
    const keyFile = join(dir, "acme.key");
    const [publisher] = await cli("keygen", "--out", keyFile);
    const entry = new URL("../../examples/custom_plugin/mod.ts", import.meta.url).pathname;
    await cli("sign", entry, "--key", keyFile, "--out", join(dir, "custom_plugin", "dist"));
    const lockFile = join(dir, "privaci.lock");
    await cli("add", "file:./custom_plugin/dist/", "--publisher", publisher, "--lock", lockFile);
    const keyring = await Keyring.create(new TextEncoder().encode("a fixed test key of at least 32 bytes"));
    const loaded = await loadPlugins([{ use: "file:./custom_plugin/dist/", publisher }], {
      lockFile,
      keyring,
      hostVersion: HOST_VERSION,
    });
    try {
      const def = loaded.strategies.find((s) => s.meta.name === "@acme/customer-code/customer_code")!;
      const key = await keyring.derive("domain:customer");
      const out = await maskWith(def, ["CUS-004217", "CUS-004217", "X9", null], {
        key,
        domain: "customer",
        params: { keep_prefix: 4 },
      });
      assert.match(out[0]!, /^CUS-\d{6}$/);
      assert.notEqual(out[0], "CUS-004217");
      assert.equal(out[1], out[0]);
      assert.match(out[2]!, /^X\d$/);
      assert.equal(out[3], null);
      assert.equal(def.params.safeParse({ keep_prefix: -1 }).success, false);
    } finally {
      await loaded.close();
    }
  });
});

Deno.test("privaci plugin commands read ${VAR} references in the policy's plugins", async () => {
  await withTempDir(async (dir) => {
    const keyFile = join(dir, "acme.key");
    const [publisher] = await cli("keygen", "--out", keyFile);
    const entry = new URL("../../examples/custom_plugin/mod.ts", import.meta.url).pathname;
    await cli("sign", entry, "--key", keyFile, "--out", join(dir, "custom_plugin", "dist"));
    const policy = join(dir, "privaci.yaml");
    await Deno.writeTextFile(
      policy,
      "version: 1\nplugins:\n  - use: file:./custom_plugin/dist/\n    publisher: ${ACME_TEST_PUBLISHER}\n",
    );
    Deno.env.delete("ACME_TEST_PUBLISHER");
    // The policy's one reader: the same message, with the position, as run and check give.
    await assert.rejects(cli("add", "file:./custom_plugin/dist/", "-c", policy), {
      code: "CONFIG_VARIABLE_MISSING",
      message:
        `Cannot load the policy as an environment variable is not set: 'ACME_TEST_PUBLISHER' at ${policy}:4:16`,
    });
    Deno.env.set("ACME_TEST_PUBLISHER", publisher);
    try {
      const added = await cli("add", "file:./custom_plugin/dist/", "-c", policy);
      assert.equal(added[0], `added @acme/customer-code@1.0.0 to ${join(dir, "privaci.lock")}`);
      assert.equal(
        (await readLock(join(dir, "privaci.lock"))).plugins["file:./custom_plugin/dist/"].signer,
        publisher,
      );
    } finally {
      Deno.env.delete("ACME_TEST_PUBLISHER");
    }
  });
});

Deno.test("privaci plugin add, verify and list print manifest text without control characters, capped", async () => {
  await withTempDir(async (dir) => {
    const publisher = await newPublisher();
    const evil = "Masks \x1b[2J\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07 names\r\n\u202eoverride " +
      "x".repeat(400);
    const module = new TextEncoder().encode("export default {};\n");
    const pkg = await signPackage(module, {
      name: "@evil/escapes",
      version: "1.0.0",
      apiVersion: 1,
      privaci: ">=0.1.0",
      strategies: [{
        name: "x",
        description: evil,
        params: {},
        deterministic: false,
        unique: false,
        keyed: false,
      }],
    }, publisher.key);
    await writePackage(join(dir, "escapes"), pkg.files);
    const config = join(dir, "privaci.yaml");
    await Deno.writeTextFile(
      config,
      `plugins:\n  - use: "file:./escapes/"\n    publisher: "${publisher.publisher}"\n`,
    );
    const lines = [
      ...await cli("verify", "file:./escapes/", "-c", config),
      ...await cli("add", "file:./escapes/", "-c", config),
      ...await cli("verify", "file:./escapes/", "-c", config),
      ...await cli("list", "-c", config),
      ...(await cli("list", "-c", config, "--json")).join("\n").split("\n"),
    ];
    const shown = lines.filter((l) => l.includes("names override"));
    assert.equal(shown.length, 5, lines.join("\n"));
    for (const line of shown) {
      // deno-lint-ignore no-control-regex
      assert.equal(/[\x00-\x1f\x7f-\x9f\u202a-\u202e]|\\u001b/.test(line), false, JSON.stringify(line));
      assert.ok(line.length < 260, `${line.length} characters`);
    }
  });
});

Deno.test("privaci plugin verify reads the publisher from the policy's plugins: before the rest of the policy is complete, and locates a bad entry", async () => {
  await withTempDir(async (dir) => {
    const publisher = await newPublisher();
    const module = new TextEncoder().encode("export default {};\n");
    const pkg = await signPackage(module, {
      name: "@acme/early",
      version: "1.0.0",
      apiVersion: 1,
      privaci: ">=0.1.0",
      strategies: [{
        name: "x",
        description: "x",
        params: {},
        deterministic: false,
        unique: false,
        keyed: false,
      }],
    }, publisher.key);
    await writePackage(join(dir, "early"), pkg.files);
    const config = join(dir, "privaci.yaml");
    // No source or target yet, a variable that is not set outside plugins:, and one inside it.
    await Deno.writeTextFile(
      config,
      `version: 1\nsource: \${PRIVACI_TEST_UNSET_SOURCE}\nplugins:\n  - use: "file:./early/"\n    publisher: "\${PRIVACI_TEST_PUBLISHER}"\n`,
    );
    Deno.env.set("PRIVACI_TEST_PUBLISHER", publisher.publisher);
    try {
      const lines = await cli("verify", "file:./early/", "-c", config);
      assert.match(lines[0], /^ok @acme\/early@1\.0\.0 signed by ed25519:/);
    } finally {
      Deno.env.delete("PRIVACI_TEST_PUBLISHER");
    }
    await Deno.writeTextFile(config, `version: 1\nplugins:\n  - use: "file:./early/"\n    publisher: 42\n`);
    await assert.rejects(cli("verify", "file:./early/", "-c", config), (e: unknown) => {
      assert.equal((e as { code?: string }).code, "CONFIG_INVALID");
      assert.match((e as Error).message, /privaci\.yaml:4:/);
      return true;
    });
  });
});
