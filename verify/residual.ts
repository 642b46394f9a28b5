/**
 * Residual personal data: the text.scrub detectors and person-name finder run over the target's kept and
 * scrubbed columns (strings, JSON string leaves, array elements), all rows or a sample, counting
 * detections per detector. A kept column is read as its distinct values with their row counts. In a
 * scrubbed column a detection counts only when the detected text is also in the same row's source value
 * (looked up by primary key), so replacements the scrubber wrote (a fake name) are not taken for residue.
 *
 * A column whose every value is one word of at most three letters or digits holds codes (countries,
 * currencies, states, sizes: `DE`, `EUR`, `XL`), and person names are not looked for in it: such a word
 * alone is an acronym as often as a name (text.scrub's rules say so for upper-case words; its name model,
 * given no context, takes many codes for names). One longer value anywhere makes it a column of words
 * again, scanned for everything.
 *
 * The report gets counts, a risk level and at most one redacted context per detector: every detected
 * span replaced by its tag, digits by `#`, cut to a few words around the detection.
 *
 * @module
 */
import { fromTable, quoteIdent } from "../pg/source.ts";
import { ENTITIES, type Entity, type Span } from "../strategies/text/entities.ts";
import type { DetectorPool } from "../strategies/text/pool.ts";
import { tagOf } from "../strategies/text/replace.ts";
import type { CheckedColumn } from "./columns.ts";
import type { Finding, ResidualResult, Risk } from "./findings.ts";
import { textOf } from "./_sql.ts";
import type { Session } from "./_ship.ts";

/** Detectors the residual scan runs: every entity type except places and organisations, which alone do not point at a person. */
export const RESIDUAL_ENTITIES: readonly Entity[] = ENTITIES.filter((e) =>
  e !== "location" && e !== "organization"
);

/** A value that is a code (see the module doc), as a PostgreSQL regular expression. */
const CODE = "^[[:alnum:]]{1,3}$";

/** Rows per fetch and per detection batch. */
const BATCH = 1000;
/** Characters of context kept on each side of a detection. */
const CONTEXT_CHARS = 32;

/** Options of {@link residual}. */
export interface ResidualOptions {
  pool: DetectorPool;
  /** Read at most this many rows per column (a repeatable Bernoulli sample), else every row. */
  sample?: number;
}

/** Scans each column in turn. */
export async function residual(
  source: Session,
  target: Session,
  columns: readonly CheckedColumn[],
  options: ResidualOptions,
): Promise<ResidualResult[]> {
  const out: ResidualResult[] = [];
  for (const c of columns) out.push(await scanColumn(source, target, c, options));
  return out;
}

interface Tally {
  result: ResidualResult;
  /** Folded row counts of rows with an identifier (anything but a person name). */
  idRows: number;
}

async function scanColumn(
  source: Session,
  target: Session,
  c: CheckedColumn,
  options: ResidualOptions,
): Promise<ResidualResult> {
  const col = quoteIdent(c.info.column);
  const from = fromTable(c.table.info);
  const [{ n, words }] = await target.unsafe<{ n: string; words: string }[]>(
    `select count(*)::text as n, count(*) filter (where ${textOf(c.info)} !~ '${CODE}')::text as words
       from ${from} where ${col} is not null`,
  );
  const rows = Number(n);
  const codes = rows > 0 && Number(words) === 0;
  const sampled = sampleClause(options.sample, rows);
  const tally: Tally = {
    idRows: 0,
    result: {
      table: c.table.name,
      column: c.info.column,
      rule: c.strategy,
      scanned: 0,
      rows,
      words: 0,
      rowsWithFindings: 0,
      codes,
      counts: {},
      contexts: {},
      risk: null,
    },
  };
  const pk = c.table.info.primaryKey;
  const aligned = c.strategy !== "keep" && pk.length > 0;
  const limit = options.sample ? ` limit ${options.sample}` : "";
  const query = aligned
    ? `select json_build_array(${pk.map((k) => `${quoteIdent(k)}::text`).join(", ")})::text as k, ${
      textOf(c.info)
    } as v, 1 as n from ${from}${sampled} where ${col} is not null${limit}`
    : `select v, count(*)::int as n from (select ${
      textOf(c.info)
    } as v from ${from}${sampled} where ${col} is not null${limit}) s group by v`;
  const json = c.info.family === "json";
  const detect = async (batch: { k?: string; v: string; n: number }[]) => {
    const texts = batch.map((r) => (json ? jsonStrings(r.v) : r.v));
    const found = await options.pool.detect(texts);
    const spans = codes ? found.map((s) => s.filter((x) => x.entity !== "person")) : found;
    const confirmed = aligned ? await confirmInSource(source, c, batch, texts, spans) : spans;
    for (let i = 0; i < batch.length; i++) count(tally, texts[i], confirmed[i], Number(batch[i].n));
  };
  // The next batch is fetched while the detectors work on this one; at most two are held.
  let detecting: Promise<void> = Promise.resolve();
  for await (const batch of target.unsafe<{ k?: string; v: string; n: number }[]>(query).cursor(BATCH)) {
    await detecting;
    detecting = detect(batch);
    // Handled here so a failure while the next batch is fetched is not an unhandled rejection; the
    // await above (or below) still throws it.
    detecting.catch(() => {});
  }
  await detecting;
  tally.result.risk = residualRisk(tally.result, tally.idRows, c.strategy !== "keep");
  return tally.result;
}

