/**
 * `verify`: audits a masked copy against its source and policy. It opens a {@link RunSession} (the bound
 * rules, one source snapshot, the target), plans the tables as `run` does, then runs the checks in turn: replay,
 * containment, residual personal data, integrity and k-anonymity. Findings carry a risk level; the
 * report holds counts, names and redacted contexts, never a value.
 *
 * @module
 */
import { type Diagnostic, diagnostic } from "../core/diagnostic.ts";
import { redactUrl } from "../pg/connect.ts";
import { introspect } from "../pg/introspect.ts";
import { ruleName } from "../plan/bind.ts";
import { throwIfIssues } from "../plan/maskers.ts";
import { applySubset } from "../plan/prepare.ts";
import { countSubset } from "../subset/plan.ts";
import { planTables, type PolicySource, type TablePlan } from "../plan/plan.ts";
import { RunSession } from "../execute/session.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import { DetectorPool } from "../strategies/text/pool.ts";
import { checkedColumns } from "./columns.ts";
import { containment, containmentFinding, isOrigin } from "./containment.ts";
import { atLeast, type Finding, type Risk, sortFindings, type VerifyReport } from "./findings.ts";
import { integrity } from "./integrity.ts";
import { kAnonymity, kAnonymityFinding } from "./k_anonymity.ts";
import { replay, replayFindings } from "./replay.ts";
import { residual, RESIDUAL_ENTITIES, residualFinding } from "./residual.ts";
import { newDigestKey, setDigestKey } from "./_sql.ts";

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** Strategies the policy may name (default: the built-ins); their `reproduces` decides replay findings. */
  registry?: StrategyRegistry;
  /** Residual scan: read at most this many rows per column instead of all. */
  sample?: number;
  /** Findings at or above this risk make the report not ok (default `medium`). */
  failOn?: Risk;
  /** Detector threads of the residual scan; 0 detects on the calling thread (default: cores, at most 4). */
  workers?: number;
  /** PrivaCI's version, for the report. */
  version?: string;
  /** Called as each phase starts. */
  onPhase?: (phase: string) => void;
}

