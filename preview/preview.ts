/**
 * `privaci preview`: a few rows of each table from the live source, masked exactly as `run` masks them:
 * the same run session (bound rules, the policy's keyring, one snapshot, the prepared maskers) and the
 * same chunk masker the masking stage runs, fed the rows as COPY text. Nothing is written anywhere and the
 * target is never opened.
 *
 * The result holds source values by design: preview is for the policy's author, at a terminal. It is never
 * logged or put in a report.
 *
 * @module
 */
import { ONE_STATEMENT } from "../pg/connect.ts";
import type { LoadedPolicy } from "../config/load.ts";
import { RunSession } from "../execute/session.ts";
import { decodeRows, encodeRows } from "../pg/copy_text.ts";
import { fromTable, quoteIdent } from "../pg/source.ts";
import { ChunkMasker } from "../execute/mask_chunk.ts";
import { throwIfIssues } from "../plan/maskers.ts";
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { Cell } from "../strategies/types.ts";
import { ConfigError } from "../errors.ts";
import { changedSpans, type Range } from "./spans.ts";
import { countSubset, type SubsetRole } from "../subset/plan.ts";

/** Options of {@link preview}. */
export interface PreviewOptions {
  /** Only this table (`schema.table`, or `table` in the policy's first schema). */
  table?: string;
  /** Rows per table (default 5). */
  rows?: number;
  registry?: StrategyRegistry;
}

/** One previewed row of a masked column. */
export interface PreviewCell {
  before: Cell;
  after: Cell;
  /** What changed, when both are text. */
  changed?: { before: Range[]; after: Range[] };
}

/** One masked column of a previewed table. */
export interface PreviewColumn {
  column: string;
  strategy: string;
  cells: PreviewCell[];
}

/** One previewed table. */
export interface PreviewTable {
  table: string;
  rows: number;
  /** Columns the policy keeps, which preview does not show. */
  kept: number;
  columns: PreviewColumn[];
  /** The table's part of the policy's subset: its role, which rows, and how many (counted in the snapshot). */
  subset?: { role: SubsetRole; rule: string; rows: number | null };
}

/** Reads and masks a few rows of each copied table. */
export async function preview(src: LoadedPolicy, options: PreviewOptions = {}): Promise<PreviewTable[]> {
  await using session = await RunSession.open(src, {
    snapshot: true,
    what: "Cannot preview",
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const rows = options.rows ?? 5;
  const prepared = await session.prepare();
  throwIfIssues(prepared.diagnostics, "Cannot preview");
  const sql = session.snapshot.sql;
  const wanted = options.table === undefined
    ? null
    : options.table.includes(".")
    ? options.table
    : `${src.policy.schemas[0]}.${options.table}`;
  const tables = prepared.copied.filter((t) => wanted === null || t.name === wanted);
  if (wanted !== null && tables.length === 0) {
    throw new ConfigError("USAGE", `Cannot preview table '${wanted}': the policy does not copy it`, [], {
      hint: `name one of: ${prepared.copied.map((t) => t.name).join(", ")}`,
    });
  }
  const out: PreviewTable[] = [];
  // Every table's subset count comes from one query (the closure computed once), made when first needed.
  let counts: Map<string, number> | undefined;
  for (const t of tables) {
    const columns = prepared.maskers.get(t.name)!;
    const list = t.columns.map((c) =>
      `(${t.expressions?.[c.info.column] ?? quoteIdent(c.info.column)})::text`
    )
      .join(", ");
    const where = t.where ? ` where ${t.where}` : "";
    const source = await sql.unsafe(
      `select ${list} from ${fromTable(t.info)}${where} limit ${rows}`,
      [],
      ONE_STATEMENT,
    )
      .values() as Cell[][];
    const masked = decodeRows(
      (await new ChunkMasker(t.info, columns).mask({ bytes: encodeRows(source), rows: source.length }, 1))
        .bytes,
      columns.length,
    );
    const shown: PreviewColumn[] = [];
    columns.forEach((c, i) => {
      if (c.masker === null) return;
      shown.push({
        column: c.column.column,
        strategy: c.strategy,
        cells: source.map((row, r) => cell(row[i], masked[r][i])),
      });
    });
    const part = prepared.subset.find((f) => f.table === t.name);
    const subset = part && {
      role: part.role,
      rule: part.rule,
      rows: (counts ??= prepared.subsetRows ? await countSubset(sql, prepared.subsetRows) : new Map()).get(
        t.name,
      ) ??
        null,
    };
    out.push({
      table: t.name,
      rows: source.length,
      kept: columns.length - shown.length,
      columns: shown,
      ...(subset ? { subset } : {}),
    });
  }
  return out;
}

function cell(before: Cell, after: Cell): PreviewCell {
  if (before === null || after === null) return { before, after };
  return { before, after, changed: changedSpans(before, after) };
}
