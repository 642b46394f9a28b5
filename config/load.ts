/**
 * Reads and validates the policy file: YAML with positions, `${VAR}` interpolation, environment
 * overrides, the zod shape, duplicate keys, URL shapes and the key. Every problem is a {@link ConfigError}
 * whose diagnostics carry file, line and column; print them with `formatDiagnostics(error.diagnostics)`.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { type Document, LineCounter, parseDocument, visit, type YAMLError } from "yaml";
import { type Diagnostic, diagnostic, formatDiagnostics, type Location } from "../core/diagnostic.ts";
import { ConfigError } from "../errors.ts";
import { sqlConditionProblem } from "../core/sql_condition.ts";
import { decodeKey, Keyring } from "../strategies/keyed/keyring.ts";
import { type EnvReader, interpolate } from "./interpolate.ts";
import { type Policy, PolicySchema } from "./schema.ts";
import { pgUrlProblem } from "./_pg_url.ts";
import { policyExplain } from "./_policy_messages.ts";
import { locateNode, type Position, positionOf, removeDuplicateKeys, stringScalars } from "./_yaml_nodes.ts";
import { describeZodIssues } from "./_zod_issues.ts";
import { isMap, isScalar } from "yaml";
import type { PluginRef } from "./schema.ts";

/** Options of {@link loadPolicy} and {@link parsePolicy}. */
export interface LoadOptions {
  /** Reads an environment variable; defaults to `Deno.env.get`. */
  env?: (name: string) => string | undefined;
}

/** Where {@link LoadedPolicy.locate} points: the key (default) or its value. */
export interface LocateOptions {
  /** `key` for the key's position (default), `value` for its value's. */
  at?: "key" | "value";
}

/** A validated policy and the means to point into its file. */
export interface LoadedPolicy {
  /** Validated, defaults applied, `${VAR}`s interpolated, environment overrides and `key: file:` applied. */
  policy: Policy;
  /** The path as given. */
  file: string;
  /** The raw file text. */
  text: string;
  /**
   * 1-based line/col of the key (or, with `{ at: "value" }`, the value) at a policy path, e.g.
   * `["tables", "public.customer", "columns", "email"]`; `undefined` when the path is not in the file.
   */
  locate(
    path: readonly (string | number)[],
    options?: LocateOptions,
  ): { line: number; col: number } | undefined;
  /**
   * The policy's one {@link Keyring}, made on first call from the key decoded when the policy was
   * loaded (the same keyring on every call); `null` when the policy has no key.
   */
  keyring(): Promise<Keyring | null>;
}

/** Where an issue is: the file and, when known, line and column. */
type Located = Pick<Location, "file" | "line" | "col">;

/** Environment variables that override `source` and `target` when set and not empty. */
export const ENV_OVERRIDES = { source: "PRIVACI_SOURCE_URL", target: "PRIVACI_TARGET_URL" } as const;

/**
 * Reads and validates a policy file.
 *
 * @param file Path of the YAML file.
 * @param options Where environment variables come from.
 * @throws {ConfigError} `CONFIG_NOT_FOUND` when the file cannot be read; otherwise as {@link parsePolicy}.
 */
export async function loadPolicy(file: string, options: LoadOptions = {}): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    const reason = fsReason(e);
    throw new ConfigError("CONFIG_NOT_FOUND", `Cannot read the policy file as ${reason}: ${file}`, [
      diagnostic("CONFIG_NOT_FOUND", `cannot read the policy file: ${reason}`, { file, path: [] }),
    ], { hint: "Check the path given with -c (relative paths start from the current directory)", cause: e });
  }
  return parsePolicy(text, { ...options, file });
}

/**
 * Parses and validates policy text.
 *
 * @param text The YAML text.
 * @param options `file` names the text in every issue; `env` reads variables.
 * @throws {ConfigError} `CONFIG_SYNTAX` (not YAML, or a malformed `${...}`), `CONFIG_VARIABLE_MISSING`,
 * `CONFIG_INVALID` (shape, duplicate keys, URLs; one issue per problem), `WHERE_UNSAFE` (a `where:` that
 * is not one SQL condition: a `;` or an unmatched parenthesis outside quotes), `KEY_MISSING` (unreadable
 * `key: file:`), `KEY_INVALID` (too short or badly encoded key).
 */
