/**
 * The pieces of evidence classify.ts and _nested.ts share: what a column name suggests, the values the
 * detectors read, and the wording of counts.
 *
 * @module
 */
import type { ColumnInfo, StrategySpec } from "../strategies/types.ts";
import type { Entity } from "../strategies/text/entities.ts";
import { countEntities, type EntityCounts } from "./entity_counts.ts";
import {
  ENTITY_KINDS,
  type Kind,
  KIND_RULES,
  NAME_RULES,
  PERSON_TABLES,
  PERSONAL_PREFIXES,
  SCAN_ENTITIES,
  THRESHOLDS,
} from "./heuristics.ts";

/** How sure a finding is. */
export type Confidence = "high" | "medium" | "low";

/** What scan concluded about one column. */
export interface Finding {
  /** The kind of personal data, or `null` for a column to keep. */
  kind: Kind | null;
  confidence: Confidence;
  /** Why, in words built from counts, detector names and the column name. */
  evidence: string[];
  /** The rule to write. */
  rule: StrategySpec;
}

/** A name-based guess. */
export interface NameEvidence {
  kind: Kind;
  text: string;
  /** A weak pattern matched outside a table of people and without a personal prefix. */
  weak: boolean;
}

/** The kind a column name suggests for a column of `family`, with the words of the evidence. */
export function nameEvidence(
  name: string,
  family: ColumnInfo["family"],
  table = "",
): NameEvidence | null {
  const prefix = PERSONAL_PREFIXES.find((p) => name.toLowerCase().startsWith(p) && name.length > p.length);
  const rest = prefix ? name.slice(prefix.length) : name;
  for (const rule of NAME_RULES) {
    if (!rule.families.includes(family)) continue;
    const m = rule.pattern.exec(rest);
    if (m === null) continue;
    const matched = m[0].replace(/^_+|_+$/g, "") || rest;
    const text = prefix
      ? `name matches '${matched}' after the personal prefix '${prefix}'`
      : `name matches '${matched}'`;
    const weak = rule.weak === true && !prefix && !PERSON_TABLES.test(table);
    return { kind: rule.kind, text, weak };
  }
  return null;
}

/** Evenly spread values, at most {@link THRESHOLDS.detectValues} of them. */
export function spread<T>(values: readonly T[], max: number = THRESHOLDS.detectValues): T[] {
  if (values.length <= max) return values.slice();
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(values[Math.floor((i * values.length) / max)]);
  return out;
}

/** `n/m sampled values are …`. */
export function share(count: number, of: number, what: string): string {
  return `${count}/${of} sampled values ${what}`;
}

/** Free-text evidence: values holding entities inside longer text. */
export function freeTextEvidence(counts: EntityCounts, skip: ReadonlySet<Entity> = new Set()): string | null {
  const entities = (Object.keys(counts.within) as Entity[]).filter((e) => !skip.has(e));
  const holding = entities.length === 0 ? 0 : counts.anyWithin;
  if (holding / counts.values < THRESHOLDS.freeText || counts.words < THRESHOLDS.freeTextWords) return null;
  const labels = entities.map((e) => KIND_RULES[ENTITY_KINDS[e]!].label).join(", ");
  return share(holding, counts.values, `are text holding ${labels}`);
}

/**
 * Detector counts over an even spread of `all`: first over {@link THRESHOLDS.firstLook} values, and over
 * all {@link THRESHOLDS.detectValues} only when those leave the column open.
 */
export function sampleCounts(all: readonly string[]): EntityCounts {
  const values = spread(all);
  if (values.length > THRESHOLDS.firstLook) {
    const first = countEntities(spread(values, THRESHOLDS.firstLook), SCAN_ENTITIES);
    const top = Math.max(0, ...Object.values(first.whole)) / first.values;
    const nothing = top === 0 && first.anyWithin === 0 && first.words < THRESHOLDS.freeTextWords;
    if (top >= THRESHOLDS.high || nothing) return first;
  }
  return countEntities(values, SCAN_ENTITIES);
}
