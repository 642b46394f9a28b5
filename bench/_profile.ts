/**
 * Reads a V8 `.cpuprofile` (as `deno run --cpu-prof` writes it) into the figures a hot-spot report
 * needs: self time per function and per file, as shares of the sampled time.
 *
 * @module
 */

/** The parts of a V8 CPU profile the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or file. */
export interface HotSpot {
  /** `function (file:line)` or a file. */
  name: string;
  ms: number;
  /** Share of the busy (non-idle) sampled time, 0..1. */
  share: number;
  /**
   * Functions only: where the time comes from, as `parent ← nearest repository frame` (the first
   * caller outside the runtime and npm packages), with its share of this function's time, largest first.
   */
  callers?: { via: string; share: number }[];
}

/** A profile in figures. */
export interface ProfileSummary {
  /** Sampled time, idle included. */
  sampledMs: number;
  /** Sampled time spent idle (waiting on I/O). */
  idleMs: number;
  /** Top functions by self time. */
  functions: HotSpot[];
  /** Files (or `(gc)`, `(program)`, `node:…`, `npm:package`) by self time. */
  files: HotSpot[];
  /** Self time under each file, counting every function it calls (inclusive). */
  inclusiveFiles: HotSpot[];
}

/**
 * Summarises a CPU profile.
 *
 * @param profile the parsed `.cpuprofile`.
 * @param options `top`: how many rows to keep per list; `root`: path prefix to strip from file names.
 */
export function summarizeProfile(
  profile: CpuProfile,
  options: { top: number; root: string },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const count = Math.min(profile.samples.length, profile.timeDeltas.length);
  for (let i = 0; i < count; i++) {
    // timeDeltas[i] is the time before sample i; charge it to the sample after it (V8's convention).
    const dt = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  let sampled = 0;
  let idle = 0;
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    sampled += us;
    if (node.callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    const file = fileOf(node.callFrame, options.root);
    const fn = `${node.callFrame.functionName || "(anonymous)"} (${file}:${node.callFrame.lineNumber + 1})`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const via = `${frameName(byId.get(parent.get(id)!)?.callFrame, options.root)} ← ${
      frameName(repoFrame(id, byId, parent, options.root), options.root)
    }`;
    const fnCallers = callers.get(fn) ?? new Map<string, number>();
    fnCallers.set(via, (fnCallers.get(via) ?? 0) + us);
    callers.set(fn, fnCallers);
    files.set(file, (files.get(file) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 10_000; depth++) {
      const f = fileOf(byId.get(at)!.callFrame, options.root);
      if (!seen.has(f)) {
        seen.add(f);
        inclusive.set(f, (inclusive.get(f) ?? 0) + us);
      }
      at = parent.get(at);
    }
  }
  const busy = sampled - idle;
  const rank = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, options.top).map((
      [name, us],
    ) => ({
      name,
      ms: us / 1000,
      share: busy > 0 ? us / busy : 0,
    }));
  const functions = rank(fns).map((f) => {
    const total = fns.get(f.name)!;
    const top = [...callers.get(f.name)!].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return { ...f, callers: top.map(([via, us]) => ({ via, share: us / total })) };
  });
  return {
    sampledMs: sampled / 1000,
    idleMs: idle / 1000,
    functions,
    files: rank(files),
    inclusiveFiles: rank(inclusive).filter((f) => !f.name.startsWith("(")),
  };
}

type Frame = CpuProfile["nodes"][number]["callFrame"];

function frameName(frame: Frame | undefined, root: string): string {
  if (frame === undefined) return "(none)";
  return `${frame.functionName || "(anonymous)"} (${fileOf(frame, root)}:${frame.lineNumber + 1})`;
}

/** The nearest ancestor of node `id` whose code is in the repository (not the runtime, not npm). */
function repoFrame(
  id: number,
  byId: Map<number, CpuProfile["nodes"][number]>,
  parent: Map<number, number>,
  root: string,
): Frame | undefined {
  for (let at = parent.get(id), depth = 0; at !== undefined && depth < 10_000; at = parent.get(at), depth++) {
    const frame = byId.get(at)!.callFrame;
    const file = fileOf(frame, root);
    if (
      !file.startsWith("(") && !file.startsWith("ext:") && !file.startsWith("npm:") &&
      !file.startsWith("node:")
    ) {
      return frame;
    }
  }
  return undefined;
}

/** A short name for where a frame's code lives. */
export function fileOf(frame: { functionName: string; url: string }, root: string): string {
  const url = frame.url;
  if (url === "") return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  const npm = url.match(/node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//);
  if (npm) return `npm:${npm[1]}`;
  const path = url.startsWith("file://") ? decodeURIComponent(url.slice(7)) : url;
  return path.startsWith(root) ? path.slice(root.length) : path;
}
