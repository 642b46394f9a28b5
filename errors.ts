/**
 * The one error model of PrivaCI: every failure a user can meet is a {@link PrivaciError} with a stable
 * `code` and the process exit code it maps to. Only `cli.ts` turns these into exit codes.
 *
 * Messages never carry cell values, query parameters, keys or DSN passwords.
 *
 * @module
 */
import { type Diagnostic, formatDiagnostics } from "./core/diagnostic.ts";

/** Every stable error code, sorted. The type {@link ErrorCode} and the runtime check share this list. */
export const ERROR_CODES = [
  "CHECK_FAILED",
  "CONFIG_INVALID",
  "CONFIG_NOT_FOUND",
  "CONFIG_SYNTAX",
  "CONFIG_VARIABLE_MISSING",
  "INTERNAL",
  "INTERRUPTED",
  "JSON_UNMATCHED",
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
  "SNAPSHOT_GONE",
  "STRATEGY_COLLISION",
  "STRATEGY_FAILED",
  "STRATEGY_INVALID_OUTPUT",
  "STRATEGY_PARAMS",
  "STRATEGY_UNKNOWN",
  "TARGET_NOT_EMPTY",
  "TARGET_IS_SOURCE",
  "USAGE",
  "VERIFY_FAILED",
  "WHERE_UNSAFE",
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

  /** An error with a code from {@link ERROR_CODES}; the exit code defaults to 1 (the run failed). */
  constructor(code: ErrorCode, message: string, options: PrivaciErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PrivaciError";
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.runFailed;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** The policy file cannot be used: syntax, shape, unknown names. Exit code 2. */
export class ConfigError extends PrivaciError {
  /** Every problem found, not just the first. */
  readonly diagnostics: Diagnostic[];

  /** A policy error with every finding (its exit code is 2). */
  constructor(
    code: ErrorCode,
    message: string,
    diagnostics: Diagnostic[] = [],
    options: PrivaciErrorOptions = {},
  ) {
    super(code, message, { exitCode: EXIT.usage, ...options });
    this.name = "ConfigError";
    this.diagnostics = diagnostics;
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

  /** A database error with the server's SQLSTATE and the table and column when known. */
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

  /** A masking error located by table, column, strategy and row, never by value. */
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

/** The codes a {@link PluginError} carries. */
export type PluginErrorCode = Extract<ErrorCode, `PLUGIN_${string}`>;

/** Where a plugin failed while masking: the table, the column and the rows of the batch. */
export interface PluginErrorLocation {
  /** `schema.table`. */
  table: string;
  /** The column being masked. */
  column: string;
  /** 1-based ordinals of the batch's first and last rows in the table's stream (or in its chunk). */
  rows: { first: number; last: number };
  /** The chunk of a table split into key ranges, when it is one (0-based, as progress reports it). */
  chunk?: number;
  /** The chunk's key range (SQL, e.g. `"id" >= 1 and "id" < 5001`), which places its rows in the table. */
  range?: string;
}

/** A plugin could not be resolved, verified, or failed while running. Exit code 3. */
export class PluginError extends PrivaciError {
  /** The plugin's name, e.g. `@acme/privaci-nhs`. */
  readonly plugin: string;
  /** The plugin's version, when known. */
  readonly version?: string;
  /** The plugin strategy involved, when known. */
  readonly strategy?: string;
  /** Where it failed, when it failed while masking rows. */
  readonly location?: PluginErrorLocation;
  /** The message without its location, to locate it again (in a chunk). */
  #bare: string;

  /** A plugin error naming the plugin, its version and strategy when known (exit code 3). */
  constructor(
    code: ErrorCode,
    message: string,
    fields: { plugin: string; version?: string; strategy?: string; location?: PluginErrorLocation },
    options: PrivaciErrorOptions = {},
  ) {
    super(code, message, { exitCode: EXIT.plugin, ...options });
    this.#bare = message;
    this.name = "PluginError";
    this.plugin = fields.plugin;
    if (fields.version !== undefined) this.version = fields.version;
    if (fields.strategy !== undefined) this.strategy = fields.strategy;
    if (fields.location !== undefined) this.location = fields.location;
  }

  /** The same error, located at `where` (named at the end of the message); unchanged when already located. */
  locate(where: PluginErrorLocation): PluginError {
    if (this.location) return this;
    return this.#located(where);
  }

  /**
   * The same error, its rows placed in chunk `index` of a table split into key ranges (rows are counted
   * from the chunk's first); unchanged when it names no rows.
   */
  inChunk(index: number, range: string): PluginError {
    if (!this.location) return this;
    return this.#located({ ...this.location, chunk: index, range });
  }

  #located(where: PluginErrorLocation): PluginError {
    const { first, last } = where.rows;
    const chunk = where.chunk !== undefined ? ` of chunk ${where.chunk}` : "";
    const range = where.range !== undefined ? `, key range ${where.range}` : "";
    const located = new PluginError(
      this.code,
      `${this.#bare} (table ${where.table}, column ${where.column}, rows ${first}-${last}${chunk}${range})`,
      {
        plugin: this.plugin,
        ...(this.version !== undefined ? { version: this.version } : {}),
        ...(this.strategy !== undefined ? { strategy: this.strategy } : {}),
        location: where,
      },
      {
        exitCode: this.exitCode,
        ...(this.hint !== undefined ? { hint: this.hint } : {}),
        ...(this.cause !== undefined ? { cause: this.cause } : {}),
      },
    );
    located.#bare = this.#bare;
    return located;
  }
}

/**
 * The {@link ConfigError} for a list of findings that stop a command: its code is the first error's when
 * that is an error code (`STRATEGY_UNKNOWN`, `KEY_MISSING`, ...), else `CHECK_FAILED`; its message is
 * `what` and the first error, located; every finding is kept.
 *
 * @param what What could not be done, e.g. `Cannot run`.
 * @param diagnostics The findings; at least one has severity `error`.
 */
export function configErrorOf(what: string, diagnostics: Diagnostic[]): ConfigError {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0] ?? diagnostics[0];
  const code = (ERROR_CODES as readonly string[]).includes(first.code)
    ? first.code as ErrorCode
    : "CHECK_FAILED";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new ConfigError(code, `${what}: ${formatDiagnostics([first])}${more}`, diagnostics);
}
