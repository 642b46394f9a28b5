/**
 * Classifies values nested in JSON documents (per path) and in arrays (per element). A path is written
 * with the document's keys only when they are plain identifiers; any other key is matched with `.*`, so no
 * sampled text reaches the draft even through a key.
 *
 * @module
 */
import { type ArrayNode, parseArray } from "../strategies/array.ts";
import type { StrategySpec } from "../strategies/types.ts";
import {
  type Confidence,
  type Finding,
  freeTextEvidence,
  type NameEvidence,
  nameEvidence,
  share,
  spread,
} from "./_evidence.ts";
import { countEntities, type EntityCounts } from "./entity_counts.ts";
import { ENTITY_KINDS, type Kind, KIND_RULES, SCAN_ENTITIES, THRESHOLDS } from "./heuristics.ts";
import type { Entity } from "../strategies/text/entities.ts";

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;
/** Paths kept apart at most; documents with more distinct paths are judged on the first ones seen. */
const MAX_PATHS = 200;

/** The kind of a list of string values, with its evidence, or `null`. */
function valuesKind(
  values: readonly string[],
  name: NameEvidence | null,
): { kind: Kind; confidence: Confidence; evidence: string } | null {
  const counts: EntityCounts = countEntities(spread(values), SCAN_ENTITIES);
  const n = counts.values;
  for (const [entity, count] of Object.entries(counts.whole) as [Entity, number][]) {
    const kind = ENTITY_KINDS[entity];
    if (kind && count / n >= THRESHOLDS.nested) {
      return {
        kind,
        confidence: count / n >= THRESHOLDS.high ? "high" : "medium",
        evidence: share(count, n, `are ${KIND_RULES[kind].label}`),
      };
    }
  }
  const free = freeTextEvidence(counts);
  if (free) return { kind: "free_text", confidence: "medium", evidence: free };
  if (name && !name.weak) return { kind: name.kind, confidence: "low", evidence: name.text };
  return null;
}

function nested(kind: Kind): StrategySpec | string {
  const r = KIND_RULES[kind];
  return r.params ? { strategy: r.strategy, ...r.params } : r.strategy;
}

/** Collects string leaves by path (`$.a.b`, `$.list[*]`, `$.*`), and the paths of number and boolean leaves. */
function collect(node: unknown, path: string, out: Map<string, string[]>, scalars: Set<string>): void {
  if (typeof node === "string") {
    if (!out.has(path) && out.size >= MAX_PATHS) return;
    out.set(path, [...(out.get(path) ?? []), node]);
  } else if (typeof node === "number" || typeof node === "boolean") {
    if (scalars.size < MAX_PATHS) scalars.add(path);
  } else if (Array.isArray(node)) {
    for (const e of node) collect(e, `${path}[*]`, out, scalars);
  } else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      collect(v, PLAIN_KEY.test(k) ? `${path}.${k}` : `${path}.*`, out, scalars);
    }
  }
}

/**
 * A JSON column: a `json` rule with a path for each personal leaf and `keep` for each leaf sampled and
 * judged not personal, or `keep`. Leaves the sample did not show (or showed once) are left to the rule's
 * default `others: error`, so the run names them instead of copying them unread.
 */
export function jsonFinding(values: readonly string[], name: NameEvidence | null): Finding {
  const leaves = new Map<string, string[]>();
  const scalars = new Set<string>();
  let parsed = 0;
  for (const v of spread(values)) {
    try {
      collect(JSON.parse(v), "$", leaves, scalars);
      parsed++;
    } catch {
      // A document cut at the sampled length does not parse; the others still count.
    }
  }
  const paths: Record<string, StrategySpec | string> = {};
  const evidence: string[] = [];
  let confidence: Confidence = "high";
  let first: Kind | null = null;
  const kept: string[] = [...scalars];
  for (const [path, strings] of leaves) {
    if (strings.length < 2) continue;
    const key = /\.([A-Za-z_]\w*)(?:\[\*\])*$/.exec(path)?.[1] ?? "";
    const found = valuesKind(strings, key ? nameEvidence(key, "string") : null);
    if (found === null) {
      kept.push(path);
      continue;
    }
    paths[path] = nested(found.kind);
    evidence.push(`${path}: ${found.evidence}`);
    first ??= found.kind;
    if (found.confidence !== "high") {
      confidence = found.confidence === "low" ? "low" : confidence === "high" ? "medium" : confidence;
    }
  }
  if (first === null) {
    return {
      kind: null,
      confidence: parsed > 0 ? "medium" : "low",
      evidence: [`${parsed} sampled documents, no personal path found${name ? ` (${name.text})` : ""}`],
      rule: { strategy: "keep" },
    };
  }
  for (const path of kept) paths[path] ??= "keep";
  return { kind: first, confidence, evidence, rule: { strategy: "json", paths } };
}

function flatten(node: ArrayNode, out: string[]): void {
  for (const e of node) {
    if (Array.isArray(e)) flatten(e, out);
    else if (e !== null) out.push(e);
  }
}

/** An array of text: an `array` rule with the element's strategy, or `keep`. */
export function arrayFinding(values: readonly string[], name: NameEvidence | null): Finding {
  const elements: string[] = [];
  for (const v of spread(values)) {
    try {
      flatten(parseArray(v).root, elements);
    } catch {
      // An array cut at the sampled length does not parse; the others still count.
    }
  }
  const found = elements.length >= THRESHOLDS.minValues ? valuesKind(elements, name) : null;
  if (found) {
    return {
      kind: found.kind,
      confidence: found.confidence,
      evidence: [`elements: ${found.evidence}`, ...(name && found.evidence !== name.text ? [name.text] : [])],
      rule: { strategy: "array", element: nested(found.kind) },
    };
  }
  if (name && !name.weak) {
    return {
      kind: name.kind,
      confidence: "medium",
      evidence: [name.text],
      rule: { strategy: "array", element: nested(name.kind) },
    };
  }
  return {
    kind: null,
    confidence: "medium",
    evidence: [share(0, elements.length, "elements matched a detector").replace("sampled values", "sampled")],
    rule: { strategy: "keep" },
  };
}