/** Verifies the policy's target against its source. */
export async function verify(src: PolicySource, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { policy } = src;
  const registry = options.registry ?? builtinStrategies();
  const failOn = options.failOn ?? "medium";
  const startedAt = new Date();
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    options.onPhase?.(name);
    const t = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = Math.round(performance.now() - t) / 1000;
    }
  };

  // The session binds the rules (refusing a bad policy before any connection) and owns the source
  // snapshot and the target connection; verify reserves that connection, as temporary tables live in it.
  await using session = await RunSession.open(src, {
    registry,
    target: true,
    snapshot: true,
    what: "Cannot verify",
  });
  await using stack = new AsyncDisposableStack();
  const target = await session.target.reserve();
  stack.defer(() => target.release());
  let pool: DetectorPool | null = null;
  stack.defer(() => pool?.close());
  {
    const source = session.snapshot.sql;
    const catalog = await introspect(source, policy.schemas);
    const plan = planTables(src, catalog, session.bound);
    // A subset's tables are checked against their part of the subset, as the run copied them.
    const subset = await applySubset(src, source, { catalog, plan, keyring: session.keyring });
    throwIfIssues(
      [...plan.diagnostics, ...subset.diagnostics, ...quasiIdentifierIssues(src, plan.tables)],
      "Cannot verify",
    );
    const targetCatalog = await introspect(target, policy.schemas);
    const key = newDigestKey();
    await setDigestKey(source, key);
    await setDigestKey(target, key);

    const present = plan.tables.filter((t) => targetCatalog.tables.has(t.name));
    const notes = plan.tables.filter((t) => !targetCatalog.tables.has(t.name)).map((t) =>
      `${t.name} is not in the target: not checked`
    );
    const { masked, scanned } = checkedColumns(present);
    for (const t of present) {
      if (t.rows === "copy" && t.info.primaryKey.length === 0) {
        notes.push(`${t.name} has no primary key: rows keeping their own value cannot be counted`);
      }
    }
    const replayed = await phase("replay", () => replay(source, target, masked));
    const contained = await phase(
      "containment",
      () => containment(source, target, masked.filter(isOrigin), scanned),
    );
    const residue = await phase("residual", async () => {
      pool = await DetectorPool.create({
        size: options.workers ?? Math.min(4, navigator.hardwareConcurrency ?? 1),
        entities: RESIDUAL_ENTITIES,
        nlp: true,
        unknownAsPerson: false,
      });
      return await residual(source, target, scanned, {
        pool,
        ...(options.sample ? { sample: options.sample } : {}),
      });
    });
    for (const r of residue.filter((x) => x.codes)) {
      notes.push(
        `${r.table}.${r.column} holds codes only (one word of at most 3 letters or digits): no person names looked for`,
      );
    }
    const checked = await phase(
      "integrity",
      async () =>
        integrity(source, target, present, catalog, targetCatalog, {
          // Every subset table's count from one query: the closure computed once.
          counts: subset.rows ? await countSubset(source, subset.rows) : new Map(),
        }),
    );
    const kAnon = await phase("k-anonymity", async () => {
      const out = [];
      for (const t of present) {
        const rule = policy.tables[t.name];
        if (t.rows === "skip" || !rule?.quasi_identifiers) continue;
        out.push(
          await kAnonymity(target, t, {
            quasiIdentifiers: rule.quasi_identifiers,
            ...(rule.k_min ? { kMin: rule.k_min } : {}),
          }),
        );
      }
      return out;
    });

    const located = (f: Omit<Finding, "policy">): Finding => {
      const path = f.column && policy.tables[f.table]?.columns[f.column] !== undefined
        ? ["tables", f.table, "columns", f.column]
        : ["tables", f.table];
      const at = src.locate(path);
      return at ? { ...f, policy: { file: src.file, ...at } } : { ...f, policy: { file: src.file } };
    };
    const findings = sortFindings(
      [
        ...replayed.flatMap(replayFindings),
        ...contained.map(containmentFinding),
        ...residue.map(residualFinding),
        ...checked.findings,
        ...kAnon.map(kAnonymityFinding),
      ].filter((f): f is Omit<Finding, "policy"> => f !== null).map(located),
    );
    return {
      privaci: options.version ?? "",
      startedAt: startedAt.toISOString(),
      ms: performance.now() - t0,
      source: redactUrl(policy.source),
      target: redactUrl(policy.target),
      ...(options.sample ? { sample: options.sample } : {}),
      ok: !findings.some((f) => atLeast(f.risk, failOn)),
      failOn,
      tables: plan.tables.map((t) => tableSummary(t)),
      findings,
      replay: replayed,
      containment: contained,
      residual: residue,
      integrity: checked.tables,
      kAnonymity: kAnon,
      timings,
      notes,
    };
  }
}

function tableSummary(t: TablePlan): VerifyReport["tables"][number] {
  const masked: Record<string, string> = {};
  for (const c of t.columns) if (c.rule) masked[c.info.column] = ruleName(c.rule);
  return { table: t.name, rows: t.rows, masked, kept: t.columns.length - Object.keys(masked).length };
}

/** Quasi-identifiers the table does not have. */
function quasiIdentifierIssues(src: PolicySource, tables: readonly TablePlan[]): Diagnostic[] {
  const issues: Diagnostic[] = [];
  for (const t of tables) {
    const qi = src.policy.tables[t.name]?.quasi_identifiers ?? [];
    qi.forEach((q, i) => {
      if (t.info.columns.some((c) => c.column === q)) return;
      const path = ["tables", t.name, "quasi_identifiers", i];
      issues.push(
        diagnostic("COLUMN_UNKNOWN", `quasi-identifier '${q}' is not a column of ${t.name}`, {
          file: src.file,
          ...src.locate(path),
          path,
          table: t.name,
          column: q,
        }),
      );
    });
  }
  return issues;
}
