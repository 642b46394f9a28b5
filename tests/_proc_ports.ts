/**
 * Which process a PostgreSQL backend serves: the TCP ports a local process holds, read from /proc (Linux),
 * to match against `pg_stat_activity.client_port`. Used to kill the one process whose COPY is in flight.
 *
 * @module
 */

/** The local TCP ports of the sockets process `pid` holds open; empty once it has exited. */
export function tcpPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const e of Deno.readDirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(Deno.readLinkSync(`/proc/${pid}/fd/${e.name}`));
        if (m) inodes.add(m[1]);
      } catch { /* closed meanwhile */ }
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = Deno.readTextFileSync(file);
    } catch { /* no IPv6 */ }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9])) ports.add(parseInt(f[1].split(":")[1], 16));
    }
  }
  return ports;
}
