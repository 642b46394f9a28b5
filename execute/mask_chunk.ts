/**
 * The work of the masking stage on one chunk of whole COPY text rows: index the fields, decode each
 * masked column in one go, mask it as one batch, check and encode its outputs in one go, then write the
 * rows for the target as bytes: kept fields copied from the source's bytes, masked ones from the outputs.
 * The same code runs on the main thread ({@link MaskStream}) and in the masking workers, so output bytes
 * and error messages are the same wherever a chunk is masked.
 *
 * @module
 */
import { PipelineError, PluginError, PrivaciError } from "../errors.ts";
import { type CopyChunk, decodeColumn, encodeColumn, indexFields } from "../pg/copy_text.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { maskOrder } from "../plan/row_refs.ts";
import type { BatchContext, Cell, TableRef } from "../strategies/types.ts";

const NL = 0x0a;
/** Runs of kept bytes shorter than this are copied byte by byte: `subarray` and `set` cost more. */
const SHORT_RUN = 64;

/** Masks chunks of whole COPY text rows of one table, column by column. */
export class ChunkMasker {
  #table: TableRef;
  #columns: readonly MaskedColumn[];
  #masked: (MaskedColumn & { index: number })[];
  /** Byte offsets of the fields of the chunk being masked (see {@link indexFields}). */
  #offsets = new Int32Array(0);

  /**
   * @param table the table being copied, for errors.
   * @param columns the COPY column list, in order, each with its masker (or `null` to keep).
   */
  constructor(table: TableRef, columns: readonly MaskedColumn[]) {
    this.#table = table;
    this.#columns = columns;
    // Columns built from other columns' masked values come after them (the planner refused cycles).
    const order = maskOrder(
      columns.map((c) => ({ name: c.column.column, readsMasked: c.masker?.readsMasked })),
    );
    if (!order.ok) {
      throw new RangeError(
        `Cannot mask ${qualified(table)} as its columns read each other's masked values: ${
          order.cycle.join(" → ")
        }`,
      );
    }
    this.#masked = order.order.map((i) => ({ ...columns[i], index: i })).filter((c) => c.masker !== null);
  }

  /** True when at least one column is masked; otherwise chunks can pass through untouched. */
  get masks(): boolean {
    return this.#masked.length > 0;
  }

