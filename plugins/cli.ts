/**
 * `privaci plugin …`: make a publisher key, sign a plugin, verify or add a plugin to the lock, and list the
 * strategies available to a policy. The root `cli.ts` mounts {@link pluginCommand}.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { dirname, join, resolve } from "node:path";
import denoJson from "../deno.json" with { type: "json" };
import { PrivaciError } from "../errors.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import { addPlugin, verifyPlugin } from "./add.ts";
import { readLock } from "./lock.ts";
import { bundleModule, describeModule, signPackage } from "./package.ts";
import { policyBase } from "./loader.ts";
import { generateKeyPair, importSigningKey, isPublisher } from "./signing.ts";
import { fetchVerified } from "./trust.ts";
import { loadPolicyPlugins } from "../config/load.ts";
import { requireDenoRuntime } from "./_runtime.ts";
import { printable } from "./_text.ts";

/** The longest manifest text (a strategy description) printed. */
const TEXT_CHARS = 200;

/** A strategy line as the commands print it: the description made printable and capped. */
function strategyLine(name: string, description: string): string {
  return `  ${name}  ${printable(description, TEXT_CHARS)}`;
}

/** Where the command writes its results (stdout by default). */
export interface PluginCommandIo {
  print?: (line: string) => void;
}

function lockBeside(config: string): string {
  return join(dirname(resolve(config)), "privaci.lock");
}

function usage(message: string, hint?: string): PrivaciError {
  return new PrivaciError("USAGE", message, { exitCode: 2, ...(hint ? { hint } : {}) });
}

async function publisherFor(use: string, given: string | undefined, config: string): Promise<string> {
  if (given !== undefined) {
    if (!isPublisher(given)) throw usage(`Cannot use --publisher as it is not ed25519:<base64 of 32 bytes>`);
    return given;
  }
  const ref = (await loadPolicyPlugins(config)).find((p) => p.use === use);
  if (!ref) {
    throw usage(
      `Cannot verify ${use} as no publisher key is given: pass --publisher or list it under plugins: in ${config}`,
      `plugins:\n  - use: ${use}\n    publisher: ed25519:<the publisher's public key>`,
    );
  }
  return ref.publisher;
}

/**
 * The `plugin` command with its subcommands `keygen`, `sign`, `verify`, `add` and `list`.
 *
 * @param io Where results are printed; errors are thrown as {@link PrivaciError}s for the caller to report.
 */
