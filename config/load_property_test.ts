/**
 * Properties of the policy loader: arbitrary YAML documents and arbitrary mutations of the valid policies
 * in testdata/good never crash or hang it. Each ends in a policy the schema accepts, or in a ConfigError
 * (exit code 2) whose every diagnostic names the file and a line and column inside it; the CLI exits 2
 * on a sample of them.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse, parseDocument, stringify } from "yaml";
import { ConfigError, EXIT } from "../errors.ts";
import { parsePolicy } from "./load.ts";
import { PolicySchema } from "./schema.ts";
import { propertyParams } from "../tests/_random.ts";

const GOOD = fileURLToPath(new URL("./testdata/good/", import.meta.url));
const GOOD_FILES = [...Deno.readDirSync(GOOD)].filter((e) => e.name.endsWith(".yaml")).map((e) => e.name)
  .sort();
const GOOD_TEXTS = GOOD_FILES.map((name) => ({
  file: GOOD + name,
  text: Deno.readTextFileSync(GOOD + name),
}));

/** Environment variables the good policies read, set or not, with any value. */
const env = fc.dictionary(
  fc.constantFrom(
    "PRIVACI_SOURCE_URL",
    "PRIVACI_TARGET_URL",
    "PRIVACI_KEY",
    "DB_HOST",
    "TARGET_PORT",
    "PRICE",
  ),
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constant("postgres://u@127.0.0.1:5432/db"),
    fc.constant("k".repeat(40)),
  ),
);

/** Pieces of YAML syntax that change how what follows parses. */
const TOKENS = [
  ":",
  ": ",
  "- ",
  "\n",
  "\n  ",
  "\t",
  "  ",
  "#",
  "&a ",
  "*a",
  "<<: *a\n",
  "!!binary ",
  "!x ",
  "? ",
  "|",
  ">-",
  "{",
  "}",
  "[",
  "]",
  ",",
  "'",
  '"',
  "\\",
  "---\n",
  "...\n",
  "%YAML 1.2\n",
  "${",
  "${X}",
  "${X:-",
  "$$",
  "null",
  "~",
  "0x1F",
  "1e400",
  "-.inf",
  "\u00a0",
  "\ufeff",
  "😀",
];

/** One edit of a text: a token or arbitrary text put in, a range deleted, or a line repeated. */
const edit = fc.oneof(
  fc.record({ at: fc.nat(), insert: fc.constantFrom(...TOKENS) }),
  fc.record({ at: fc.nat(), insert: fc.string({ maxLength: 6 }) }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ at: fc.nat(), repeatLine: fc.constant(true) }),
);

function applyEdit(text: string, e: Record<string, unknown>): string {
  const at = (e.at as number) % (text.length + 1);
  if (typeof e.insert === "string") return text.slice(0, at) + e.insert + text.slice(at);
  if (typeof e.remove === "number") return text.slice(0, at) + text.slice(at + e.remove);
  const start = text.lastIndexOf("\n", at - 1) + 1;
  const end = text.indexOf("\n", at);
  const line = text.slice(start, end === -1 ? text.length : end + 1);
  return text.slice(0, start) + line + (line.endsWith("\n") ? "" : "\n") + text.slice(start);
}

/** A valid policy's data with one value replaced, one key removed or one unknown key added, as YAML again. */
function structural(text: string): fc.Arbitrary<string> {
  return fc.tuple(
    fc.nat(),
    fc.constantFrom("replace", "remove", "add"),
    fc.jsonValue({ maxDepth: 2 }),
    fc.string(),
  )
    .map(([pick, how, value, key]) => {
      const data = parse(text, { merge: true }) as Record<string, unknown>;
      const paths: (string | number)[][] = [];
      const walk = (v: unknown, path: (string | number)[]) => {
        paths.push(path);
        if (v !== null && typeof v === "object") {
          for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
        }
      };
      walk(data, []);
      const path = paths[pick % paths.length];
      const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], data) as
        | Record<string | number, unknown>
        | undefined;
      const last = path[path.length - 1];
      if (parent === undefined || last === undefined) return stringify(value);
      if (how === "replace") parent[last] = value;
      else if (how === "remove") delete parent[last];
      else if (typeof parent === "object" && parent !== null) parent[key] = value;
      return stringify(data);
    });
}