  /**
   * Masks one chunk of whole rows; a table with no masked column gets the chunk back as it is.
   *
   * @param firstRow the 1-based ordinal of the chunk's first row in the table's stream, for errors and
   *   {@link BatchContext.firstRow}.
   * @param into where to write the masked rows when they fit; by default (or when they do not) a new
   *   buffer of their exact size.
   * @throws {PipelineError} `PG_COPY` for rows that cannot be read, `STRATEGY_FAILED` (or the strategy's
   *   own code) when a strategy throws, `STRATEGY_INVALID_OUTPUT` for outputs that do not fit the column.
   */
  async mask(chunk: CopyChunk, firstRow: number, into?: Uint8Array): Promise<CopyChunk> {
    if (!this.masks) return chunk;
    const { bytes: data, rows } = chunk;
    const table = this.#table;
    const columns = this.#columns;
    const ncol = columns.length;
    const fields = rows * ncol * 2;
    if (this.#offsets.length < fields) this.#offsets = new Int32Array(fields * 2);
    const offsets = this.#offsets;
    let indexed: number;
    try {
      indexed = indexFields(data, data.length, ncol, offsets);
    } catch (e) {
      throw unreadable(table, firstRow, (e as Error).message, e);
    }
    if (indexed !== rows) throw unreadable(table, firstRow, `expected ${rows} rows, found ${indexed}`);
    const decoded = new Map<number, Cell[]>();
    const valuesOf = (index: number): Cell[] => {
      let vals = decoded.get(index);
      if (!vals) {
        vals = decodeColumn(data, offsets, { rows, columns: ncol, index });
        decoded.set(index, vals);
      }
      return vals;
    };
    const outputs: Cell[][] = new Array(ncol);
    const batch: BatchContext = {
      table,
      firstRow,
      column(name: string) {
        const index = columns.findIndex((c) => c.column.column === name);
        if (index === -1) {
          throw new RangeError(`Cannot read column "${name}" of ${qualified(table)}: it is not copied`);
        }
        return valuesOf(index);
      },
      masked(name: string) {
        const index = columns.findIndex((c) => c.column.column === name);
        if (index === -1) {
          throw new RangeError(`Cannot read column "${name}" of ${qualified(table)}: it is not copied`);
        }
        if (columns[index].masker === null) return valuesOf(index);
        const out = outputs[index];
        if (out === undefined) {
          throw new RangeError(
            `Cannot read the masked values of column "${name}" of ${
              qualified(table)
            }: they are not masked yet`,
          );
        }
        return out;
      },
    };
    const encoded: Uint8Array[] = new Array(ncol);
    let size = data.length;
    for (const m of this.#masked) {
      let out: Cell[];
      try {
        const got = m.masker!.mask(valuesOf(m.index), batch);
        out = got instanceof Promise ? await got : got;
      } catch (e) {
        // A plugin failure keeps its PLUGIN_* code and exit code 3, located at the batch.
        if (e instanceof PluginError) {
          const where = { first: firstRow, last: firstRow + rows - 1 };
          throw e.locate({ table: qualified(table), column: m.column.column, rows: where });
        }
        // A PrivaciError's message and hint never hold a value: they say what failed and the fix.
        const own = e instanceof PrivaciError ? e : null;
        throw new PipelineError(
          own ? own.code : "STRATEGY_FAILED",
          `${m.where ? `${m.where}: ` : ""}Cannot mask ${
            qualified(table)
          }.${m.column.column} with ${m.strategy}${
            own
              ? ` in the batch from row ${firstRow}: ${own.message}`
              : `: the strategy failed in the batch from row ${firstRow}`
          }`,
          { table: qualified(table), column: m.column.column, strategy: m.strategy, row: firstRow },
          { cause: e, ...(own?.hint !== undefined ? { hint: own.hint } : {}) },
        );
      }
      checkOutput(out, rows, m, table, firstRow);
      outputs[m.index] = out;
      encoded[m.index] = encodeColumn(out);
      // The output's size: each masked field's bytes replaced by its output's (line ends aside).
      size += encoded[m.index].length - rows;
      for (let k = m.index * 2, r = 0; r < rows; r++, k += ncol * 2) size -= offsets[k + 1] - offsets[k];
    }
    return { bytes: assemble(data, offsets, { ncol, rows, size, encoded, into }), rows };
  }
}

/**
 * The rows for the target: each row's kept bytes from `data`, each masked field from its column's
 * encoded outputs (one per line), in column order.
 */
function assemble(
  data: Uint8Array,
  offsets: Int32Array,
  parts: {
    ncol: number;
    rows: number;
    size: number;
    /** Per column, its encoded outputs, or `undefined` for a kept column. */
    encoded: readonly (Uint8Array | undefined)[];
    into: Uint8Array | undefined;
  },
): Uint8Array {
  const { ncol, rows, size, encoded } = parts;
  const out = parts.into && parts.into.length >= size ? parts.into : new Uint8Array(size);
  const at = new Int32Array(ncol); // read position in each masked column's outputs
  let o = 0;
  const copy = (from: number, to: number) => {
    if (to - from < SHORT_RUN) {
      for (let i = from; i < to; i++) out[o++] = data[i];
    } else {
      out.set(data.subarray(from, to), o);
      o += to - from;
    }
  };
  for (let r = 0; r < rows; r++) {
    const base = r * ncol * 2;
    let from = offsets[base]; // start of the pending run of kept bytes
    for (let c = 0; c < ncol; c++) {
      const src = encoded[c];
      if (src === undefined) continue;
      const k = base + c * 2;
      copy(from, offsets[k]);
      let p = at[c];
      for (let b = src[p++]; b !== NL; b = src[p++]) out[o++] = b;
      at[c] = p;
      from = offsets[k + 1];
    }
    copy(from, offsets[base + ncol * 2 - 1] + 1);
  }
  return out.subarray(0, o);
}

function unreadable(table: TableRef, row: number, why: string, cause?: unknown): PipelineError {
  return new PipelineError(
    "PG_COPY",
    `Cannot read the source rows of ${qualified(table)}: ${why}`,
    { table: qualified(table), row },
    cause === undefined ? {} : { cause },
  );
}

function checkOutput(
  out: Cell[],
  rows: number,
  m: MaskedColumn & { index: number },
  table: TableRef,
  first: number,
) {
  const where = { table: qualified(table), column: m.column.column, strategy: m.strategy };
  if (!Array.isArray(out) || out.length !== rows) {
    throw new PipelineError(
      "STRATEGY_INVALID_OUTPUT",
      `Cannot mask ${qualified(table)}.${m.column.column} with ${m.strategy}: it returned ${
        Array.isArray(out) ? out.length : typeof out
      } values for a batch of ${rows}`,
      { ...where, row: first },
    );
  }
  const max = m.column.maxLength;
  for (let r = 0; r < rows; r++) {
    const v = out[r];
    if (v === null) {
      if (m.column.notNull) {
        throw new PipelineError(
          "STRATEGY_INVALID_OUTPUT",
          `Cannot write NULL into NOT NULL column ${
            qualified(table)
          }.${m.column.column}: ${m.strategy} produced it at row ${first + r}`,
          { ...where, row: first + r },
          { hint: "choose a strategy that never produces NULL for this column" },
        );
      }
    } else if (typeof v !== "string") {
      throw new PipelineError(
        "STRATEGY_INVALID_OUTPUT",
        `Cannot mask ${
          qualified(table)
        }.${m.column.column} with ${m.strategy}: it returned a ${typeof v} at row ${
          first + r
        }, not a string or null`,
        { ...where, row: first + r },
      );
    } else if (max !== null && v.length > max && [...v].length > max) {
      throw new PipelineError(
        "STRATEGY_INVALID_OUTPUT",
        `Cannot write into ${
          qualified(table)
        }.${m.column.column} as ${m.strategy} produced a value longer than ${m.column.type} at row ${
          first + r
        }`,
        { ...where, row: first + r },
        { hint: "give the strategy a length limit or choose one that fits the column" },
      );
    }
  }
}

/** `"schema"."table"` as users read it: schema.table. */
export function qualified(t: TableRef): string {
  return `${t.schema}.${t.table}`;
}
