/**
 * Bad-input suite, connections: DSNs that are not postgres:// URLs, a closed port, a server that accepts
 * and never answers, an unknown database or role, TLS required where the server has none, and passwords,
 * which must never be printed. Each case asserts the exit code and the whole message.
 */
import assert from "node:assert/strict";
import { PgError } from "../../errors.ts";
import { run } from "../../execute/run.ts";
import { parsePolicy } from "../../config/load.ts";
import { ADMIN_URL, connect, createDb, dbUrl, dropDb } from "../_pg.ts";
import { type CliResult, prepareTarget, runCli, seedSource, TINY_SIZES } from "../fixtures/fault/harness.ts";

const CLI_MS = 60_000;
/** The closed-port and silent-server failures must come well before this. */
const FAST_MS = 15_000;
const SECRET = "Sw0rdf1sh-9c4e";

function show(r: CliResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

function yaml(source: string, target: string): string {
  return `version: 1\nsource: ${source}\ntarget: ${target}\nunlisted: keep\n`;
}

/** Runs the CLI on a policy with these URLs; returns the result and the policy's path. */
async function cli(
  source: string,
  target: string,
  args: readonly string[] = [],
): Promise<CliResult & { file: string }> {
  const file = await Deno.makeTempFile({ prefix: "privaci-bad-", suffix: ".yaml" });
  try {
    await Deno.writeTextFile(file, yaml(source, target));
    return { ...(await runCli(["run", "-c", file, "-q", ...args], { timeoutMs: CLI_MS })), file };
  } finally {
    await Deno.remove(file);
  }
}

/** A loopback port with nothing listening on it. */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const SOME_DB = dbUrl("privaci_bad_input_unused");

Deno.test("bad input: a source that is not a URL is refused before connecting (exit 2)", async () => {
  const r = await cli("host=127.0.0.1 dbname=shop", SOME_DB);
  assert.equal(r.code, 2, show(r));
  assert.equal(
    r.stderr,
    `error CONFIG_INVALID: Cannot use the policy as it is invalid: ${r.file}:2:9: source: must be a postgres:// URL ` +
      "(postgres://user@host:5432/db): this value has no scheme\n",
  );
});

Deno.test("bad input: a target with another scheme is refused before connecting (exit 2)", async () => {
  const r = await cli(SOME_DB, "mysql://root@127.0.0.1:3306/shop");
  assert.equal(r.code, 2, show(r));
  assert.equal(
    r.stderr,
    `error CONFIG_INVALID: Cannot use the policy as it is invalid: ${r.file}:3:9: target: must be a postgres:// URL ` +
      "(postgres://user@host:5432/db): the scheme is 'mysql'\n",
  );
});

Deno.test("bad input: a URL without a host is refused before connecting (exit 2)", async () => {
  const r = await cli(SOME_DB, "postgres:///shop");
  assert.equal(r.code, 2, show(r));
  assert.equal(
    r.stderr,
    `error CONFIG_INVALID: Cannot use the policy as it is invalid: ${r.file}:3:9: target: must be a postgres:// URL ` +
      "(postgres://user@host:5432/db): the host is missing\n",
  );
});

Deno.test("bad input: a closed port fails fast with exit 4 and never prints the password", async () => {
  const port = closedPort();
  const url = `postgres://postgres:${SECRET}@127.0.0.1:${port}/shop`;
  const r = await cli(url, SOME_DB, ["--debug"]);
  assert.equal(r.code, 4, show(r));
  const lines = r.stderr.split("\n");
  assert.equal(
    lines[0],
    `error PG_CONNECT: Cannot connect to the source database at postgres://postgres:***@127.0.0.1:${port}/shop: ` +
      "connection refused (is the server running and listening there?)",
  );
  assert.equal(lines[1], "hint: check the source URL (policy 'source:' or PRIVACI_SOURCE_URL)");
  // --debug adds the cause and the stacks, which must not carry the password either.
  assert.ok(lines.length > 3, show(r));
  assert.ok(!(r.stdout + r.stderr).includes(SECRET), show(r));

  // The library call itself, timed without the CLI's start-up.
  const t0 = performance.now();
  await assert.rejects(
    run(parsePolicy(yaml(url, SOME_DB), { file: "closed.yaml", env: () => undefined })),
    (e: unknown) => e instanceof PgError && e.code === "PG_CONNECT" && e.exitCode === 4,
  );
  assert.ok(performance.now() - t0 < FAST_MS, `took ${Math.round(performance.now() - t0)} ms`);
});

Deno.test("bad input: a server that accepts and never answers times out (exit 4) instead of hanging", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const url = `postgres://postgres:${SECRET}@127.0.0.1:${port}/shop`;
    const t0 = performance.now();
    const error = await run(parsePolicy(yaml(url, SOME_DB), { file: "silent.yaml", env: () => undefined }))
      .then(() => undefined, (e: unknown) => e);
    const ms = performance.now() - t0;
    assert.ok(error instanceof PgError, String(error));
    assert.equal(error.code, "PG_CONNECT");
    assert.equal(error.exitCode, 4);
    assert.equal(
      error.message,
      `Cannot connect to the source database at postgres://postgres:***@127.0.0.1:${port}/shop: timed out`,
    );
    assert.ok(held.length >= 1, "the client never connected");
    assert.ok(ms < FAST_MS, `gave up after ${Math.round(ms)} ms`);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
  }
});