export function parsePolicy(text: string, options: LoadOptions & { file: string }): LoadedPolicy {
  const { file } = options;
  const env: EnvReader = options.env ?? ((name) => Deno.env.get(name));
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false,
    prettyErrors: false,
    merge: true,
  });
  checkSyntax(doc, lines, file);
  const locate = (path: readonly (string | number)[], opts: LocateOptions = {}) =>
    locateNode(doc, lines, path, opts.at);
  /** The position of `path`, or of its nearest ancestor in the file (for missing keys). */
  const where = (path: readonly (string | number)[], at: "key" | "value" = "key"): Located => {
    for (const p = [...path]; p.length > 0; p.pop()) {
      const pos = locate(p, { at: p.length === path.length ? at : "key" });
      if (pos) return { file, ...pos };
    }
    return { file, ...locate([]) };
  };

  const overrides: Partial<Record<keyof typeof ENV_OVERRIDES, string>> = {};
  for (const [field, name] of Object.entries(ENV_OVERRIDES) as [keyof typeof ENV_OVERRIDES, string][]) {
    const value = env(name);
    if (value !== undefined && value !== "") overrides[field] = value;
  }
  const interpolated = interpolateDocument(doc, lines, text, { env, file, skip: Object.keys(overrides) });

  const issues: Diagnostic[] = [];
  for (const dup of removeDuplicateKeys(doc, lines)) {
    const message = duplicateMessage(dup.parent, dup.key, dup.first);
    issues.push(
      diagnostic("CONFIG_INVALID", message, { file, ...dup.again, path: [...dup.parent, dup.key] }),
    );
  }
  const data = toData(doc, lines, file);
  const isMapping = typeof data === "object" && data !== null && !Array.isArray(data);
  if (isMapping) Object.assign(data, overrides);

  const parsed = PolicySchema.safeParse(data);
  if (!parsed.success) {
    for (const p of describeZodIssues(parsed.error.issues, data, PolicySchema, { explain: policyExplain })) {
      const fromVariable = interpolated.has(p.path.join("\0")) && p.message.endsWith("got a string");
      const message = fromVariable ? `${p.message} (a value holding \${...} is always a string)` : p.message;
      issues.push(diagnostic("CONFIG_INVALID", message, { ...where(p.path, p.at), path: p.path }));
    }
  }
  for (const field of ["source", "target"] as const) {
    const value = isMapping ? (data as Record<string, unknown>)[field] : undefined;
    const problem = typeof value === "string" && value !== "" ? pgUrlProblem(value) : undefined;
    if (problem === undefined) continue;
    if (overrides[field] !== undefined) {
      issues.push(
        diagnostic("CONFIG_INVALID", `${problem} (set by ${ENV_OVERRIDES[field]})`, { path: [field] }),
      );
    } else {
      issues.push(diagnostic("CONFIG_INVALID", problem, { ...where([field], "value"), path: [field] }));
    }
  }
  if (parsed.success) {
    for (const { path, sql } of conditions(parsed.data)) {
      const problem = sqlConditionProblem(sql);
      if (problem === undefined) continue;
      issues.push(
        diagnostic(
          "WHERE_UNSAFE",
          `this filter ${problem}: a 'where:' is one SQL condition, placed inside the queries that read the source — put a ';' or an unmatched parenthesis inside a quoted string, or remove what follows the condition`,
          { ...where(path, "value"), path },
        ),
      );
    }
  }
  if (issues.length > 0 && issues.every((d) => d.code === "WHERE_UNSAFE")) {
    const sorted = formatDiagnostics(issues).split("\n");
    throw new ConfigError(
      "WHERE_UNSAFE",
      `Cannot use the policy as a 'where:' could run SQL outside its query: ${sorted[0]}${
        issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""
      }`,
      issues,
    );
  }
  if (issues.length > 0 || !parsed.success) throw invalid(issues, file);

  const policy = parsed.data;
  let master: Uint8Array | null = null;
  if (policy.key !== undefined) {
    ({ key: policy.key, master } = checkKey(policy.key, file, where(["key"], "value")));
  }
  let keyring: Promise<Keyring | null> | undefined;
  return {
    policy,
    file,
    text,
    locate,
    keyring() {
      keyring ??= master === null ? Promise.resolve(null) : Keyring.create(master);
      master = null;
      return keyring;
    },
  };
}

function checkSyntax(doc: Document, lines: LineCounter, file: string): void {
  const errors: YAMLError[] = [...doc.errors, ...doc.warnings];
  if (errors.length === 0) return;
  const issues = errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const reason = e.code === "MULTIPLE_DOCS"
      ? "The policy must be a single YAML document: remove the second '---' and what follows"
      : e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    const message = reason.charAt(0).toLowerCase() + reason.slice(1);
    return diagnostic("CONFIG_SYNTAX", message, { file, line: pos.line, col: pos.col, path: [] });
  });
  const first = issues[0];
  throw new ConfigError(
    "CONFIG_SYNTAX",
    `Cannot parse the policy as it is not valid YAML: ${file}:${first.location.line}:${first.location.col}: ${first.message}`,
    issues,
    { cause: errors[0] },
  );
}

