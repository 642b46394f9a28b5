import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandboxDirectory, DIR_PREFIX, sweepStaleDirectories } from "./_sandbox_dir.ts";

/** A pid no process has here (above the usual pid_max, and checked). */
function deadPid(): number {
  for (let pid = 4_194_000; pid > 1; pid--) {
    try {
      Deno.statSync(`/proc/${pid}`);
    } catch {
      return pid;
    }
  }
  throw new Error("no free pid");
}

/** A sandbox-like directory in `tmp` for host `pid`, its lock file held (by a separate open) or not. */
function hostDir(tmp: string, pid: number, name: string, lock: "held" | "released" | "none") {
  const dir = join(tmp, `${DIR_PREFIX}${pid}_${name}`);
  Deno.mkdirSync(dir);
  Deno.writeTextFileSync(join(dir, "shim.js"), "");
  if (lock === "none") return { dir, close() {} };
  const file = Deno.openSync(join(dir, ".host.lock"), { write: true, create: true });
  let open = lock === "held";
  if (open) file.lockSync(true);
  else file.close();
  return {
    dir,
    close() {
      if (open) file.close();
      open = false;
    },
  };
}

Deno.test({
  name:
    "sweepStaleDirectories() deletes what no live host holds, and never a held directory whose pid it cannot see",
  ignore: Deno.build.os !== "linux",
  fn() {
    const tmp = Deno.makeTempDirSync({ prefix: "privaci_sweep_" });
    const dead = deadPid();
    const held = hostDir(tmp, dead, "held", "held"); // a live host in another PID namespace
    const released = hostDir(tmp, dead, "released", "released"); // a host killed with SIGKILL
    const fresh = hostDir(tmp, dead, "fresh", "none"); // a host between creating and locking, or gone
    const old = hostDir(tmp, dead, "old", "none");
    const hourAgo = new Date(Date.now() - 3_600_000);
    Deno.utimeSync(old.dir, hourAgo, hourAgo);
    const own = hostDir(tmp, Deno.pid, "own", "released");
    try {
      const removed = sweepStaleDirectories(tmp);
      assert.deepEqual(removed.sort(), [`${DIR_PREFIX}${dead}_old`, `${DIR_PREFIX}${dead}_released`]);
      const left = [...Deno.readDirSync(tmp)].map((e) => e.name).sort();
      assert.deepEqual(
        left,
        [`${DIR_PREFIX}${Deno.pid}_own`, `${DIR_PREFIX}${dead}_fresh`, `${DIR_PREFIX}${dead}_held`].sort(),
      );
      // Once its host lets go, the held one goes too.
      held.close();
      assert.deepEqual(sweepStaleDirectories(tmp), [`${DIR_PREFIX}${dead}_held`]);
    } finally {
      for (const d of [held, released, fresh, old, own]) d.close();
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});

Deno.test("createSandboxDirectory() holds its lock until remove(), which deletes the directory", async () => {
  const d = createSandboxDirectory();
  try {
    const other = Deno.openSync(join(d.path, ".host.lock"), { read: true });
    try {
      assert.equal(other.tryLockSync(true), false);
    } finally {
      other.close();
    }
  } finally {
    await d.remove();
  }
  assert.equal(await Deno.stat(d.path).then(() => true, () => false), false);
});
