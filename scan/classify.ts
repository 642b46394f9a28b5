/**
 * Classifies one column from its name, type and sampled content, with the tables of heuristics.ts. The
 * result is a kind (or none), a confidence, the rule to write and the evidence for it: counts, detector
 * names and the matched part of the column name, never a sampled value.
 *
 * @module
 */
import type { ColumnInfo, StrategySpec } from "../strategies/types.ts";
import type { Entity } from "../strategies/text/entities.ts";
import type { EntityCounts } from "./entity_counts.ts";
import {
  CODE_DISCOUNTED,
  CODE_NAMES,
  ENTITY_KINDS,
  type Kind,
  KIND_RULES,
  MAGIC,
  POSTS_PARAMS,
  THRESHOLDS,
} from "./heuristics.ts";
import { countUserPosts, holdsUserPosts, userPostEvidence } from "./user_posts.ts";
import { arrayFinding, jsonFinding } from "./_nested.ts";
import {
  type Confidence,
  type Finding,
  freeTextEvidence,
  type NameEvidence,
  nameEvidence,
  sampleCounts,
  share,
  spread,
} from "./_evidence.ts";

export type { Confidence, Finding } from "./_evidence.ts";

const KEEP: StrategySpec = { strategy: "keep" };

function kindRule(kind: Kind): StrategySpec {
  const r = KIND_RULES[kind];
  return { strategy: r.strategy, ...(r.params ?? {}) };
}

/**
 * Classifies `column` from its sampled, non-NULL values (`null` when its content was not read, e.g. a
 * number column or a table whose read timed out).
 */
export function classifyColumn(column: ColumnInfo, values: readonly string[] | null): Finding {
  if (column.generated) {
    return {
      kind: null,
      confidence: "high",
      evidence: ["generated column: the target computes it"],
      rule: KEEP,
    };
  }
  const family = column.family === "array" ? column.elementFamily : column.family;
  const name = nameEvidence(column.column, column.family === "array" ? "string" : family, column.table);
  switch (column.family) {
    case "bytea":
      return byteaFinding(name, values);
    case "json":
      return jsonFinding(values ?? [], name);
    case "array":
      return family === "string"
        ? arrayFinding(values ?? [], name)
        : keepType(`${column.type}: not personal`);
    case "network":
      return found("ip", name ? "high" : "medium", [name?.text ?? `type ${column.type} holds IP addresses`]);
    case "string":
      return textFinding(column, name, values);
    default:
      if (name && !name.weak) return found(name.kind, "medium", [name.text]);
      return keepType(`${column.type}: ${column.unique ? "a key, " : ""}not personal`);
  }
}

function found(kind: Kind, confidence: Confidence, evidence: string[], rule = kindRule(kind)): Finding {
  return { kind, confidence, evidence, rule };
}

function keep(...evidence: string[]): Finding {
  return { kind: null, confidence: "medium", evidence, rule: KEEP };
}

function keepType(evidence: string): Finding {
  return { kind: null, confidence: "high", evidence: [evidence], rule: KEEP };
}

const NAME_KINDS: ReadonlySet<Kind> = new Set(["person", "first_name", "last_name", "username"]);

function compatible(byName: Kind, byContent: Kind): boolean {
  return byName === byContent || (NAME_KINDS.has(byName) && byContent === "person");
}

/** The best whole-value entity: the one with the highest share above its threshold. */
function wholeKind(counts: EntityCounts, skip: ReadonlySet<Entity>) {
  let best: { entity: Entity; kind: Kind; count: number; share: number } | null = null;
  for (const [entity, count] of Object.entries(counts.whole) as [Entity, number][]) {
    const kind = ENTITY_KINDS[entity];
    const threshold = THRESHOLDS.whole[entity];
    if (kind === undefined || threshold === undefined || skip.has(entity)) continue;
    const s = count / counts.values;
    if (s >= threshold && (best === null || s > best.share)) best = { entity, kind, count, share: s };
  }
  return best;
}