/** The document as plain data; an alias that cannot be resolved is a syntax error at the alias. */
function toData(doc: Document, lines: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    let pos: Position = { line: 1, col: 1 };
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined) return;
        pos = positionOf(node, lines) ?? pos;
        return visit.BREAK;
      },
    });
    const reason = e.message.charAt(0).toLowerCase() + e.message.slice(1);
    throw new ConfigError(
      "CONFIG_SYNTAX",
      `Cannot parse the policy as it is not valid YAML: ${file}:${pos.line}:${pos.col}: ${reason}`,
      [diagnostic("CONFIG_SYNTAX", reason, { file, ...pos, path: [] })],
      { cause: e },
    );
  }
}

/**
 * Replaces `${VAR}`s in every string value in place, except top-level keys in `skip` (overridden by the
 * environment). Returns the paths (joined with NUL) whose value changed.
 */
function interpolateDocument(
  doc: Document,
  lines: LineCounter,
  text: string,
  options: { env: EnvReader; file: string; skip: readonly string[] },
): Set<string> {
  const issues: Diagnostic[] = [];
  const changed = new Set<string>();
  let missing = 0;
  for (const scalar of stringScalars(doc, lines, text)) {
    if (scalar.path.length === 1 && options.skip.includes(String(scalar.path[0]))) continue;
    const result = interpolate(scalar.node.value as string, options.env);
    if (result.changed) {
      scalar.node.value = result.value;
      changed.add(scalar.path.join("\0"));
    }
    for (const problem of result.problems) {
      const pos: Position = scalar.offset === undefined
        ? scalar.position
        : lines.linePos(scalar.offset + problem.index);
      if (problem.kind === "missing") missing++;
      const message = problem.kind === "missing"
        ? `environment variable '${problem.detail}' is not set`
        : `malformed variable reference: ${problem.detail} (write '$\${' for a literal '\${')`;
      const code = problem.kind === "missing" ? "CONFIG_VARIABLE_MISSING" : "CONFIG_SYNTAX";
      issues.push(
        diagnostic(code, message, { file: options.file, line: pos.line, col: pos.col, path: scalar.path }),
      );
    }
  }
  if (issues.length === 0) return changed;
  const at = (i: Diagnostic) => `${i.location.file}:${i.location.line}:${i.location.col}`;
  if (missing > 0) {
    const found = issues.filter((i) => i.code === "CONFIG_VARIABLE_MISSING");
    const names = [
      ...new Map(found.map((i) => [i.message.split("'")[1], `'${i.message.split("'")[1]}' at ${at(i)}`])),
    ];
    const subject = names.length === 1
      ? "an environment variable is not set"
      : `${names.length} environment variables are not set`;
    throw new ConfigError(
      "CONFIG_VARIABLE_MISSING",
      `Cannot load the policy as ${subject}: ${names.map(([, text]) => text).join(", ")}`,
      issues,
      { hint: "Set the variable, or give a default in the policy as ${NAME:-value}" },
    );
  }
  const first = issues[0];
  const detail = first.message.replace(/^malformed variable reference: /, "");
  throw new ConfigError(
    "CONFIG_SYNTAX",
    `Cannot load the policy as a variable reference is malformed: ${at(first)}: ${detail}`,
    issues,
  );
}

function duplicateMessage(parent: readonly (string | number)[], key: string, first: Position): string {
  const at = `first at line ${first.line}`;
  if (parent.length === 1 && parent[0] === "tables") return `table '${key}' is listed twice (${at})`;
  if (parent.length === 3 && parent[0] === "tables" && parent[2] === "columns") {
    return `column '${key}' is listed twice in '${String(parent[1])}' (${at})`;
  }
  return `key '${key}' is written twice (${at})`;
}

/** The policy's SQL conditions, each with its path: every table's and every subset root's `where:`. */
function conditions(policy: Policy): { path: string[]; sql: string }[] {
  const tables = Object.entries(policy.tables).flatMap(([name, t]) =>
    t.where === undefined ? [] : [{ path: ["tables", name, "where"], sql: t.where }]
  );
  const roots = Object.entries(policy.subset?.roots ?? {}).flatMap(([name, r]) =>
    r.where === undefined ? [] : [{ path: ["subset", "roots", name, "where"], sql: r.where }]
  );
  return [...tables, ...roots];
}

