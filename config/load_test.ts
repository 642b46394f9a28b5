import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.ts";
import { type Diagnostic, formatDiagnostics } from "../core/diagnostic.ts";
import { loadPolicy, parsePolicy } from "./load.ts";
import { bindPolicy } from "../plan/bind.ts";
import { ALLOWED, BAD_CASES } from "./testdata/bad_cases.ts";
import { PolicySchema } from "./schema.ts";
import { testRegistry } from "./testdata/test_registry.ts";

/** A diagnostic's location and message, for comparing with the expected ones. */
function flat(d: Diagnostic) {
  return { ...d.location, message: d.message };
}

const TESTDATA = fileURLToPath(new URL("./testdata/", import.meta.url));
const KEY = "base64:" + btoa("k".repeat(32));
const SRC = "postgres://app:hunter2@127.0.0.1:5432/prod";
const DST = "postgres://app:hunter2@127.0.0.1:5432/masked";

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => Object.hasOwn(vars, name) ? vars[name] : undefined;
}
const noEnv = envOf({});
/** `options` with nothing given: the defaults, whichever options the schema has grown. */
const OPTION_DEFAULTS = PolicySchema.shape.options.parse({});

/** Loads `text` and returns the ConfigError it must throw. */
function rejected(text: string, env = noEnv): ConfigError {
  try {
    parsePolicy(text, { file: "p.yaml", env });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected the policy to be rejected");
}

Deno.test("BAD_CASES lists every file in testdata/bad and nothing else", () => {
  const files = [...Deno.readDirSync(join(TESTDATA, "bad"))].map((e) => e.name).sort();
  assert.deepEqual(BAD_CASES.map((c) => c.file), files);
  assert.ok(files.length >= 45, `only ${files.length} bad policies`);
});

for (const c of BAD_CASES) {
  Deno.test(`loadPolicy() reports ${c.code} for bad/${c.file}`, async () => {
    const file = join(TESTDATA, "bad", c.file);
    const message = c.message.replaceAll("<testdata>", TESTDATA.replace(/\/$/, ""));
    let issues;
    let error: ConfigError | undefined;
    try {
      const loaded = await loadPolicy(file, { env: noEnv });
      assert.ok(c.rules, "the policy loaded but a load error was expected");
      issues = bindPolicy(loaded, testRegistry()).diagnostics;
      assert.equal(issues[0]?.code, c.code);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      assert.ok(!c.rules, `expected the policy to load, got ${e.message}`);
      error = e;
      assert.equal(e.code, c.code);
      assert.equal(e.exitCode, 2);
      issues = e.diagnostics;
    }
    assert.equal(issues.length, c.count ?? 1, formatDiagnostics(issues));
    assert.deepEqual(issues[0], {
      severity: "error",
      code: c.code,
      message,
      location: { path: c.path, file, line: c.line, col: c.col },
    });
    const dotted = c.path.length ? `${c.path.join(".")}: ` : "";
    assert.equal(formatDiagnostics(issues).split("\n")[0], `${file}:${c.line}:${c.col}: ${dotted}${message}`);
    if (error && error.code.startsWith("CONFIG_")) {
      assert.ok(error.message.includes(`${file}:${c.line}:${c.col}`));
    }
    const everything = JSON.stringify({ m: error?.message, h: error?.hint, issues });
    assert.ok(!everything.includes("hunter2"), "a password reached a message");
  });
}

Deno.test("loadPolicy() reads the README policy with variables from the environment and applies defaults", async () => {
  const file = join(TESTDATA, "good", "readme.yaml");
  const env = envOf({ PRIVACI_SOURCE_URL: SRC, PRIVACI_TARGET_URL: DST, PRIVACI_KEY: KEY });
  const loaded = await loadPolicy(file, { env });
  assert.equal(loaded.file, file);
  assert.equal(loaded.text, await Deno.readTextFile(file));
  assert.deepEqual(loaded.policy, {
    version: 1,
    source: SRC,
    target: DST,
    key: KEY,
    schema: "existing",
    unlisted: "error",
    schemas: ["public"],
    tables: {
      "public.customer": {
        rows: "copy",
        columns: {
          customer_id: "keep",
          email: "fake.email",
          phone: { strategy: "partial", keep_last: 2 },
        },
      },
      "public.audit_log": { rows: "skip", columns: {} },
    },
    plugins: [],
    options: OPTION_DEFAULTS,
  });
});

Deno.test("loadPolicy() takes source and target from the environment when the policy leaves them out", async () => {
  const env = envOf({ PRIVACI_SOURCE_URL: SRC, PRIVACI_TARGET_URL: DST });
  const { policy } = await loadPolicy(join(TESTDATA, "good", "minimal.yaml"), { env });
  assert.equal(policy.source, SRC);
  assert.equal(policy.target, DST);
  assert.equal(policy.key, undefined);
  assert.deepEqual(policy.tables["public.customer"].columns, { id: "keep", notes: "null" });
});

Deno.test("loadPolicy() reads a full policy: defaults, key file, anchors, escapes and every section", async () => {
  const loaded = await loadPolicy(join(TESTDATA, "good", "full.yaml"), {
    env: envOf({ TARGET_PORT: "6543" }),
  });
  const card = { strategy: "test.partial", keep_last: 4 };
  assert.deepEqual(loaded.policy, {
    version: 1,
    source: "postgres://app@127.0.0.1:5432/prod?sslmode=require",
    target: "postgresql://app@127.0.0.1:6543/masked",
    key: KEY,
    schema: "copy",
    unlisted: "keep",
    schemas: ["public", "sales"],
    tables: {
      "sales.invoice": {
        rows: "copy",
        where: "created_at > now() - interval '30 days'",
        columns: {
          card_number: card,
          iban: card,
          memo: { strategy: "keep", domain: "memo_text", unique: true },
        },
      },
      "public.note": { rows: "copy", columns: {}, where: "body <> 'costs $$5 or ${PRICE}'" },
    },
    plugins: [{ use: "@acme/privaci-nhs@1.2.0", publisher: "ed25519:AAAAC3NzaC1lZDI1NTE5=", alias: "nhs" }],
    options: { ...OPTION_DEFAULTS, jobs: 4, batch_rows: 500 },
  });
  assert.deepEqual(bindPolicy(loaded, testRegistry()).diagnostics, []);
});

Deno.test("parsePolicy() lets the environment override a source written in the file", () => {
  const text = "version: 1\nsource: postgres://file@127.0.0.1/a\ntarget: postgres://file@127.0.0.1/b\n";
  const { policy } = parsePolicy(text, { file: "p.yaml", env: envOf({ PRIVACI_SOURCE_URL: SRC }) });
  assert.equal(policy.source, SRC);
  assert.equal(policy.target, "postgres://file@127.0.0.1/b");
});

Deno.test("parsePolicy() does not require a variable in a source the environment overrides", () => {
  const text = "version: 1\nsource: ${UNSET_SOURCE}\ntarget: postgres://h/b\n";
  const { policy } = parsePolicy(text, { file: "p.yaml", env: envOf({ PRIVACI_SOURCE_URL: SRC }) });
  assert.equal(policy.source, SRC);
});

Deno.test("parsePolicy() ignores an empty override variable", () => {
  const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\n";
  const { policy } = parsePolicy(text, { file: "p.yaml", env: envOf({ PRIVACI_SOURCE_URL: "" }) });
  assert.equal(policy.source, "postgres://h/a");
});

Deno.test("parsePolicy() rejects a bad URL from the environment without showing it", () => {
  const e = rejected(
    "version: 1\n",
    envOf({ PRIVACI_SOURCE_URL: "mysql://app:hunter2@h/db", PRIVACI_TARGET_URL: DST }),
  );
  assert.equal(e.code, "CONFIG_INVALID");
  assert.deepEqual(e.diagnostics.map(flat), [{
    path: ["source"],
    message:
      "must be a postgres:// URL (postgres://user@host:5432/db): the scheme is 'mysql' (set by PRIVACI_SOURCE_URL)",
  }]);
  assert.ok(!e.message.includes("hunter2"));
});

Deno.test("parsePolicy() never shows a password, whatever is wrong with the URL", () => {
  for (const url of ["postgres://app:hunter2@h:99999/db", "app:hunter2@h/db", "postgres://app:hunter2@/db"]) {
    const e = rejected(`version: 1\nsource: "${url}"\ntarget: postgres://h/b\n`);
    assert.equal(e.code, "CONFIG_INVALID");
    assert.ok(!JSON.stringify([e.message, e.diagnostics]).includes("hunter2"), url);
  }
});

Deno.test("parsePolicy() reports every problem at once, sorted by line in the message", () => {
  const text = [
    "version: 1",
    "source: postgres://h/a",
    "target: postgres://h/b",
    "tables:",
    "  public.customer:",
    "    colums: {}",
    "    rows: skp",
    "optons: {}",
  ].join("\n");
  const e = rejected(text);
  assert.equal(e.code, "CONFIG_INVALID");
  assert.equal(
    formatDiagnostics(e.diagnostics),
    [
      `p.yaml:6:5: tables.public.customer.colums: unknown key 'colums' (allowed: ${ALLOWED.table}) — did you mean 'columns'?`,
      "p.yaml:7:11: tables.public.customer.rows: expected one of 'copy', 'skip' — did you mean 'skip'?",
      `p.yaml:8:1: optons: unknown key 'optons' (allowed: ${ALLOWED.top}) — did you mean 'options'?`,
    ].join("\n"),
  );
  assert.equal(
    e.message,
    "Cannot use the policy as it is invalid: p.yaml:6:5: tables.public.customer.colums: unknown key 'colums' " +
      `(allowed: ${ALLOWED.table}) — did you mean 'columns'? (and 2 more)`,
  );
});

Deno.test("parsePolicy() keeps the YAML error as the cause, without the source text", () => {
  const e = rejected("version: 1\nsource: 'postgres://app:hunter2@h/db\n");
  assert.equal(e.code, "CONFIG_SYNTAX");
  assert.ok(e.cause instanceof Error);
  assert.equal(e.cause.name, "YAMLParseError");
  assert.ok(!e.cause.message.includes("hunter2"));
  assert.ok(!e.message.includes("hunter2"));
});

Deno.test("parsePolicy() replaces variables in values (nested, in lists, with defaults and escapes), never in keys", () => {
  const text = [
    "version: 1",
    "source: postgres://${USER_NAME}@${HOST:-localhost}/db",
    "target: postgres://h/b",
    "schemas: [public, '${EXTRA}']",
    "tables:",
    "  public.t: { where: \"a = '$${x}' and b = '$$'\" }",
    "  ${EXTRA}.t: { rows: skip }",
  ].join("\n");
  const { policy } = parsePolicy(text, {
    file: "p.yaml",
    env: envOf({ USER_NAME: "app", HOST: "", EXTRA: "sales" }),
  });
  assert.equal(policy.source, "postgres://app@localhost/db");
  assert.deepEqual(policy.schemas, ["public", "sales"]);
  assert.equal(policy.tables["public.t"].where, "a = '${x}' and b = '$$'");
  assert.deepEqual(Object.keys(policy.tables), ["public.t", "${EXTRA}.t"]);
});

Deno.test("parsePolicy() reads PRIVACI_KEY only through ${PRIVACI_KEY}", () => {
  const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\n";
  const { policy } = parsePolicy(text, { file: "p.yaml", env: envOf({ PRIVACI_KEY: KEY }) });
  assert.equal(policy.key, undefined);
});

Deno.test("parsePolicy() resolves a key file relative to the policy file", () => {
  const file = join(TESTDATA, "good", "inline.yaml");
  const text = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\nkey: file:../keys/good.key\n";
  assert.equal(parsePolicy(text, { file, env: noEnv }).policy.key, KEY);
});

Deno.test("parsePolicy() accepts hex and base64 keys and rejects bad base64", () => {
  const base = "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\nkey: ";
  const hex = "hex:" + "ab".repeat(32);
  assert.equal(parsePolicy(base + hex, { file: "p.yaml", env: noEnv }).policy.key, hex);
  const e = rejected(base + "base64:!!!notbase64");
  assert.equal(e.code, "KEY_INVALID");
  assert.deepEqual(e.diagnostics.map(flat), [{
    path: ["key"],
    message: "not valid hex or base64",
    file: "p.yaml",
    line: 4,
    col: 6,
  }]);
  assert.equal(e.message, "Cannot decode the policy key: it is not valid hex or base64 (p.yaml:4:6)");
  assert.ok(!e.message.includes("notbase64"));
});

Deno.test("loadPolicy() reports a missing file as CONFIG_NOT_FOUND", async () => {
  const file = join(TESTDATA, "no-such-policy.yaml");
  await assert.rejects(loadPolicy(file, { env: noEnv }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.code, "CONFIG_NOT_FOUND");
    assert.equal(e.exitCode, 2);
    assert.equal(e.message, `Cannot read the policy file as it does not exist: ${file}`);
    assert.deepEqual(e.diagnostics.map(flat), [{
      path: [],
      message: "cannot read the policy file: it does not exist",
      file,
    }]);
    return true;
  });
});

