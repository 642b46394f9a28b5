/**
 * Walking a parsed YAML document by policy path: positions of keys and values, duplicate keys, and every
 * string scalar with its path (for interpolation).
 *
 * @module
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";

/** A 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

/** A key found twice in one mapping. */
export interface DuplicateKey {
  /** Path of the mapping holding the key. */
  parent: (string | number)[];
  key: string;
  /** Where the key is first written. */
  first: Position;
  /** Where it is written again. */
  again: Position;
}

/** The key of a pair as the policy sees it (`toJS` turns scalar keys into their string form). */
export function keyName(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return "";
  if (typeof key !== "object") return String(key);
  return undefined;
}

/** 1-based position of a node's first character. */
export function positionOf(node: unknown, lines: LineCounter): Position | undefined {
  const range = (node as Node | null)?.range;
  if (!range) return undefined;
  const pos = lines.linePos(range[0]);
  return { line: pos.line, col: pos.col };
}

/**
 * Position of the key (default) or the value at `path`, e.g. `["tables", "public.customer"]`. For a list
 * index the item itself is the key. Returns `undefined` when the path is not in the document.
 */
export function locateNode(
  doc: Document,
  lines: LineCounter,
  path: readonly (string | number)[],
  at: "key" | "value" = "key",
): Position | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown = node;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyName(p) === String(seg));
      if (!pair) return undefined;
      keyNode = pair.key ?? pair.value;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
      if (node === undefined) return undefined;
      keyNode = node;
    } else {
      return undefined;
    }
  }
  if (path.length === 0) return positionOf(doc.contents, lines) ?? { line: 1, col: 1 };
  return (at === "value" ? positionOf(node, lines) : undefined) ?? positionOf(keyNode, lines);
}

/**
 * Finds every key written twice in the same mapping, in document order, and removes the repeats from the
 * document, so that what is validated is the first entry, the one {@link locateNode} finds. Aliases are
 * not followed.
 */
export function removeDuplicateKeys(doc: Document, lines: LineCounter): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  function walk(node: unknown, path: (string | number)[]): void {
    if (isMap(node)) {
      const seen = new Map<string, Pair>();
      for (const pair of [...node.items]) {
        const name = keyName(pair);
        if (name === undefined || name === "<<") continue;
        const first = seen.get(name);
        if (first) {
          found.push({
            parent: path,
            key: name,
            first: positionOf(first.key, lines) ?? { line: 1, col: 1 },
            again: positionOf(pair.key, lines) ?? { line: 1, col: 1 },
          });
          node.items.splice(node.items.indexOf(pair), 1);
        } else {
          seen.set(name, pair);
          walk(pair.value, [...path, name]);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  }
  walk(doc.contents, []);
  return found;
}

/** A string scalar in value position, with its path and where its text starts in the source. */
export interface StringScalar {
  path: (string | number)[];
  node: { value: unknown };
  /** Offset in the source of the scalar's first character of content, when its source text is exact. */
  offset?: number;
  position: Position;
}

/** Every string scalar in value position (keys are never interpolated), in document order. */
export function stringScalars(doc: Document, lines: LineCounter, text: string): StringScalar[] {
  const out: StringScalar[] = [];
  function walk(node: unknown, path: (string | number)[]): void {
    if (isMap(node)) {
      for (const pair of node.items) walk(pair.value, [...path, keyName(pair) ?? "?"]);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && typeof node.value === "string" && node.range) {
      const start = node.range[0];
      const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
      const contentStart = quoted ? start + 1 : start;
      const exact = node.type !== "BLOCK_FOLDED" && node.type !== "BLOCK_LITERAL" &&
        text.startsWith(node.value, contentStart);
      out.push({
        path,
        node,
        offset: exact ? contentStart : undefined,
        position: positionOf(node, lines) ?? { line: 1, col: 1 },
      });
    }
  }
  walk(doc.contents, []);
  return out;
}
