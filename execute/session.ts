/**
 * A run session: what every command that reads the source through a policy opens, once, and disposes
 * of, once. `run`, `dryRun` and `check` open one; `scan`, `preview` and `verify` can open the same.
 *
 * Opening a session loads the policy's plugins (unless given a registry), binds every rule of the policy (an unknown strategy, a bad param or a missing key is
 * refused here, before any connection, with the rule's code and policy line), makes the policy's one
 * keyring, and then opens what the command asks for: the source catalog connection (always), the target
 * connection, one snapshot of the source, a pool of masking workers. If opening any of them fails, the
 * ones already open are closed before the error leaves `open`.
 *
 * Disposing of the session (`await using`) closes, in reverse order, the maskers of the prepared plan,
 * the workers, the snapshot, both connections and the plugin sandboxes, whatever happened in between.
 *
 * API:
 * - `RunSession.open(src, options)`: binds, connects; `options.target`, `options.snapshot`,
 *   `options.maskWorkers` say what else to open, `options.registry` the strategies (default: the
 *   built-ins and the policy's plugins),
 *   `options.signal` ends the catalog connections on abort.
 * - `session.src`, `session.registry`, `session.bound` (the bound rules), `session.keyring`.
 * - `session.source`: the catalog connection; `session.target`; `session.snapshot` (with its `sql`);
 *   `session.pool`: the masking workers. Each throws a `TypeError` when the session was not opened with it.
 * - `session.openSnapshot({ join })`: opens the snapshot later, or joins one exported elsewhere.
 * - `session.prepare()`: reads the catalog (inside the snapshot when there is one), places the rules on
 *   its columns and builds every masker; the result is the session's, closed with it.
 *
 * @example Plan a policy against its source, then let the session close everything
 * ```ts ignore
 * import { loadPolicy } from "../config/load.ts";
 * import { RunSession } from "./session.ts";
 * await using session = await RunSession.open(await loadPolicy("privaci.yaml"), { snapshot: true });
 * const prepared = await session.prepare();
 * console.log(prepared.copied.map((t) => t.name));
 * ```
 *
 * @module
 */
import type postgres from "postgres";
import { connect } from "../pg/connect.ts";
import { SourceSnapshot } from "../pg/source.ts";
import denoJson from "../deno.json" with { type: "json" };
import { policyRegistry } from "../plugins/policy_registry.ts";
import type { Keyring } from "../strategies/keyed/keyring.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { bindPolicy, type BoundPolicy } from "../plan/bind.ts";
import { MaskPool } from "./mask_pool.ts";
import { throwIfIssues } from "../plan/maskers.ts";
import type { PolicySource } from "../plan/plan.ts";
import { prepare, type Prepared } from "../plan/prepare.ts";

/** What {@link RunSession.open} opens besides the source catalog connection. */
export interface SessionOptions {
  /** Strategies to use (default: the built-ins and the policy's plugins, loaded and closed by the session). */
  registry?: StrategyRegistry;
  /** Also connect to the target. */
  target?: boolean;
  /** Also open one snapshot of the source, read by every table. */
  snapshot?: boolean;
  /** Also start a pool of this many masking workers (0: mask inline). */
  maskWorkers?: number;
  /** Ends the catalog connections on abort, so a statement waiting for a lock stops at once. */
  signal?: AbortSignal;
  /** What the command is, for the message when the policy's rules are refused (default `Cannot run`). */
  what?: string;
}

/** The resources of one command over one policy, disposed of together. */
export class RunSession implements AsyncDisposable {
  readonly src: PolicySource;
  readonly registry: StrategyRegistry;
  /** The policy's rules, bound once. */
  readonly bound: BoundPolicy;
  /** The policy's one keyring, or `null` without a key. */
  readonly keyring: Keyring | null;
  #stack: AsyncDisposableStack;
  #source: postgres.Sql | null = null;
  #target: postgres.Sql | null = null;
  #snapshot: SourceSnapshot | null = null;
  #pool: MaskPool | null = null;
  #prepared: Prepared | null = null;

  private constructor(
    src: PolicySource,
    registry: StrategyRegistry,
    bound: BoundPolicy,
    keyring: Keyring | null,
    stack: AsyncDisposableStack,
  ) {
    this.#stack = stack;
    this.src = src;
    this.registry = registry;
    this.bound = bound;
    this.keyring = keyring;
  }

