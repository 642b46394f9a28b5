/**
 * The private directory of a plugin sandbox (its working directory, home and Deno cache), and the sweep
 * that deletes the directories of hosts that died without deleting them (a host killed with SIGKILL
 * cannot).
 *
 * Whether a directory's host is alive is read from a lock, not from its pid: the host holds an exclusive
 * advisory lock on a file inside for as long as it lives, and the kernel drops it when the host dies,
 * however it dies. A pid would say "dead" for a live host that this process cannot see (another PID
 * namespace sharing the temporary directory, a /proc mounted with hidepid), and deleting a live
 * sandbox's working directory makes its `Deno.cwd()` throw while masking.
 *
 * @module
 */
import { join } from "node:path";

/** Every sandbox directory's name starts with this, then its host's pid and `_`. */
export const DIR_PREFIX = "privaci_sandbox_";

/** The file whose lock says the host is alive. */
const LOCK_FILE = ".host.lock";

/** A directory without a lock file is a host's that died between creating it and locking it, if this old. */
const UNLOCKED_AGE_MS = 10 * 60 * 1000;

/** A new private directory in the temporary directory, locked for as long as this process lives. */
export interface SandboxDirectory {
  path: string;
  /** Deletes the directory, then releases its lock. */
  remove(): Promise<void>;
}

/** Creates a sandbox directory and takes its lock. */
export function createSandboxDirectory(): SandboxDirectory {
  const path = Deno.makeTempDirSync({ prefix: `${DIR_PREFIX}${Deno.pid}_` });
  const lock = Deno.openSync(join(path, LOCK_FILE), { write: true, createNew: true });
  lock.lockSync(true);
  return {
    path,
    async remove() {
      try {
        await Deno.remove(path, { recursive: true });
      } finally {
        lock.close();
      }
    },
  };
}

/**
 * Deletes the sandbox directories in `tmp` that no live host holds: their lock can be taken, or (without
 * a lock file) their host's pid is gone and the directory is old. Linux only (it asks `/proc`); a
 * directory this process created, or that cannot be deleted, is left alone.
 *
 * @returns the names of the directories deleted.
 */
export function sweepStaleDirectories(tmp: string): string[] {
  const removed: string[] = [];
  if (Deno.build.os !== "linux") return removed;
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(tmp)];
  } catch {
    return removed; // The temporary directory cannot be listed: nothing to sweep.
  }
  for (const entry of entries) {
    const pid = new RegExp(`^${DIR_PREFIX}(\\d+)_`).exec(entry.name)?.[1];
    if (!entry.isDirectory || pid === undefined || Number(pid) === Deno.pid) continue;
    const dir = join(tmp, entry.name);
    if (!abandoned(dir, Number(pid))) continue;
    try {
      Deno.removeSync(dir, { recursive: true });
      removed.push(entry.name);
    } catch {
      // Not ours, or gone already.
    }
  }
  return removed;
}

/** True when no live host holds `dir`. */
function abandoned(dir: string, pid: number): boolean {
  let lock: Deno.FsFile;
  try {
    lock = Deno.openSync(join(dir, LOCK_FILE), { read: true });
  } catch {
    return !alive(pid) && age(dir) > UNLOCKED_AGE_MS;
  }
  try {
    // Taken only when its host is gone; released at once by closing.
    return lock.tryLockSync(true);
  } catch {
    return false;
  } finally {
    lock.close();
  }
}

function alive(pid: number): boolean {
  try {
    return Deno.statSync(`/proc/${pid}/stat`).isFile;
  } catch {
    return false;
  }
}

function age(dir: string): number {
  try {
    return Date.now() - (Deno.statSync(dir).mtime?.getTime() ?? Date.now());
  } catch {
    return 0;
  }
}
