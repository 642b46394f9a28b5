import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { exec, withDbs } from "../_pg.ts";
import { privaci, ROOT } from "../fixtures/core/cli.ts";

/** The start of every ANSI colour escape. */
const ANSI = "\x1b[";
/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const UNREACHABLE = "postgres://postgres@127.0.0.1:1/privaci_nowhere";

/** Writes a policy into a fresh temp dir and returns its path. */
async function policyFile(text: string): Promise<{ file: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "privaci_cli_" });
  const file = `${dir}/privaci.yaml`;
  await Deno.writeTextFile(file, text);
  return { file, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/** Runs `cmd` under a pseudo-terminal (util-linux `script`), so the CLI sees a terminal on stderr. */
async function inTerminal(args: readonly string[], env: Record<string, string>): Promise<string> {
  const quoted = [Deno.execPath(), "run", "-A", "cli.ts", ...args].map((a) =>
    `'${a.replaceAll("'", "'\\''")}'`
  );
  // The coloured case must not inherit NO_COLOR from the caller (CI sets it).
  const command = (env.NO_COLOR === undefined ? "env -u NO_COLOR " : "") + quoted.join(" ");
  const out = await new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    cwd: ROOT,
    env: { PRIVACI_SOURCE_URL: "", PRIVACI_TARGET_URL: "", TERM: "xterm", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("privaci --help, help and --help on every command exit 0 and print their usage", async () => {
  const cases: [string[], string][] = [
    [["--help"], "Usage: privaci [options] [command]"],
    [["run", "--help"], "Usage: privaci run [options]"],
    [["check", "--help"], "Usage: privaci check [options]"],
    [["help", "run"], "Usage: privaci run [options]"],
  ];
  const results = await Promise.all(cases.map(([args]) => privaci(args)));
  for (const [i, [args, usage]] of cases.entries()) {
    const r = results[i];
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(r.stdout.startsWith(usage), `${args.join(" ")} printed: ${r.stdout}`);
    assert.equal(r.stderr, "");
  }
  assert.match(results[0].stdout, /^\s+run \[options\]/m);
  assert.match(results[0].stdout, /^\s+check \[options\]/m);
  assert.match(results[1].stdout, /-c, --config <file>/);
  assert.match(results[1].stdout, /--truncate/);
  assert.match(results[2].stdout, /-c, --config <file>/);
});

Deno.test("privaci --version prints the version from deno.json and exits 0", async () => {
  for (const r of await Promise.all([privaci(["--version"]), privaci(["-V"])])) {
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${denoJson.version}\n`);
  }
});

Deno.test("privaci with an unknown command or option exits 2 and says what is wrong", async () => {
  const [command, option, jobs] = await Promise.all([
    privaci(["frobnicate"]),
    privaci(["check", "--frobnicate"]),
    privaci(["run", "-j", "0"]),
  ]);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /unknown command 'frobnicate'/);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /unknown option '--frobnicate'/);
  assert.equal(jobs.code, 2);
  assert.match(
    jobs.stderr,
    /option '-j, --jobs <n>' argument '0' is invalid\. expected a positive integer, got '0'/,
  );
});

Deno.test("privaci check with a missing policy file exits 2 and names the file", async () => {
  const missing = `${await Deno.makeTempDir({ prefix: "privaci_cli_" })}/nope/privaci.yaml`;
  const r = await privaci(["check", "-c", missing]);
  assert.equal(r.code, 2);
  assert.ok(
    r.stderr.includes(`error CONFIG_NOT_FOUND: Cannot read the policy file as it does not exist: ${missing}`),
    r.stderr,
  );
  assert.doesNotMatch(r.stderr, STACK_LINE);
  await Deno.remove(missing.replace(/\/nope\/privaci\.yaml$/, ""), { recursive: true });
});

Deno.test("privaci run and check with an unknown strategy exit 2, naming file, line and the likely name", async () => {
  await using p = await policyFile(
    [
      "version: 1",
      `source: ${UNREACHABLE}`,
      `target: ${UNREACHABLE}_2`,
      "tables:",
      "  public.customer:",
      "    columns:",
      "      id: keep",
      "      email: kep",
    ].join("\n"),
  );
  const results = await Promise.all(["check", "run"].map((command) => privaci([command, "-c", p.file])));
  for (const [i, command] of ["check", "run"].entries()) {
    const r = results[i];
    assert.equal(r.code, 2, `${command}: ${r.stderr}`);
    // The line starts with the severity and the stable code, then the policy's file:line:col.
    const line = r.stderr.split("\n").find((l) => l.includes("unknown strategy 'kep'")) ?? "";
    assert.match(line, /^error STRATEGY_UNKNOWN: /, `${command}: ${r.stderr}`);
    assert.ok(
      line.endsWith(
        `${p.file}:8:14: tables.public.customer.columns.email: unknown strategy 'kep' — did you mean 'keep'?`,
      ),
      `${command}: ${r.stderr}`,
    );
    assert.doesNotMatch(r.stderr, STACK_LINE);
  }
});

Deno.test("privaci check with an unreachable source exits 4 quickly and says so", async () => {
  await using p = await policyFile(
    `version: 1\nsource: ${UNREACHABLE}\ntarget: ${UNREACHABLE}_2\nunlisted: keep\n`,
  );
  const r = await privaci(["check", "-c", p.file]);
  assert.equal(r.code, 4, r.stderr);
  // "Quickly" means no wait for a connect timeout or a retry loop (10 s each): the bound leaves room for a
  // busy machine's slow Deno start-up, where 15 s was seen to be exceeded, and still catches waiting on retries.
  assert.ok(r.ms < 60_000, `took ${r.ms} ms`);
  assert.ok(
    r.stderr.includes(
      `error PG_CONNECT: Cannot connect to the source database at ${UNREACHABLE}: connection refused (is the server running and listening there?)`,
    ),
    r.stderr,
  );
  assert.doesNotMatch(r.stderr, STACK_LINE);
});

Deno.test("privaci never prints the password of a URL, not even with --debug", async () => {
  const password = "Pa55-w0rd-Zq";
  const url = `postgres://postgres:${password}@127.0.0.1:5432/privaci_no_such_db_${Deno.pid}`;
  await using p = await policyFile(`version: 1\nsource: ${url}\ntarget: ${url}_2\nunlisted: keep\n`);
  const runs = [["check", "-c", p.file], ["--debug", "run", "-c", p.file]];
  for (const [i, r] of (await Promise.all(runs.map((args) => privaci(args)))).entries()) {
    const args = runs[i];
    assert.equal(r.code, 4, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /the database does not exist/);
    assert.ok(r.stderr.includes("postgres://postgres:***@127.0.0.1:5432/"), r.stderr);
    assert.ok(
      !(r.stdout + r.stderr).includes(password),
      `password printed by ${args.join(" ")}: ${r.stderr}`,
    );
  }
  // The same through the environment override.
  const env = await privaci(["check", "-c", p.file], { PRIVACI_SOURCE_URL: url.replace("_db_", "_env_") });
  assert.equal(env.code, 4);
  assert.ok(!(env.stdout + env.stderr).includes(password), env.stderr);
});

Deno.test("privaci colours its errors on a terminal, and NO_COLOR=1 turns every ANSI escape off", async () => {
  await using p = await policyFile(
    `version: 1\nsource: ${UNREACHABLE}\ntarget: ${UNREACHABLE}_2\ntables:\n  public.t:\n    columns:\n      id: kep\n`,
  );
  const [coloured, plain] = await Promise.all([
    inTerminal(["check", "-c", p.file], {}),
    inTerminal(["check", "-c", p.file], { NO_COLOR: "1" }),
  ]);
  assert.match(coloured, /unknown strategy 'kep'/);
  assert.ok(coloured.includes(ANSI), "no colour on a terminal: the NO_COLOR case would prove nothing");
  assert.match(plain, /unknown strategy 'kep'/);
  assert.ok(!plain.includes(ANSI), JSON.stringify(plain));
});

Deno.test("privaci hides stack traces of user errors and internal errors unless --debug is given", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    await exec(sourceUrl, "create table t (id int)");
    await exec(targetUrl, "create table t (id int)");
    await using p = await policyFile(
      `version: 1\nsource: ${sourceUrl}\ntarget: ${targetUrl}\nunlisted: keep\n`,
    );
    // Writing the report into a folder that does not exist fails outside PrivaCI's own errors.
    const report = `${p.file}.missing/report.json`;

    const [internal, user] = await Promise.all([
      privaci(["run", "-q", "-c", p.file, "--report", report]),
      privaci(["--debug", "check", "-c", `${p.file}.nope`]),
    ]);
    assert.equal(internal.code, 1, internal.stderr);
    assert.match(internal.stderr, /^Internal error: /m);
    assert.match(internal.stderr, /run again with --debug for the stack trace/);
    assert.doesNotMatch(internal.stderr, STACK_LINE);

    const debug = await privaci(["--debug", "run", "-q", "-c", p.file, "--report", report, "--truncate"]);
    assert.equal(debug.code, 1, debug.stderr);
    assert.match(debug.stderr, /^Internal error: /m);
    assert.match(debug.stderr, STACK_LINE);

    assert.equal(user.code, 2);
    assert.match(user.stderr, STACK_LINE);
  });
});