  /**
   * Binds the policy's rules and opens what `options` asks for.
   *
   * @throws {ConfigError} when a rule cannot be bound (before any connection is opened).
   * @throws {PgError} when a connection or the snapshot cannot be opened (the others are closed first).
   */
  static async open(src: PolicySource, options: SessionOptions = {}): Promise<RunSession> {
    const stack = new AsyncDisposableStack();
    try {
      let registry = options.registry;
      if (registry === undefined) {
        // The policy's plugins, verified and sandboxed as its lock pins them, beside the built-ins.
        const plugins = await policyRegistry(src, { hostVersion: denoJson.version });
        stack.defer(() => plugins.close());
        registry = plugins.registry;
      }
      const bound = bindPolicy(src, registry);
      throwIfIssues(bound.diagnostics, options.what ?? "Cannot run");
      const session = new RunSession(src, registry, bound, await src.keyring(), stack);
      await session.#open(options);
      return session;
    } catch (e) {
      await stack.disposeAsync();
      throw e;
    }
  }

  async #open(options: SessionOptions): Promise<void> {
    const { policy } = this.src;
    const stack = this.#stack;
    const source = await connect(policy.source, "source");
    stack.defer(() => source.end({ timeout: 0 }));
    this.#source = source;
    if (options.target) {
      // No start-up type query on the target (see openClient): a terminated start-up must fail cleanly.
      const target = await connect(policy.target, "target", { fetchTypes: false });
      stack.defer(() => target.end({ timeout: 0 }));
      this.#target = target;
    }
    if (options.signal) {
      const signal = options.signal;
      const endOnAbort = () => {
        void this.#source?.end({ timeout: 0 }).catch(() => {});
        void this.#target?.end({ timeout: 0 }).catch(() => {});
      };
      signal.addEventListener("abort", endOnAbort, { once: true });
      stack.defer(() => signal.removeEventListener("abort", endOnAbort));
    }
    if (options.snapshot) await this.openSnapshot();
    if (options.maskWorkers !== undefined) {
      // Workers start only when a table needs them, and end with the session, whatever its outcome.
      const pool = new MaskPool({ size: options.maskWorkers });
      stack.defer(() => pool.close());
      this.#pool = pool;
    }
  }

  /**
   * Opens the session's snapshot of the source (when `open` was not asked for one): a new one, or with
   * `join` the one another process exported (a shard joining its run).
   *
   * @throws {PgError} `SNAPSHOT_GONE` when the snapshot to join has ended (nothing is left open).
   */
  async openSnapshot(options: { join?: string } = {}): Promise<SourceSnapshot> {
    if (this.#snapshot) throw new TypeError("Cannot open a second snapshot in one session");
    const snapshot = await SourceSnapshot.open(this.src.policy.source, options);
    this.#stack.defer(() => snapshot.close());
    this.#snapshot = snapshot;
    return snapshot;
  }

  /** The source catalog connection. */
  get source(): postgres.Sql {
    return this.#source ?? fail("source");
  }

  /** The target connection (`open` with `target: true`). */
  get target(): postgres.Sql {
    return this.#target ?? fail("target");
  }

  /** The source snapshot (`open` with `snapshot: true`). */
  get snapshot(): SourceSnapshot {
    return this.#snapshot ?? fail("snapshot");
  }

  /** The masking workers (`open` with `maskWorkers`). */
  get pool(): MaskPool {
    return this.#pool ?? fail("pool");
  }

  /**
   * Reads the catalog (inside the snapshot when the session has one), places the bound rules on its
   * columns and builds every masker. Prepared once; the maskers close with the session.
   */
  async prepare(): Promise<Prepared> {
    if (this.#prepared) return this.#prepared;
    const sql = this.#snapshot?.sql ?? this.source;
    const prepared = await prepare(this.src, sql, {
      registry: this.registry,
      bound: this.bound,
      keyring: this.keyring,
    });
    this.#stack.defer(() => prepared.close());
    this.#prepared = prepared;
    return prepared;
  }

  /** Closes the maskers, workers, snapshot and connections, in the reverse order of opening. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#stack.disposeAsync();
  }
}

function fail(what: string): never {
  throw new TypeError(`Cannot use the session's ${what} as the session was not opened with it`);
}
