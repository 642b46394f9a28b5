/**
 * Where a masked value differs from its source: the changed spans of both, found by a longest common
 * subsequence over words and the gaps between them. A strategy that rewrites a whole value shows one span
 * each side; one that edits inside text (free-text scrubbing, a JSON path, one array element) shows only
 * what it replaced.
 *
 * @module
 */

/** `[start, end)` UTF-16 offsets. */
export type Range = [number, number];

/** The changed ranges of `before` and `after`. */
export interface Changes {
  before: Range[];
  after: Range[];
}

/** Words, and the runs of separators between them, with their offsets. */
function tokens(s: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}_@.+'-]+|[^\p{L}\p{N}_@.+'-]+/gu;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    // Separators compare without their spaces: a re-serialised JSON document is not a change.
    const key = WORD.test(m[0]) ? m[0] : m[0].replace(/\s+/g, "") || " ";
    out.push({ text: m[0], key, start: m.index });
  }
  return out;
}

interface Token {
  text: string;
  /** What the comparison sees. */
  key: string;
  start: number;
}

const WORD = /^[\p{L}\p{N}_@.+'-]/u;

/**
 * Ranges without the spaces at their edges (a replaced word takes its neighbouring gap with it), and
 * merged across gaps without letters or digits, so a replaced name is one range, not one per word.
 */
function trimRanges(s: string, ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (let [start, end] of ranges) {
    while (start < end && /\s/.test(s[start])) start++;
    while (end > start && /\s/.test(s[end - 1])) end--;
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && !/[\p{L}\p{N}]/u.test(s.slice(last[1], start))) last[1] = end;
    else out.push([start, end]);
  }
  return out;
}

/** Token pairs kept at most; beyond it a value counts as changed whole (preview shows a few rows). */
const MAX_CELLS = 4_000_000;

/** The spans where `after` differs from `before`. */
export function changedSpans(before: string, after: string): Changes {
  if (before === after) return { before: [], after: [] };
  const a = tokens(before), b = tokens(after);
  if (a.length * b.length > MAX_CELLS) return { before: [[0, before.length]], after: [[0, after.length]] };
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i].key === b[j].key
        ? lcs[(i + 1) * w + j + 1] + 1
        : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const out: Changes = { before: [], after: [] };
  const mark = (list: Range[], t: Token) => {
    const last = list[list.length - 1];
    if (last && last[1] === t.start) last[1] = t.start + t.text.length;
    else list.push([t.start, t.start + t.text.length]);
  };
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i].key === b[j].key) {
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
      mark(out.before, a[i++]);
    } else {
      mark(out.after, b[j++]);
    }
  }
  return { before: trimRanges(before, out.before), after: trimRanges(after, out.after) };
}
