/**
 * The work of the masking stage on one chunk of whole COPY text rows: decode once, index the fields,
 * mask each masked column as one batch, check the outputs and re-encode. The same code runs on the main
 * thread ({@link MaskStream}) and in the masking workers, so output bytes and error messages are the same
 * wherever a chunk is masked.
 *
 * @module
 */
import { PipelineError, PluginError, PrivaciError } from "../errors.ts";
import { decodeText, encodeField, indexTextFields } from "../pg/copy_text.ts";
import type { MaskedColumn } from "../plan/maskers.ts";
import { maskOrder } from "../plan/row_refs.ts";
import type { BatchContext, Cell, TableRef } from "../strategies/types.ts";

const NL = 0x0a;
/** Characters a COPY text field must escape. */
const COPY_SPECIAL = /[\\\n\r\t\b\f\v]/;
const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** A masked chunk: the rows for the target and how many there are. */
export interface MaskedChunk {
  bytes: Uint8Array;
  rows: number;
}

/** The number of rows (newlines) in `data`. */
export function countRows(data: Uint8Array): number {
  let rows = 0;
  for (let i = data.indexOf(NL); i !== -1; i = data.indexOf(NL, i + 1)) rows++;
  return rows;
}

/** Masks chunks of whole COPY text rows of one table, column by column. */
export class ChunkMasker {
  #table: TableRef;
  #columns: readonly MaskedColumn[];
  #masked: (MaskedColumn & { index: number })[];
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
   * Masks `data`, which holds whole rows only (it ends with a newline, or is empty).
   *
   * @param firstRow the 1-based ordinal of the chunk's first row in the table's stream, for errors and
   *   {@link BatchContext.firstRow}.
   * @param rows the number of rows in `data`, when the caller knows it.
   * @throws {PipelineError} `PG_COPY` for rows that cannot be read, `STRATEGY_FAILED` (or the strategy's
   *   own code) when a strategy throws, `STRATEGY_INVALID_OUTPUT` for outputs that do not fit the column.
   */
  async mask(data: Uint8Array, firstRow: number, rows: number = countRows(data)): Promise<MaskedChunk> {
    if (!this.masks) return { bytes: data, rows };
    return { bytes: encoder.encode(await this.maskText(data, firstRow, rows)), rows };
  }

  /**
   * Like {@link mask}, but returns the masked rows as text, for a caller that encodes them into a buffer
   * of its own. Only for a table with a masked column.
   *
   * @param rows the number of rows in `data`, when the caller counted them.
   */
  async maskText(data: Uint8Array, firstRow: number, rows: number = countRows(data)): Promise<string> {
    const table = this.#table;
    const columns = this.#columns;
    const ncol = columns.length;
    if (this.#offsets.length < rows * ncol * 2) this.#offsets = new Int32Array(rows * ncol * 2 * 2);
    const offsets = this.#offsets;
    // One decode per chunk: fields are then cheap string slices, and the output one encode.
    const text = decoder.decode(data);
    try {
      indexTextFields(text, rows, ncol, offsets);
    } catch (e) {
      throw new PipelineError(
        "PG_COPY",
        `Cannot read the source rows of ${qualified(table)}: ${(e as Error).message}`,
        { table: qualified(table), row: firstRow },
        { cause: e },
      );
    }
    const decoded = new Map<number, Cell[]>();
    const valuesOf = (index: number): Cell[] => {
      let vals = decoded.get(index);
      if (!vals) {
        vals = new Array<Cell>(rows);
        for (let r = 0; r < rows; r++) {
          const k = (r * ncol + index) * 2;
          vals[r] = decodeText(text.slice(offsets[k], offsets[k + 1]));
        }
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
    const escape: boolean[] = new Array(ncol).fill(false);
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
      // One test per column and batch rather than per value: masked values rarely need an escape.
      escape[m.index] = COPY_SPECIAL.test(out.join(""));
    }
    let result = "";
    for (let r = 0; r < rows; r++) {
      const base = r * ncol * 2;
      let from = offsets[base]; // start of the pending run of kept text
      for (let c = 0; c < ncol; c++) {
        const out = outputs[c];
        if (out === undefined) continue;
        const k = base + c * 2;
        if (offsets[k] > from) result += text.slice(from, offsets[k]);
        const v = out[r];
        result += v === null ? "\\N" : escape[c] ? encodeField(v) : v;
        from = offsets[k + 1];
      }
      result += text.slice(from, offsets[base + ncol * 2 - 1] + 1);
    }
    return result;
  }
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
