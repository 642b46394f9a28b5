/**
 * Writes scan's findings as a policy: a complete new draft, or an existing policy with the columns it
 * missed added and its personal-looking `keep` rules flagged. Every rule carries a comment with its kind,
 * confidence and evidence. An existing file keeps its text, comments and `${VAR}`s: it is edited as a
 * YAML document, not re-serialised from the parsed policy.
 *
 * @module
 */
import { Document, isMap, isScalar, parseDocument, type Scalar, YAMLMap } from "yaml";
import type { StrategySpec } from "../strategies/types.ts";
import type { Confidence } from "./classify.ts";
import type { Kind } from "./heuristics.ts";
import type { SampleMethod } from "./sample.ts";

/** How a column stands against the existing policy. */
export type ColumnStatus = "new" | "kept" | "ruled";

/** One column as scan reports it: never a value. */
export interface ScannedColumn {
  column: string;
  type: string;
  kind: Kind | null;
  confidence: Confidence;
  evidence: string[];
  /** The rule scan proposes (for `ruled` columns, the policy's own). */
  rule: StrategySpec;
  /** `new`: not in the policy (or no policy); `kept`: the policy keeps it; `ruled`: the policy masks it. */
  status: ColumnStatus;
  /** The policy keeps it but its content looks personal. */
  flagged: boolean;
  /**
   * Params scan suggests adding to the policy's own rule (`ruled` columns: the column reads as user
   * posts), written as a comment; the rule itself is left as it is.
   */
  suggested?: Record<string, unknown>;
}

/** One table as scan reports it. */
export interface ScannedTable {
  /** `schema.table`. */
  table: string;
  /** Rows sampled. */
  rows: number;
  method: SampleMethod;
  failed?: "timeout" | "error";
  columns: ScannedColumn[];
}

/** The rule of a column as YAML: a strategy name, or a flow mapping when it has params. */
function ruleNode(doc: Document, rule: StrategySpec) {
  const { strategy, ...rest } = rule;
  if (Object.keys(rest).length === 0) return doc.createNode(strategy) as Scalar;
  const node = doc.createNode({ strategy, ...rest }, { flow: true });
  return node;
}

/** The comment beside a rule. */
export function ruleComment(c: ScannedColumn): string {
  const what = c.kind === null ? (c.rule.strategy === "keep" ? "not personal" : "policy rule") : c.kind;
  return ` ${what} (${c.confidence}): ${c.evidence.join("; ")}`;
}

/** The comment above a policy's own rule that scan suggests params for. */
export function suggestComment(c: ScannedColumn): string {
  const add = Object.entries(c.suggested ?? {}).map(([k, v]) => `${k}: ${v}`).join(", ");
  return `${SUGGESTS}${add} to this rule: ${c.evidence.at(-1)}`;
}

const SUGGESTS = " privaci scan suggests adding ";

/** The comment on a `keep` rule whose content looks personal. */
export function flagComment(c: ScannedColumn): string {
  return ` privaci scan: looks personal (${c.kind}, ${c.confidence}): ${c.evidence.join("; ")}; suggested: ${
    JSON.stringify(c.rule)
  }`;
}

function columnsMap(doc: Document, columns: readonly ScannedColumn[]): YAMLMap {
  const map = new YAMLMap();
  for (const c of columns) {
    const value = ruleNode(doc, c.rule);
    value.comment = ruleComment(c);
    map.items.push(doc.createPair(c.column, value));
  }
  return map;
}

/** Options of {@link draftPolicy}. */
export interface DraftOptions {
  schemas: readonly string[];
  /** Words for the header, e.g. where the sample came from (never a URL with a password). */
  about?: string;
}

/** A complete new policy for `tables`. */
export function draftPolicy(tables: readonly ScannedTable[], options: DraftOptions): string {
  const doc = new Document({
    version: 1,
    source: "${PRIVACI_SOURCE_URL}",
    target: "${PRIVACI_TARGET_URL}",
    key: "${PRIVACI_KEY}",
    schema: "existing",
    unlisted: "error",
    schemas: [...options.schemas],
  });
  doc.commentBefore = [
    ` Drafted by privaci scan${options.about ? ` ${options.about}` : ""}.`,
    " Each rule's comment gives the kind, the confidence and the evidence (counts only, never a value).",
    " Review every rule, then gate CI with `privaci check` and `privaci scan -c privaci.yaml --check`.",
  ].join("\n");
  (doc.get("schemas", true) as YAMLMap).flow = true;
  const tablesMap = new YAMLMap();
  for (const t of tables) {
    const table = new YAMLMap();
    table.items.push(doc.createPair("columns", columnsMap(doc, t.columns)));
    const pair = doc.createPair(t.table, table);
    if (t.failed) {
      (pair.key as Scalar).commentBefore = ` sample ${
        t.failed === "timeout" ? "timed out" : "failed"
      }: rules from names and types only`;
    }
    tablesMap.items.push(pair);
  }
  doc.set("tables", tablesMap);
  return doc.toString({ lineWidth: 0 });
}

/**
 * `text` (an existing policy) with the `new` columns added under their tables and a comment on every
 * flagged `keep` rule. Everything else in the file is left as it was.
 */
export function mergePolicy(text: string, tables: readonly ScannedTable[]): string {
  const doc = parseDocument(text);
  if (!isMap(doc.get("tables", true))) doc.set("tables", new YAMLMap());
  const tablesMap = doc.get("tables", true) as YAMLMap;
  for (const t of tables) {
    const added = t.columns.filter((c) => c.status === "new");
    const flagged = t.columns.filter((c) => c.flagged);
    const suggested = t.columns.filter((c) => c.suggested !== undefined);
    if (added.length === 0 && flagged.length === 0 && suggested.length === 0) continue;
    if (!isMap(tablesMap.get(t.table, true))) tablesMap.set(t.table, new YAMLMap());
    const table = tablesMap.get(t.table, true) as unknown as YAMLMap;
    if (!isMap(table.get("columns", true))) table.set("columns", new YAMLMap());
    const columns = table.get("columns", true) as unknown as YAMLMap;
    for (const c of added) {
      const value = ruleNode(doc, c.rule);
      value.comment = ruleComment(c);
      columns.items.push(doc.createPair(c.column, value));
    }
    for (const c of flagged) {
      const node = columns.get(c.column, true);
      if (isScalar(node) || isMap(node)) node.comment = flagComment(c);
    }
    for (const c of suggested) {
      // Above the rule, after any comment of the policy's own: the rule and its comments stay as they are.
      const key = columns.items.find((p) => isScalar(p.key) && p.key.value === c.column)?.key;
      if (!isScalar(key)) continue;
      // A suggestion of an earlier scan is replaced, not repeated.
      const own = (key.commentBefore ?? "").split("\n").filter((l) => l && !l.startsWith(SUGGESTS));
      key.commentBefore = [...own, suggestComment(c)].join("\n");
    }
  }
  return doc.toString({ lineWidth: 0 });
}