function textFinding(column: ColumnInfo, name: NameEvidence | null, all: readonly string[] | null): Finding {
  const values = all === null ? [] : spread(all);
  if (values.length < THRESHOLDS.minValues) {
    const note = all === null ? "content not read" : `only ${values.length} non-NULL values sampled`;
    if (name && !name.weak) return found(name.kind, "medium", [name.text, note]);
    return keep(note);
  }
  const counts = sampleCounts(all!);
  const n = counts.values;
  // A code-like name discounts the number detectors, unless the name itself says what the column is.
  const skip = new Set<Entity>(name === null && CODE_NAMES.test(column.column) ? CODE_DISCOUNTED : []);
  const whole = wholeKind(counts, skip);
  const discounted = [...skip].filter((e) => (counts.whole[e] ?? 0) + (counts.within[e] ?? 0) > 0);
  const discountNote = discounted.length === 0 ? [] : [
    `name reads as a code, so ${discounted.join("/")} matches are not counted`,
  ];
  if (whole !== null) {
    const byContent = share(whole.count, n, `are ${KIND_RULES[whole.kind].label}`);
    if (name && compatible(name.kind, whole.kind)) {
      return found(name.kind, "high", [byContent, name.text.replace(/^name/, "name also")]);
    }
    const confidence = whole.share >= THRESHOLDS.high ? "high" : "medium";
    return found(whole.kind, confidence, [
      byContent,
      ...(name ? [`${name.text}, but content disagrees`] : []),
    ]);
  }
  const free = freeTextEvidence(counts, skip);
  if (name && !name.weak) {
    if (name.kind === "free_text") {
      return freeText(all!, free ? "high" : "medium", [
        name.text,
        free ?? share(0, n, "held a detector match; scrubbed for what the detectors miss"),
      ]);
    }
    const entity = kindEntity(name.kind);
    if (entity === null) {
      return found(name.kind, "medium", [name.text, `no detector reads ${KIND_RULES[name.kind].label}`]);
    }
    const support = counts.whole[entity] ?? 0;
    return found(name.kind, support > 0 ? "medium" : "low", [
      name.text,
      share(support, n, `are ${KIND_RULES[entity === "person" ? "person" : name.kind].label} by content`),
    ]);
  }
  if (free) return freeText(all!, "medium", [free, ...discountNote]);
  if (name?.weak) {
    const persons = counts.whole.person ?? 0;
    if (persons / n >= 0.2) {
      return found("person", "medium", [share(persons, n, "are person names"), name.text]);
    }
    return keep(share(persons, n, "are person names"), `${name.text}, but the table is not one of people`);
  }
  return keep(share(counts.anyWithin + sum(counts.whole, skip), n, "matched a detector"), ...discountNote);
}

/**
 * A free-text finding, its rule with {@link POSTS_PARAMS} when the sampled texts (all of them, not only
 * the detectors' spread) make a column of user posts.
 */
function freeText(all: readonly string[], confidence: Confidence, evidence: string[]): Finding {
  const posts = countUserPosts(all);
  const rule = kindRule("free_text");
  return found("free_text", confidence, [...evidence, userPostEvidence(posts)], {
    ...rule,
    ...(holdsUserPosts(posts) ? POSTS_PARAMS : {}),
  });
}

/** The detector that reads values of `kind`, if one does. */
function kindEntity(kind: Kind): Entity | null {
  if (NAME_KINDS.has(kind)) return "person";
  const e = (Object.entries(ENTITY_KINDS) as [Entity, Kind][]).find(([, k]) => k === kind);
  return e ? e[0] : null;
}

function sum(counts: Partial<Record<Entity, number>>, skip: ReadonlySet<Entity>): number {
  let n = 0;
  for (const [e, c] of Object.entries(counts) as [Entity, number][]) if (!skip.has(e)) n += c;
  return n;
}

function byteaFinding(name: NameEvidence | null, values: readonly string[] | null): Finding {
  const sampled = values ?? [];
  const kinds = new Set<string>();
  let hits = 0;
  for (const hex of sampled) {
    const m = MAGIC.find((m) => hex.startsWith(m.hex));
    if (m) {
      hits++;
      kinds.add(m.what);
    }
  }
  const magic = share(
    hits,
    sampled.length,
    `start with an image or document signature${kinds.size ? ` (${[...kinds].join(", ")})` : ""}`,
  );
  if (sampled.length > 0 && hits / sampled.length >= THRESHOLDS.document) {
    return found("document", name ? "high" : "medium", [magic, ...(name ? [name.text] : [])]);
  }
  if (name) return found(name.kind, sampled.length === 0 ? "medium" : "low", [name.text, magic]);
  return keep(sampled.length === 0 ? "bytea, no values sampled" : magic);
}
