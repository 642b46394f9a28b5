/**
 * Bounded retries for a table whose connection was lost: a fresh attempt re-reads the same snapshot and
 * reloads the table in a new transaction (the failed one was rolled back), with exponential backoff.
 *
 * @module
 */

const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown (pg_terminate_backend)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (server starting up)
  "08000",
  "08003",
  "08006",
  "40001", // serialization_failure
]);

/** True when `e` or one of its causes is a lost connection or another failure worth retrying. */
export function isTransient(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    const o = cur as { code?: unknown; sqlstate?: unknown; message?: unknown };
    if (typeof o.sqlstate === "string" && TRANSIENT_CODES.has(o.sqlstate)) return true;
    if (typeof o.code === "string" && TRANSIENT_CODES.has(o.code)) return true;
    if (
      typeof o.message === "string" &&
      /COPY stream closed before its end|terminating connection/i.test(o.message)
    ) {
      return true;
    }
  }
  return false;
}

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  /** First backoff; doubled each time, capped at 8 s. */
  delayMs: number;
  signal?: AbortSignal;
  onRetry?: (attempt: number, error: Error) => void;
}

/** Runs `fn`, again after a transient failure, at most `retries` more times. */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= options.retries || options.signal?.aborted || !isTransient(e)) throw e;
      options.onRetry?.(attempt + 1, e as Error);
      const wait = Math.min(options.delayMs * 2 ** attempt, 8000);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
