/**
 * `deno run -A bench/verify.ts [--scale S] [--sample N] [--out FILE]`: only the verification part of the
 * bench, for a machine too busy for the whole of it. Seeds the bench source at scale S (default 0.1),
 * copies it into a realistic target under the Level 1 and the text.scrub policies in turn, and after each
 * run times `privaci verify` on the copy (wall time, peak RSS, time per check, residual words/s per core)
 * beside the run's own time. Every database it makes is dropped at the end. See bench/README.md.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { builtinStrategies } from "../strategies/builtins.ts";
import { dropDb, scalar, sourceAndTarget, tableFacts, ticketWords } from "./_db.ts";
import { timePrivaci } from "./_measure.ts";
import { policyFile, resolveLevel1 } from "./_policies.ts";
import { formatVerify, timeVerify, type VerifyTiming } from "./_verify.ts";

/** A fixed key for the bench's keyed strategies: it protects nothing, the data is synthetic. */
const BENCH_KEY = "hex:" + "5a".repeat(32);

const { values: args } = parseArgs({
  args: Deno.args,
  options: { scale: { type: "string", default: "0.1" }, sample: { type: "string" }, out: { type: "string" } },
});
const scale = Number(args.scale);
if (!(scale > 0 && scale <= 10)) throw new RangeError(`Cannot run as --scale is out of range: ${args.scale}`);
const sample = args.sample ? Number(args.sample) : undefined;
const log = (s: string) => console.error(s);
const loadavg = async () => (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).map(Number);

const dbs: string[] = [];
const work = await Deno.makeTempDir({ prefix: "privaci_bench_verify_" });
try {
  const loadBefore = await loadavg();
  const { sourceUrl, targetUrl } = await sourceAndTarget(scale, dbs, log);
  const notNull = new Set(
    (await scalar(
      sourceUrl,
      "select string_agg(attname, ',') from pg_attribute where attrelid = 'customers'::regclass and attnotnull and attnum > 0",
    )).split(","),
  );
  const level1 = await resolveLevel1(builtinStrategies(), notNull);
  await Deno.writeTextFile(`${work}/level1.yaml`, level1.text);
  const env = {
    BENCH_SOURCE_URL: sourceUrl,
    BENCH_TARGET_URL: targetUrl,
    BENCH_KEY,
    PRIVACI_SOURCE_URL: "",
    PRIVACI_TARGET_URL: "",
  };
  const rows: VerifyTiming[] = [];
  for (
    const [scenario, policy] of [["level1", `${work}/level1.yaml`], [
      "text_scrub",
      policyFile("text_scrub.yaml"),
    ]]
  ) {
    await scalar(targetUrl, "truncate customers, orders, support_tickets cascade; select 1");
    log(`${scenario}: running …`);
    const ran = await timePrivaci({ policy, report: `${work}/report.json`, env, jobs: 1 });
    log(`${scenario}: verifying …`);
    rows.push(
      await timeVerify({
        scenario,
        target: "realistic",
        policy,
        env,
        runMs: ran.total,
        ...(sample ? { sample } : {}),
      }),
    );
    log(formatVerify(rows.slice(-1)));
  }
  const result = {
    command: `deno run -A bench/verify.ts ${Deno.args.join(" ")}`.trim(),
    date: new Date().toISOString(),
    scale,
    cores: navigator.hardwareConcurrency,
    loadAverage: { before: loadBefore, after: await loadavg() },
    tables: await tableFacts(sourceUrl),
    ticketWords: await ticketWords(sourceUrl),
    verify: rows,
  };
  if (args.out) await Deno.writeTextFile(args.out, JSON.stringify(result, null, 2) + "\n");
  console.log(formatVerify(rows));
  console.log(`load average before ${loadBefore.join(" ")}, after ${result.loadAverage.after.join(" ")}`);
} finally {
  for (const db of dbs) await dropDb(db).catch((e) => log(`warning: ${(e as Error).message}`));
  await Deno.remove(work, { recursive: true });
}