export function pluginCommand(io: PluginCommandIo = {}): Command {
  const print = io.print ?? ((line: string) => console.log(line));
  const hostVersion = denoJson.version;
  const plugin = new Command("plugin").description("sign, verify, pin and list masking-strategy plugins");

  plugin.command("keygen")
    .description("create an Ed25519 publisher key pair: writes the private key, prints the public key")
    .option("-o, --out <file>", "where to write the PKCS8 private key (PEM)", "privaci-plugin.key")
    .action(async (opts) => {
      const { privatePem, publisher } = await generateKeyPair();
      try {
        await Deno.writeTextFile(opts.out, privatePem, { createNew: true, mode: 0o600 });
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) {
          throw usage(`Cannot write the private key as the file exists: ${opts.out}`);
        }
        throw e;
      }
      print(publisher);
    });

  plugin.command("sign")
    .description("bundle a plugin into one module, write its manifest and sign it")
    .argument("<entry>", "the plugin's entry module (bundled with deno bundle unless it is already one file)")
    .requiredOption("-k, --key <file>", "the publisher's private key (from plugin keygen)")
    .option("-o, --out <dir>", "where to write mod.js, plugin.json and plugin.json.sig", "dist")
    .action(async (entry, opts) => {
      requireDenoRuntime("plugin sign");
      const key = await importSigningKey(await Deno.readTextFile(opts.key)).catch((e) => {
        throw usage(`Cannot read the private key ${opts.key}: ${(e as Error).message}`);
      });
      const module = await bundleModule(entry);
      const pkg = await signPackage(module, await describeModule(module), key);
      await Deno.mkdir(opts.out, { recursive: true });
      for (const [name, bytes] of Object.entries(pkg.files)) {
        await Deno.writeFile(join(opts.out, name), bytes);
      }
      print(
        `signed ${pkg.manifest.name}@${pkg.manifest.version} (${pkg.manifest.integrity}) by ${key.publisher}`,
      );
      print(`wrote ${Object.keys(pkg.files).map((f) => join(opts.out, f)).join(", ")}`);
    });

  plugin.command("verify")
    .description("fetch a plugin and check its signature, integrity, versions and lock entry")
    .argument("<specifier>", "jsr:@scope/name@range, https://… or file:…")
    .option("-p, --publisher <key>", "the ed25519:<base64> key trusted to sign it (default: from the policy)")
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .option("--lock <file>", "the lock file (default: privaci.lock beside the policy)")
    .action(async (use, opts) => {
      requireDenoRuntime("plugin verify");
      const publisher = await publisherFor(use, opts.publisher, opts.config);
      const lockFile = opts.lock ?? lockBeside(opts.config);
      const locked = (await readLock(lockFile)).plugins[use];
      const verified = locked
        ? await fetchVerified(use, { base: policyBase(lockFile), publisher, hostVersion, locked })
        : await verifyPlugin(use, { publisher, lockFile, hostVersion });
      const m = verified.manifest;
      print(`ok ${m.name}@${m.version} signed by ${publisher}`);
      print(
        `  module ${m.integrity}, plugin API ${m.apiVersion}, supports PrivaCI ${printable(m.privaci, 40)}`,
      );
      print(locked ? `  matches ${lockFile}` : `  not in ${lockFile} (run: privaci plugin add ${use})`);
      for (const s of m.strategies) print(strategyLine(`${m.name}/${s.name}`, s.description));
    });

  plugin.command("add")
    .description("resolve, verify and pin a plugin in privaci.lock")
    .argument("<specifier>", "jsr:@scope/name@range, https://… or file:…")
    .option("-p, --publisher <key>", "the ed25519:<base64> key trusted to sign it (default: from the policy)")
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .option("--lock <file>", "the lock file (default: privaci.lock beside the policy)")
    .action(async (use, opts) => {
      requireDenoRuntime("plugin add");
      const publisher = await publisherFor(use, opts.publisher, opts.config);
      const lockFile = opts.lock ?? lockBeside(opts.config);
      const { manifest } = await addPlugin(use, { publisher, lockFile, hostVersion });
      print(`added ${manifest.name}@${manifest.version} to ${lockFile}`);
      for (const s of manifest.strategies) print(strategyLine(`${manifest.name}/${s.name}`, s.description));
    });

  plugin.command("list")
    .description("list the built-in strategies and those of the policy's plugins")
    .option("-c, --config <file>", "the policy file", "privaci.yaml")
    .option("--lock <file>", "the lock file (default: privaci.lock beside the policy)")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const builtins = builtinStrategies().list().map((d) => ({
        name: d.meta.name,
        description: d.meta.description,
      }));
      const refs = await loadPolicyPlugins(opts.config);
      const lockFile = opts.lock ?? lockBeside(opts.config);
      const lock = await readLock(lockFile);
      const plugins = [];
      for (const ref of refs) {
        const locked = lock.plugins[ref.use];
        if (!locked) {
          plugins.push({
            use: ref.use,
            status: "not in lock",
            strategies: [] as { name: string; description: string }[],
          });
          continue;
        }
        // Verified exactly as `run` would, without running any plugin code.
        const { manifest } = await fetchVerified(ref.use, {
          base: policyBase(lockFile),
          publisher: ref.publisher,
          hostVersion,
          locked,
        });
        plugins.push({
          use: ref.use,
          status: `${manifest.name}@${manifest.version}`,
          strategies: manifest.strategies.flatMap((s) => [
            { name: `${manifest.name}/${s.name}`, description: printable(s.description, TEXT_CHARS) },
            ...(ref.alias
              ? [{ name: `${ref.alias}/${s.name}`, description: `alias of ${manifest.name}/${s.name}` }]
              : []),
          ]),
        });
      }
      if (opts.json) {
        print(JSON.stringify({ builtins, plugins }, null, 2));
        return;
      }
      print("built-in strategies:");
      for (const s of builtins) print(`  ${s.name}  ${s.description}`);
      for (const p of plugins) {
        print(`plugin ${p.use} (${p.status}):`);
        for (const s of p.strategies) print(strategyLine(s.name, s.description));
      }
    });

  return plugin;
}
