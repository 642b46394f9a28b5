/**
 * Profiles one `privaci run` with `deno run --cpu-prof` and summarises where its main thread spent its
 * time (the profile of worker threads, if any, is left out).
 *
 * @module
 */
import { timePrivaci } from "./_measure.ts";
import { ROOT } from "./_measure.ts";
import { type CpuProfile, type ProfileSummary, summarizeProfile } from "./_profile.ts";

/** Options of {@link profileRun}. */
export interface ProfileRunOptions {
  policy: string;
  /** A scratch folder. */
  work: string;
  env: Record<string, string>;
  jobs: number;
}

/** A profiled run: its wall time and the summary of its main thread's profile. */
export interface ProfiledRun extends ProfileSummary {
  wallMs: number;
}

/** Runs privaci once under the V8 CPU profiler and summarises the largest profile written. */
export async function profileRun(options: ProfileRunOptions): Promise<ProfiledRun> {
  const dir = await Deno.makeTempDir({ dir: options.work, prefix: "prof_" });
  const t = await timePrivaci({
    policy: options.policy,
    report: `${dir}/report.json`,
    env: options.env,
    jobs: options.jobs,
    denoFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  let biggest: { path: string; size: number } | null = null;
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".cpuprofile")) continue;
    const size = (await Deno.stat(`${dir}/${e.name}`)).size;
    if (biggest === null || size > biggest.size) biggest = { path: `${dir}/${e.name}`, size };
  }
  if (biggest === null) throw new Error("Cannot summarise the profile: deno wrote no .cpuprofile");
  const profile = JSON.parse(await Deno.readTextFile(biggest.path)) as CpuProfile;
  return { wallMs: t.total, ...summarizeProfile(profile, { top: 15, root: ROOT }) };
}

/** A few lines on where a profiled run spent its time. */
export function formatProfile(scenario: string, p: ProfiledRun, top = 8): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  const busy = p.sampledMs - p.idleMs;
  return [
    `\nprofile of ${scenario} → cheap: ${(p.wallMs / 1000).toFixed(2)} s wall, ${
      (busy / 1000).toFixed(2)
    } s busy on the main thread, ${(p.idleMs / 1000).toFixed(2)} s idle`,
    "  self time by function:",
    ...p.functions.slice(0, top).flatMap((f) => [
      `    ${pct(f.share)}  ${f.name}`,
      ...(f.callers ?? []).filter((c) => c.share >= 0.1).map((c) =>
        `              ${(c.share * 100).toFixed(0).padStart(3)}% via ${c.via}`
      ),
    ]),
    "  inclusive time by file:",
    ...p.inclusiveFiles.slice(0, top).map((f) => `    ${pct(f.share)}  ${f.name}`),
  ].join("\n");
}