function invalid(issues: Diagnostic[], file: string): ConfigError {
  const sorted = formatDiagnostics(issues).split("\n");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new ConfigError(
    "CONFIG_INVALID",
    `Cannot use the policy as it is invalid: ${sorted[0]}${more}`,
    issues,
    {
      hint: issues.length > 1 ? `${file} has ${issues.length} problems; fix each one listed` : undefined,
    },
  );
}

/** The key (read from its file for `key: file:`) and its decoded bytes. */
function checkKey(key: string, file: string, location: Located): { key: string; master: Uint8Array } {
  if (key.startsWith("file:")) {
    const keyFile = resolve(dirname(file), key.slice(5));
    let content: string;
    try {
      content = Deno.readTextFileSync(keyFile);
    } catch (e) {
      const reason = fsReason(e);
      throw new ConfigError("KEY_MISSING", `Cannot read the policy key file as ${reason}: ${keyFile}`, [
        diagnostic("KEY_MISSING", `cannot read the key file '${keyFile}': ${reason}`, {
          ...location,
          path: ["key"],
        }),
      ], { hint: "Relative key file paths start from the policy file's folder", cause: e });
    }
    key = content.trim();
    if (key === "") {
      throw new ConfigError("KEY_INVALID", `Cannot use the policy key file as it is empty: ${keyFile}`, [
        diagnostic("KEY_INVALID", `the key file '${keyFile}' is empty`, { ...location, path: ["key"] }),
      ], { hint: "Generate a key with: openssl rand -base64 32 (and write it as base64:<value>)" });
    }
  }
  try {
    return { key, master: decodeKey(key) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const issues = e.diagnostics.map((d) => diagnostic(d.code, d.message, { ...d.location, ...location }));
    const at = location.line === undefined ? "" : `:${location.line}:${location.col}`;
    throw new ConfigError(e.code, `${e.message} (${location.file}${at})`, issues, { hint: e.hint, cause: e });
  }
}

/** Why a file could not be read, without the OS error text. */
function fsReason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "it does not exist";
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
    return "permission is denied";
  }
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (e instanceof TypeError && /utf-8|decode/i.test(e.message)) return "it is not UTF-8 text";
  return `it cannot be read (${e instanceof Error ? e.name : "unknown error"})`;
}

/**
 * Reads only the policy's `plugins:`, the way {@link loadPolicy} reads the whole policy (the same YAML
 * reading, `${VAR}` interpolation, duplicate keys, shape and messages with file, line and column), so
 * `privaci plugin add` works before the rest of the policy (source, target, rules naming the plugin's
 * strategies) is complete: nothing outside `plugins:` is interpolated or checked. A missing file has none.
 *
 * @throws {ConfigError} `CONFIG_SYNTAX`, `CONFIG_VARIABLE_MISSING` or `CONFIG_INVALID` for `plugins:`.
 */
export async function loadPolicyPlugins(file: string, options: LoadOptions = {}): Promise<PluginRef[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw new ConfigError("CONFIG_NOT_FOUND", `Cannot read the policy file as ${fsReason(e)}: ${file}`, [], {
      cause: e,
    });
  }
  const env: EnvReader = options.env ?? ((name) => Deno.env.get(name));
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false,
    prettyErrors: false,
    merge: true,
  });
  checkSyntax(doc, lines, file);
  if (isMap(doc.contents)) {
    doc.contents.items = doc.contents.items.filter((p) => isScalar(p.key) && p.key.value === "plugins");
  }
  interpolateDocument(doc, lines, text, { env, file, skip: [] });
  const issues: Diagnostic[] = [];
  for (const dup of removeDuplicateKeys(doc, lines)) {
    issues.push(diagnostic("CONFIG_INVALID", duplicateMessage(dup.parent, dup.key, dup.first), {
      file,
      ...dup.again,
      path: [...dup.parent, dup.key],
    }));
  }
  const data = toData(doc, lines, file) ?? {};
  const schema = PolicySchema.pick({ plugins: true });
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const p of describeZodIssues(parsed.error.issues, data, schema, { explain: policyExplain })) {
      const pos = locateNode(doc, lines, p.path, p.at) ?? locateNode(doc, lines, ["plugins"]) ?? {};
      issues.push(diagnostic("CONFIG_INVALID", p.message, { file, ...pos, path: p.path }));
    }
  }
  if (issues.length > 0 || !parsed.success) throw invalid(issues, file);
  return parsed.data.plugins;
}