function sampleClause(sample: number | undefined, rows: number): string {
  if (!sample || rows <= sample) return "";
  const percent = Math.min(100, (100 * sample * 1.2) / rows);
  return ` tablesample bernoulli (${percent.toFixed(6)}) repeatable (16)`;
}

/** Keeps the spans whose text is also in the same row's source value. */
async function confirmInSource(
  source: Session,
  c: CheckedColumn,
  batch: readonly { k?: string }[],
  texts: readonly string[],
  spans: Span[][],
): Promise<Span[][]> {
  const pk = c.table.info.primaryKey;
  const wanted = batch.filter((_, i) => spans[i].length > 0).map((r) => JSON.parse(r.k!) as string[]);
  if (wanted.length === 0) return spans;
  const types = pk.map((k) => c.table.info.columns.find((x) => x.column === k)!.type);
  const rows = await source.unsafe<{ k: string; v: string }[]>(
    `select json_build_array(${pk.map((k) => `${quoteIdent(k)}::text`).join(", ")})::text as k, ${
      textOf(c.info)
    } as v from ${fromTable(c.table.info)}
      where (${pk.map(quoteIdent).join(", ")}) in (select ${
      types.map((t, i) => `(x->>${i})::${t}`).join(", ")
    } from json_array_elements($1::text::json) x)`,
    [JSON.stringify(wanted)],
  );
  const json = c.info.family === "json";
  const byKey = new Map(rows.map((r) => [r.k, json ? jsonStrings(r.v) : r.v]));
  return spans.map((s, i) => {
    if (s.length === 0) return s;
    const original = byKey.get(batch[i].k!);
    if (original === undefined) return [];
    return s.filter((sp) => original.includes(texts[i].slice(sp.start, sp.end)));
  });
}

function count(tally: Tally, text: string, spans: readonly Span[], rows: number): void {
  const r = tally.result;
  r.scanned += rows;
  r.words += words(text);
  if (spans.length === 0) return;
  r.rowsWithFindings += rows;
  if (spans.some((s) => s.entity !== "person")) tally.idRows += rows;
  for (const s of spans) {
    r.counts[s.entity] = (r.counts[s.entity] ?? 0) + rows;
    r.contexts[s.entity] ??= redactedContext(text, spans, s);
  }
}

/** Whitespace-separated words of a text. */
export function words(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13);
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** The string leaves of a JSON text, one per line (keys and numbers are structure, not text). */
export function jsonStrings(text: string): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(text));
  } catch {
    return text;
  }
  return out.join("\n");
}

/**
 * A short context around `focus` with every span replaced by its tag and every digit by `#`: "…call me
 * on [PHONE] tomorrow…". It can still hold words no detector recognised, which is why it is cut short.
 */
export function redactedContext(text: string, spans: readonly Span[], focus: Span): string {
  let out = "";
  let at = 0;
  let focusStart = 0;
  let focusEnd = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += text.slice(at, s.start);
    if (s === focus) focusStart = out.length;
    out += tagOf(s.entity);
    if (s === focus) focusEnd = out.length;
    at = s.end;
  }
  out += text.slice(at);
  let from = Math.max(0, focusStart - CONTEXT_CHARS);
  let to = Math.min(out.length, focusEnd + CONTEXT_CHARS);
  if (from > 0) from = snapForward(out, from, focusStart);
  if (to < out.length) to = snapBack(out, to, focusEnd);
  const cut = out.slice(from, to).replace(/\d/g, "#").replace(/\s+/g, " ").trim();
  return `${from > 0 ? "…" : ""}${cut}${to < out.length ? "…" : ""}`;
}

function snapForward(s: string, i: number, limit: number): number {
  const j = s.indexOf(" ", i);
  return j === -1 || j >= limit ? i : j + 1;
}

function snapBack(s: string, i: number, limit: number): number {
  const j = s.lastIndexOf(" ", i);
  return j === -1 || j <= limit ? i : j;
}

/**
 * The risk of a column's residue: high when half its rows hold something (or a fifth, for identifiers
 * and scrubbed text); medium for identifiers, and for names a scrubber left; low for a few names in a
 * kept column (a product named after a person).
 */
export function residualRisk(r: ResidualResult, idRows: number, scrubbed: boolean): Risk | null {
  if (r.rowsWithFindings === 0) return null;
  const share = r.rowsWithFindings / Math.max(1, r.scanned);
  if (share >= 0.5) return "high";
  if (idRows > 0 || scrubbed) return share >= 0.2 ? "high" : "medium";
  return share >= 0.2 ? "medium" : "low";
}

/** The finding a residual result raises. */
export function residualFinding(r: ResidualResult): Omit<Finding, "policy"> | null {
  if (r.risk === null) return null;
  const per = Object.entries(r.counts).sort((a, b) => b[1] - a[1]).map(([e, n]) => `${n} ${e}`).join(", ");
  const of = r.scanned === r.rows ? `${r.rows}` : `${r.scanned} sampled of ${r.rows}`;
  return {
    table: r.table,
    column: r.column,
    check: "residual",
    risk: r.risk,
    count: r.rowsWithFindings,
    message: `${r.rowsWithFindings} of ${of} rows of ${r.table}.${r.column} (${
      r.rule === "keep" ? "kept" : r.rule
    }) hold personal data the detectors recognise: ${per}`,
  };
}