/** A document: any YAML text, a stringified value, a good policy edited up to five times, or changed in shape. */
const document = fc.oneof(
  fc.string({
    unit: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ minLength: 1, maxLength: 1 })),
    maxLength: 80,
  })
    .map((text) => ({ file: GOOD + "any.yaml", text })),
  fc.anything({ maxDepth: 3 }).map((v) => ({ file: GOOD + "value.yaml", text: stringify(v) ?? "" })),
  fc.constantFrom(...GOOD_TEXTS).chain((good) =>
    fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => ({
      file: good.file,
      text: edits.reduce((t, e) => applyEdit(t, e), good.text),
    }))
  ),
  fc.constantFrom(...GOOD_TEXTS).chain((good) =>
    structural(good.text).map((text) => ({ file: good.file, text }))
  ),
);

/** Errors of the YAML library itself on `text`, parsed as the loader parses it: the oracle for CONFIG_SYNTAX. */
function yamlErrors(text: string): number {
  return parseDocument(text, { uniqueKeys: false, merge: true }).errors.length;
}

/** What loading gives: a valid policy, or a ConfigError whose diagnostics all point inside the file. */
function outcome(text: string, file: string, vars: Record<string, string>): "valid" | ConfigError {
  const t0 = performance.now();
  try {
    const loaded = parsePolicy(text, {
      file,
      env: (name) => Object.hasOwn(vars, name) ? vars[name] : undefined,
    });
    PolicySchema.parse(loaded.policy);
    assert.equal(yamlErrors(text), 0, "a document the YAML parser rejects was accepted");
    return "valid";
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    assert.equal(e.exitCode, EXIT.usage);
    assert.ok(e.diagnostics.length > 0, `${e.code} without a diagnostic`);
    if (yamlErrors(text) > 0) {
      assert.equal(e.code, "CONFIG_SYNTAX", "not YAML, but reported as something else");
    }
    const lines = text.split("\n").length;
    for (const d of e.diagnostics) {
      const at = d.location ?? {};
      // A value set by an environment override is located by the variable's name, not in the file.
      if (at.file === undefined && /\(set by PRIVACI_\w+\)$/.test(d.message)) continue;
      assert.equal(at.file, file, `${e.code}: ${d.message} names no file`);
      if (e.code === "KEY_MISSING") continue; // about the key file, not a place in this one
      assert.ok(
        at.line !== undefined && at.col !== undefined,
        `${e.code}: ${d.message} has no line and column`,
      );
      assert.ok(at.line >= 1 && at.line <= lines + 1, `${e.code}: line ${at.line} of ${lines}`);
      assert.ok(at.col >= 1, `${e.code}: column ${at.col}`);
    }
    return e;
  } finally {
    // Not a timing test: a generous bound that only a runaway parse (an alias bomb, a regex) would pass.
    assert.ok(performance.now() - t0 < 20_000, "loading one document took over 20 s");
  }
}

Deno.test("parsePolicy() turns any document into a valid policy or located diagnostics", () => {
  fc.assert(
    fc.property(document, env, ({ file, text }, vars) => void outcome(text, file, vars)),
    propertyParams(400),
  );
});

/** The CLI's whole environment: the URL overrides empty, nothing else a policy could read. */
const CLI_ENV: Record<string, string> = { PRIVACI_SOURCE_URL: "", PRIVACI_TARGET_URL: "" };

function passThrough(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((n) => Deno.env.get(n) === undefined ? [] : [[n, Deno.env.get(n)!]]),
  );
}

Deno.test("privaci check exits 2 with file:line:col diagnostics on a sample of broken policies", async () => {
  const root = fileURLToPath(new URL("../", import.meta.url));
  await fc.assert(
    fc.asyncProperty(document, async ({ file, text }) => {
      const got = outcome(text, file, CLI_ENV);
      fc.pre(got !== "valid");
      // The CLI reads the file from disk: put it beside the original, so relative key files still resolve.
      const path = await Deno.makeTempFile({
        dir: GOOD.replace(/\/$/, ""),
        prefix: ".prop-",
        suffix: ".yaml",
      });
      try {
        await Deno.writeTextFile(path, text);
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "cli.ts", "check", "-c", path],
          cwd: root,
          clearEnv: true,
          env: {
            ...CLI_ENV,
            ...passThrough(["PATH", "HOME", "DENO_DIR", "PRIVACI_TEST_PG_URL"]),
            NO_COLOR: "1",
          },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const stderr = new TextDecoder().decode(out.stderr);
        assert.equal(out.code, EXIT.usage, stderr);
        assert.match(stderr, /^error [A-Z_]+: /m);
        // The same diagnostics as in process, each at its file:line:col.
        for (const d of (got as ConfigError).diagnostics) {
          if (d.location?.line === undefined) continue;
          assert.ok(stderr.includes(`${path}:${d.location.line}:${d.location.col}`), stderr);
        }
      } finally {
        await Deno.remove(path);
      }
    }),
    propertyParams(2),
  );
});
