/**
 * A TCP socket for postgres.js (its `socket` option) whose incoming bytes can be routed through a tap
 * while a `COPY … TO STDOUT` runs (see copy_out.ts). Without a tap it is an ordinary `net.Socket`.
 *
 * @module
 */
import net from "node:net";
import { Buffer } from "node:buffer";

/** What postgres.js passes to its `socket` option: its parsed connection options. */
export interface SocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
  ssl?: unknown;
  connect_timeout?: number;
}

/** A `net.Socket` whose `data` events go to {@link TapSocket.tap} while one is set. */
export class TapSocket extends net.Socket {
  /** Receives the socket's bytes instead of its `data` listeners; `null` for normal delivery. */
  tap: ((chunk: Uint8Array) => void) | null = null;
  /** False when the connection may be wrapped in TLS or spread over several hosts: never tap it. */
  tappable = false;

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === "data" && this.tap !== null) {
      const b = args[0] as Uint8Array;
      this.tap(new Uint8Array(b.buffer, b.byteOffset, b.length));
      return true;
    }
    return super.emit(event, ...args);
  }

  /** Hands bytes to the `data` listeners (postgres.js) as if they had just arrived. */
  deliver(bytes: Uint8Array): void {
    super.emit("data", Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }
}

/**
 * A postgres.js `socket` option that connects a {@link TapSocket} and hands it to `onSocket`. It fails
 * like postgres.js's own sockets do: with the system error (`ECONNREFUSED`, …) or `CONNECT_TIMEOUT`.
 */
export function tapSocketFactory(
  onSocket: (socket: TapSocket) => void,
): (o: SocketOptions) => Promise<TapSocket> {
  return async (o) => {
    const socket = new TapSocket();
    socket.tappable = !o.ssl && o.host.length <= 1;
    const host = o.host[0], port = o.port[0];
    Object.assign(socket, { host, port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        const e = new Error(`write CONNECT_TIMEOUT ${o.path || `${host}:${port}`}`);
        reject(Object.assign(e, { code: "CONNECT_TIMEOUT" }));
      }, (o.connect_timeout ?? 30) * 1000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      socket.once("error", fail);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.off("error", fail);
        resolve();
      });
      if (o.path) socket.connect(o.path);
      else socket.connect(port, host);
    });
    onSocket(socket);
    return socket;
  };
}
