/**
 * The CI files the project ships (its own publishing workflow and the recipes for users) parse as YAML
 * and have the keys their CI requires, so a typo is caught here rather than on the first tag or the first
 * user's pipeline.
 */
import assert from "node:assert/strict";
import { parseDocument } from "yaml";

const ROOT = new URL("../", import.meta.url);

type YamlMap = Record<string, unknown>;

function isMap(v: unknown): v is YamlMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The file as YAML 1.2 (so `on` stays a key), failing on any error or warning, duplicate keys included. */
async function readYaml(path: string): Promise<YamlMap> {
  const doc = parseDocument(await Deno.readTextFile(new URL(path, ROOT)), { uniqueKeys: true });
  assert.deepEqual([...doc.errors, ...doc.warnings].map((e) => e.message), [], path);
  const value = doc.toJS();
  assert.ok(isMap(value), `${path}: the document is a mapping`);
  return value;
}

/** Problems with a GitHub Actions workflow: `on`, and jobs each with `runs-on` and steps that use or run. */
export function actionsProblems(workflow: YamlMap): string[] {
  const problems: string[] = [];
  if (!("on" in workflow)) problems.push("no 'on' trigger");
  if (!isMap(workflow.jobs) || Object.keys(workflow.jobs).length === 0) return [...problems, "no jobs"];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (!isMap(job)) {
      problems.push(`job ${name} is not a mapping`);
      continue;
    }
    if (typeof job["runs-on"] !== "string" && !Array.isArray(job["runs-on"])) {
      problems.push(`job ${name}: no runs-on`);
    }
    if (!Array.isArray(job.steps) || job.steps.length === 0) {
      problems.push(`job ${name}: no steps`);
      continue;
    }
    for (const [i, step] of job.steps.entries()) {
      const kinds = isMap(step) ? ["uses", "run"].filter((k) => k in step) : [];
      if (kinds.length !== 1) problems.push(`job ${name}, step ${i + 1}: needs exactly one of uses and run`);
    }
  }
  return problems;
}

const GITLAB_KEYWORDS = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
]);

/** Problems with a GitLab CI file: every job has a script (its own or through `extends`) and a known stage. */
export function gitlabProblems(config: YamlMap): string[] {
  const problems: string[] = [];
  const stages = Array.isArray(config.stages) ? config.stages : ["build", "test", "deploy"];
  const script = (name: string, seen = new Set<string>()): boolean => {
    const job = config[name];
    if (!isMap(job) || seen.has(name)) return false;
    seen.add(name);
    if (Array.isArray(job.script) ? job.script.length > 0 : typeof job.script === "string") return true;
    const parents = typeof job.extends === "string"
      ? [job.extends]
      : Array.isArray(job.extends)
      ? job.extends
      : [];
    return parents.some((p) => script(String(p), seen));
  };
  for (const [name, job] of Object.entries(config)) {
    if (GITLAB_KEYWORDS.has(name) || name.startsWith(".")) continue;
    if (!isMap(job)) {
      problems.push(`job ${name} is not a mapping`);
      continue;
    }
    if (!script(name)) problems.push(`job ${name}: no script`);
    if (job.stage !== undefined && !stages.includes(job.stage)) {
      problems.push(`job ${name}: unknown stage ${job.stage}`);
    }
  }
  return problems;
}

Deno.test("the publish workflow runs deno publish on a version tag with an OIDC token", async () => {
  const workflow = await readYaml(".github/workflows/publish.yml");
  assert.deepEqual(actionsProblems(workflow), []);
  assert.deepEqual(workflow.on, { push: { tags: ["v*"] } });
  const job = (workflow.jobs as YamlMap).publish as YamlMap;
  assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
  const runs = (job.steps as YamlMap[]).map((s) => String(s.run ?? ""));
  assert.equal(runs.at(-1), "deno publish");
});

Deno.test("the GitHub Actions recipe gates on check, then runs and verifies", async () => {
  const workflow = await readYaml("examples/ci/github-actions.yml");
  assert.deepEqual(actionsProblems(workflow), []);
  const runs = Object.values(workflow.jobs as YamlMap).flatMap((j) =>
    ((j as YamlMap).steps as YamlMap[]).map((s) => s.run)
  );
  for (const command of ["check", "run", "verify"]) {
    assert.ok(
      runs.some((r) => typeof r === "string" && r.includes(`"$PRIVACI" ${command} -c privaci.yaml`)),
      command,
    );
  }
});

