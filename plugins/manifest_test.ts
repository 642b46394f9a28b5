import assert from "node:assert/strict";
import { checkCompatibility, type Manifest, parseManifest } from "./manifest.ts";

const manifest: Manifest = {
  name: "@acme/codes",
  version: "1.2.0",
  apiVersion: 1,
  privaci: "^0.1",
  entry: "mod.js",
  integrity: "sha256-" + "A".repeat(43) + "=",
  strategies: [{
    name: "code",
    description: "Masks codes",
    params: {},
    deterministic: true,
    unique: false,
    keyed: true,
  }],
};

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

Deno.test("parseManifest() reads a valid manifest", () => {
  assert.deepEqual(parseManifest(bytes(manifest), "x"), manifest);
});

Deno.test("parseManifest() refuses malformed manifests with PLUGIN_INTEGRITY and the first problem", () => {
  const cases: [unknown, string][] = [
    [{ ...manifest, name: "codes" }, "Cannot read the plugin manifest of x: name must be @scope/name"],
    [
      { ...manifest, entry: "../evil.js" },
      "Cannot read the plugin manifest of x: entry must be a .js file beside the manifest",
    ],
    [{ ...manifest, extra: 1 }, 'Cannot read the plugin manifest of x: (root) Unrecognized key: "extra"'],
    [
      { ...manifest, strategies: [manifest.strategies[0], manifest.strategies[0]] },
      'Cannot read the plugin manifest of x: strategy "code" appears twice',
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseManifest(bytes(value), "x"), {
      name: "PluginError",
      code: "PLUGIN_INTEGRITY",
      message,
    });
  }
  assert.throws(() => parseManifest(new Uint8Array([0xff, 0xfe]), "x"), {
    code: "PLUGIN_INTEGRITY",
    message: "Cannot read the plugin manifest as it is not UTF-8 JSON: x",
  });
});

Deno.test("checkCompatibility() accepts this host and refuses other API versions and host versions", () => {
  checkCompatibility(manifest, "0.1.7");
  assert.throws(() => checkCompatibility({ ...manifest, apiVersion: 2 }, "0.1.0"), {
    code: "PLUGIN_VERSION",
    message:
      "Cannot load plugin @acme/codes@1.2.0 as it uses plugin API version 2: this PrivaCI supports version 1",
  });
  assert.throws(() => checkCompatibility(manifest, "0.2.0"), {
    code: "PLUGIN_VERSION",
    message: "Cannot load plugin @acme/codes@1.2.0 as it supports PrivaCI ^0.1: this is 0.2.0",
  });
  assert.throws(() => checkCompatibility({ ...manifest, privaci: "soon" }, "0.1.0"), {
    code: "PLUGIN_VERSION",
    message:
      'Cannot load plugin @acme/codes@1.2.0 as its supported PrivaCI range is not a semver range: "soon"',
  });
});