Deno.test("bad input: an unknown target database fails with exit 4", async () => {
  const source = await createDb("bad_src");
  try {
    const missing = dbUrl(`privaci_no_such_db_${Deno.pid}`);
    const r = await cli(dbUrl(source), missing);
    assert.equal(r.code, 4, show(r));
    assert.equal(
      r.stderr,
      `error PG_CONNECT: Cannot connect to the target database at ${missing}: the database does not exist\n` +
        "hint: check the target URL (policy 'target:' or PRIVACI_TARGET_URL)\n",
    );
  } finally {
    await dropDb(source);
  }
});

Deno.test("bad input: an unknown role fails with exit 4", async () => {
  const u = new URL(dbUrl("postgres"));
  u.username = "privaci_no_such_role";
  const r = await cli(u.toString(), SOME_DB);
  assert.equal(r.code, 4, show(r));
  assert.equal(
    r.stderr,
    `error PG_CONNECT: Cannot connect to the source database at ${u}: the server refused this user or host (pg_hba.conf)\n` +
      "hint: check the source URL (policy 'source:' or PRIVACI_SOURCE_URL)\n",
  );
});

Deno.test("bad input: sslmode=require against the test server behaves as its ssl setting says", async () => {
  const admin = connect(ADMIN_URL);
  const [{ ssl }] = await admin.unsafe<{ ssl: string }[]>("show ssl").finally(() => admin.end());
  const source = await createDb("bad_src");
  const target = await createDb("bad_dst");
  try {
    await seedSource(dbUrl(source), TINY_SIZES);
    await prepareTarget(dbUrl(target));
    const tls = `${dbUrl(source)}?sslmode=require`;
    const r = await cli(tls, dbUrl(target));
    if (ssl === "on") {
      assert.equal(r.code, 0, show(r));
    } else {
      // No TLS on the server: the connection must fail, not fall back to plain text.
      assert.equal(r.code, 4, show(r));
      assert.equal(
        r.stderr,
        `error PG_CONNECT: Cannot connect to the source database at ${tls}: TLS could not be negotiated\n` +
          "hint: check the source URL (policy 'source:' or PRIVACI_SOURCE_URL)\n",
      );
    }
    console.log(`server ssl=${ssl}: sslmode=require exit ${r.code}`);
  } finally {
    await dropDb(source);
    await dropDb(target);
  }
});

Deno.test("bad input: passwords in the URLs never reach the output or the report of a run", async () => {
  const source = await createDb("bad_src");
  const target = await createDb("bad_dst");
  const report = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await seedSource(dbUrl(source), TINY_SIZES);
    await prepareTarget(dbUrl(target));
    // Trust authentication ignores the passwords, so the run succeeds with them in both URLs.
    const withPassword = (url: string) => {
      const u = new URL(url);
      u.password = SECRET;
      return u.toString();
    };
    const src = `${withPassword(dbUrl(source))}?application_name=x`;
    const r = await cli(src, withPassword(dbUrl(target)), ["--json", "--report", report]);
    assert.equal(r.code, 0, show(r));
    const json = JSON.parse(r.stdout);
    assert.equal(json.source, `${dbUrl(source).replace("postgres@", "postgres:***@")}?application_name=x`);
    assert.equal(json.target, dbUrl(target).replace("postgres@", "postgres:***@"));
    const written = await Deno.readTextFile(report);
    for (const text of [r.stdout, r.stderr, written]) assert.ok(!text.includes(SECRET), text);

    // A refusal after connecting (the target now holds rows) prints no password either.
    const again = await cli(src, withPassword(dbUrl(target)), ["--debug"]);
    assert.equal(again.code, 2, show(again));
    assert.ok(!(again.stdout + again.stderr).includes(SECRET), show(again));

    // libpq's `password=` parameter is passed to the server as a setting, which refuses it: the message
    // shows the parameter masked.
    const param = `${dbUrl(source)}?password=${SECRET}`;
    const refused = await cli(param, dbUrl(target), ["--debug"]);
    assert.equal(refused.code, 4, show(refused));
    assert.equal(
      refused.stderr.split("\n")[0],
      `error PG_CONNECT: Cannot connect to the source database at ${dbUrl(source)}?password=***: error 42704`,
    );
    assert.ok(!(refused.stdout + refused.stderr).includes(SECRET), show(refused));
  } finally {
    await Deno.remove(report);
    await dropDb(source);
    await dropDb(target);
  }
});
