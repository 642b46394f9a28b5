/**
 * Shape checks for the policy's `source` and `target` URLs. Problems name the part that is wrong and
 * never echo the URL, its user or its password (`pg/connect.ts`'s `redactUrl` masks one for display).
 *
 * @module
 */

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * What is wrong with a PostgreSQL URL, or `undefined` when it is a usable `postgres://` or
 * `postgresql://` URL with a host (in the authority or as a `host=` parameter).
 *
 * @param url The URL as written in the policy or the environment.
 */
export function pgUrlProblem(url: string): string | undefined {
  const scheme = SCHEME.exec(url)?.[1];
  if (scheme === undefined) {
    return "must be a postgres:// URL (postgres://user@host:5432/db): this value has no scheme";
  }
  if (scheme !== "postgres" && scheme !== "postgresql") {
    return `must be a postgres:// URL (postgres://user@host:5432/db): the scheme is '${scheme}'`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be a postgres:// URL (postgres://user@host:5432/db): this value cannot be parsed " +
      "(percent-encode special characters in the user and password)";
  }
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) {
    return "must be a postgres:// URL (postgres://user@host:5432/db): the host is missing";
  }
  if (/^\/[^/]*\//.test(parsed.pathname)) {
    return "must be a postgres:// URL (postgres://user@host:5432/db): the database name contains '/'";
  }
  return undefined;
}