Deno.test("loadPolicy() reports a directory as CONFIG_NOT_FOUND", async () => {
  const dir = join(TESTDATA, "good");
  await assert.rejects(loadPolicy(dir, { env: noEnv }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.code, "CONFIG_NOT_FOUND");
    assert.equal(e.message, `Cannot read the policy file as it is a directory: ${dir}`);
    return true;
  });
});

Deno.test("LoadedPolicy.locate() finds table keys, column keys, values and list items", () => {
  const text = [
    "version: 1",
    "source: postgres://h/a",
    "target: postgres://h/b",
    "tables:",
    "  public.customer:",
    "    columns:",
    "      email: fake.email",
    "      phone: { strategy: partial, keep_last: 2 }",
    '  "public.order": { rows: skip }',
    "schemas:",
    "  - public",
    "  - sales",
  ].join("\n");
  const { locate } = parsePolicy(text, { file: "p.yaml", env: noEnv });
  assert.deepEqual(locate(["tables", "public.customer"]), { line: 5, col: 3 });
  assert.deepEqual(locate(["tables", "public.customer", "columns", "email"]), { line: 7, col: 7 });
  assert.deepEqual(locate(["tables", "public.customer", "columns", "email"], { at: "value" }), {
    line: 7,
    col: 14,
  });
  assert.deepEqual(locate(["tables", "public.customer", "columns", "phone", "keep_last"]), {
    line: 8,
    col: 35,
  });
  assert.deepEqual(locate(["tables", "public.order"]), { line: 9, col: 3 });
  assert.deepEqual(locate(["tables", "public.order", "rows"], { at: "value" }), { line: 9, col: 27 });
  assert.deepEqual(locate(["schemas", 1]), { line: 12, col: 5 });
  assert.deepEqual(locate([]), { line: 1, col: 1 });
  assert.equal(locate(["tables", "public.nope"]), undefined);
  assert.equal(locate(["tables", "public.customer", "columns", "email", "deeper"]), undefined);
  assert.equal(locate(["schemas", 5]), undefined);
});

Deno.test("parsePolicy() says why a number written as \${VAR} is refused", () => {
  const e = rejected(
    "version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\noptions:\n  jobs: ${JOBS}\n",
    envOf({ JOBS: "4" }),
  );
  assert.deepEqual(e.diagnostics.map(flat), [{
    path: ["options", "jobs"],
    message: "expected an integer, got a string (a value holding ${...} is always a string)",
    file: "p.yaml",
    line: 5,
    col: 9,
  }]);
});

Deno.test("parsePolicy() merges '<<' keys so columns can share a block", () => {
  const text = [
    "version: 1",
    "source: postgres://h/a",
    "target: postgres://h/b",
    "tables:",
    "  public.customer:",
    "    columns: &audit",
    "      created_at: keep",
    "      updated_at: keep",
    "  public.orders:",
    "    columns:",
    "      <<: *audit",
    "      id: keep",
  ].join("\n");
  const { policy, locate } = parsePolicy(text, { file: "p.yaml", env: noEnv });
  assert.deepEqual(policy.tables["public.orders"].columns, {
    created_at: "keep",
    updated_at: "keep",
    id: "keep",
  });
  assert.deepEqual(locate(["tables", "public.orders", "columns", "id"]), { line: 12, col: 7 });
});
