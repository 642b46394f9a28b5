/**
 * The one error model of PrivaCI: every failure a user can meet is a {@link PrivaciError} with a stable
 * `code` and the process exit code it maps to. Only `cli.ts` turns these into exit codes.
 *
 * Messages never carry cell values, query parameters, keys or DSN passwords.
 *
 * @module
 */

/** Every stable error code, sorted. The type {@link ErrorCode} and the runtime check share this list. */
export const ERROR_CODES = [
  "CHECK_FAILED",
  "CONFIG_INVALID",
  "CONFIG_NOT_FOUND",
  "CONFIG_SYNTAX",
  "CONFIG_VARIABLE_MISSING",
  "INTERNAL",
  "INTERRUPTED",
  "KEY_INVALID",
  "KEY_MISSING",
  "PG_CONNECT",
  "PG_COPY",
  "PG_QUERY",
  "PLUGIN_ERROR",
  "PLUGIN_INTEGRITY",
  "PLUGIN_LOCK",
  "PLUGIN_MEMORY",
  "PLUGIN_OUTPUT",
  "PLUGIN_PERMISSION",
  "PLUGIN_RESOLVE",
  "PLUGIN_SIGNATURE",
  "PLUGIN_TIMEOUT",
  "PLUGIN_VERSION",
  "RESUME_REFUSED",
  "SCHEMA_COPY",
  "STRATEGY_FAILED",
  "STRATEGY_INVALID_OUTPUT",
  "STRATEGY_PARAMS",
  "STRATEGY_UNKNOWN",
  "TARGET_NOT_EMPTY",
  "TARGET_IS_SOURCE",
  "USAGE",
  "VERIFY_FAILED",
] as const;

/** A stable, documented error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Exit codes of the `privaci` command. */
export const EXIT = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  plugin: 3,
  connect: 4,
  sigint: 130,
  sigterm: 143,
} as const;

/** Options shared by every {@link PrivaciError}. */
export interface PrivaciErrorOptions {
  /** What the user can do about it; printed under the message. */
  hint?: string;
  /** The underlying error, kept for `--debug`. */
  cause?: unknown;
  /** Overrides the exit code derived from the error class. */
  exitCode?: number;
}

/** The base of every error PrivaCI raises on purpose. */
export class PrivaciError extends Error {
  /** A stable code from {@link ERROR_CODES}. */
  readonly code: ErrorCode;
  /** The process exit code `cli.ts` uses for this error. */
  readonly exitCode: number;
  /** What the user can do about it. */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: PrivaciErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PrivaciError";
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.runFailed;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** One problem found in a policy file, located as precisely as the file allows. */
export interface ConfigIssue {
  /** Key path inside the policy, e.g. `["tables", "public.customer", "columns", "email"]`. */
  path: (string | number)[];
  /** What is wrong, with the fix where one is known. */
  message: string;
  /** The policy file, when the policy came from a file. */
  file?: string;
  /** 1-based line of the offending key or value. */
  line?: number;
  /** 1-based column of the offending key or value. */
  col?: number;
}

/** The policy file cannot be used: syntax, shape, unknown names. Exit code 2. */
export class ConfigError extends PrivaciError {
  /** Every problem found, not just the first. */
  readonly issues: ConfigIssue[];

  constructor(
    code: ErrorCode,
    message: string,
    issues: ConfigIssue[] = [],
    options: PrivaciErrorOptions = {},
  ) {
    super(code, message, { exitCode: EXIT.usage, ...options });
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** A PostgreSQL failure, with the server's SQLSTATE and the table it concerns when known. Exit code 1. */
export class PgError extends PrivaciError {
  /** The server's SQLSTATE, e.g. `23505`, when the server raised it. */
  readonly sqlstate?: string;
  /** `schema.table` the failure concerns, when known. */
  readonly table?: string;
  /** Column the failure concerns, when the server said. */
  readonly column?: string;

  constructor(
    code: ErrorCode,
    message: string,
    fields: { sqlstate?: string; table?: string; column?: string } = {},
    options: PrivaciErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "PgError";
    if (fields.sqlstate !== undefined) this.sqlstate = fields.sqlstate;
    if (fields.table !== undefined) this.table = fields.table;
    if (fields.column !== undefined) this.column = fields.column;
  }
}

/** A failure while masking one table: names the table, column, strategy and row ordinal, never the value. */
export class PipelineError extends PrivaciError {
  /** `schema.table`. */
  readonly table: string;
  /** The column being masked, when the failure is in one column. */
  readonly column?: string;
  /** The strategy in use for that column. */
  readonly strategy?: string;
  /** 1-based ordinal of the row in the table's COPY stream, when known. */
  readonly row?: number;

  constructor(
    code: ErrorCode,
    message: string,
    fields: { table: string; column?: string; strategy?: string; row?: number },
    options: PrivaciErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "PipelineError";
    this.table = fields.table;
    if (fields.column !== undefined) this.column = fields.column;
    if (fields.strategy !== undefined) this.strategy = fields.strategy;
    if (fields.row !== undefined) this.row = fields.row;
  }
}

/** A plugin could not be resolved, verified, or failed while running. Exit code 3. */
export class PluginError extends PrivaciError {
  /** The plugin's name, e.g. `@acme/privaci-nhs`. */
  readonly plugin: string;
  /** The plugin's version, when known. */
  readonly version?: string;
  /** The plugin strategy involved, when known. */
  readonly strategy?: string;

  constructor(
    code: ErrorCode,
    message: string,
    fields: { plugin: string; version?: string; strategy?: string },
    options: PrivaciErrorOptions = {},
  ) {
    super(code, message, { exitCode: EXIT.plugin, ...options });
    this.name = "PluginError";
    this.plugin = fields.plugin;
    if (fields.version !== undefined) this.version = fields.version;
    if (fields.strategy !== undefined) this.strategy = fields.strategy;
  }
}