Deno.test("the GitHub Actions shard recipe runs one shard per matrix entry, then verifies once", async () => {
  const workflow = await readYaml("examples/ci/github-actions-shards.yml");
  assert.deepEqual(actionsProblems(workflow), []);
  const jobs = workflow.jobs as YamlMap;
  const copy = jobs.copy as YamlMap;
  const strategy = copy.strategy as YamlMap;
  assert.equal(strategy["fail-fast"], false, "a failed shard must not cancel the others");
  const shards = (strategy.matrix as YamlMap).shard as unknown[];
  assert.deepEqual(shards, shards.map((_, i) => i), "shards 0 … N-1");
  const run = (copy.steps as YamlMap[]).map((s) => String(s.run ?? "")).find((r) => r.includes(" run -c "));
  assert.ok(run, "a run step");
  assert.ok(run.includes(`--shard \${{ matrix.shard }}/${shards.length}`), run);
  assert.match(
    run,
    /--run-key "[^"]*\$\{\{ github\.run_id \}\}"/,
    "one key per workflow run, kept by re-runs",
  );
  assert.doesNotMatch(run, /run_attempt/, "a re-run must join the same run");
  const verify = jobs.verify as YamlMap;
  assert.equal(verify.needs, "copy");
  assert.ok(
    (verify.steps as YamlMap[]).some((s) =>
      String(s.run ?? "").includes(`"$PRIVACI" verify -c privaci.yaml`)
    ),
  );
});

Deno.test("the Kubernetes recipe is an Indexed Job whose pods share the Job's uid as run key", async () => {
  const job = await readYaml("examples/kubernetes/privaci-shards-job.yaml");
  assert.equal(job.apiVersion, "batch/v1");
  assert.equal(job.kind, "Job");
  const spec = job.spec as YamlMap;
  assert.equal(spec.completionMode, "Indexed");
  assert.equal(spec.parallelism, spec.completions);
  const pod = (spec.template as YamlMap).spec as YamlMap;
  assert.equal(pod.restartPolicy, "Never", "backoffLimitPerIndex needs restartPolicy Never");
  const [container] = pod.containers as YamlMap[];
  const env = new Map((container.env as YamlMap[]).map((e) => [e.name, e]));
  assert.equal(env.get("JOB_COMPLETION_COUNT")?.value, String(spec.completions));
  assert.deepEqual(env.get("PRIVACI_RUN_KEY")?.valueFrom, {
    fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" },
  });
  for (const name of ["PRIVACI_SOURCE_URL", "PRIVACI_TARGET_URL", "PRIVACI_KEY"]) {
    assert.ok(
      isMap((env.get(name)?.valueFrom as YamlMap | undefined)?.secretKeyRef),
      `${name} from a secret`,
    );
  }
  const args = (container.args as string[]).join(" ");
  assert.match(args, /^run -A jsr:@privaci\/cli@[0-9.]+ run -c \S+privaci\.yaml/);
  assert.doesNotMatch(args, /--shard/, "the shard comes from JOB_COMPLETION_INDEX");
});

Deno.test("the GitLab CI recipe gates on check, then runs and verifies", async () => {
  const config = await readYaml("examples/ci/gitlab-ci.yml");
  assert.deepEqual(gitlabProblems(config), []);
  const scripts = Object.values(config).flatMap((j) => isMap(j) && Array.isArray(j.script) ? j.script : []);
  for (const command of ["check", "run", "verify"]) {
    assert.ok(scripts.some((s) => String(s).includes(`"$PRIVACI" ${command} -c privaci.yaml`)), command);
  }
});

Deno.test("actionsProblems() and gitlabProblems() report what their CI would refuse", () => {
  assert.deepEqual(actionsProblems({ jobs: { a: { steps: [{ run: "x", uses: "y" }, {}] } } }), [
    "no 'on' trigger",
    "job a: no runs-on",
    "job a, step 1: needs exactly one of uses and run",
    "job a, step 2: needs exactly one of uses and run",
  ]);
  assert.deepEqual(actionsProblems({ on: "push", jobs: {} }), ["no jobs"]);
  assert.deepEqual(
    gitlabProblems({
      stages: ["check"],
      ".base": { script: ["x"] },
      a: { extends: ".base", stage: "copy" },
      b: {},
    }),
    ["job a: unknown stage copy", "job b: no script"],
  );
});
