/**
 * The masking stage: COPY text bytes of the source table in, COPY text bytes for the target out. Kept
 * columns are copied as raw bytes; masked columns are decoded, masked a batch at a time, checked and
 * re-encoded. A table with no masked column passes through untouched.
 *
 * @module
 */
import { PipelineError, PrivaciError } from "../errors.ts";
import { decodeText, encodeField, indexTextFields } from "../pg/copy_text.ts";
import type { BatchContext, Cell, ColumnInfo, ColumnMasker, TableRef } from "../strategies/types.ts";

const NL = 0x0a;
const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** One column of the COPY column list and what to do with it. */
export interface MaskedColumn {
  column: ColumnInfo;
  /** Strategy name, for errors and the report. */
  strategy: string;
  /** `null` for `keep`: the raw bytes pass through. */
  masker: ColumnMasker | null;
}

/** Counters the stage keeps while it runs. */
export interface MaskStats {
  rows: number;
  bytesIn: number;
  bytesOut: number;
}

/** Masks COPY text rows column by column. */
export class MaskStream extends TransformStream<Uint8Array, Uint8Array> {
  /** Live counters, read by progress reporting. */
  readonly stats: MaskStats;

  /**
   * @param table the table being copied, for errors.
   * @param columns the COPY column list, in order, each with its masker (or `null` to keep).
   */
  constructor(table: TableRef, columns: readonly MaskedColumn[]) {
    if (columns.length === 0) {
      throw new RangeError("Cannot construct MaskStream as the column list is empty: current value is 0");
    }
    const stats: MaskStats = { rows: 0, bytesIn: 0, bytesOut: 0 };
    const masked = columns.map((c, i) => ({ ...c, index: i })).filter((c) => c.masker !== null);
    let carry: Uint8Array | null = null;
    let offsets = new Int32Array(0);

    const process = async (data: Uint8Array, end: number): Promise<Uint8Array> => {
      let rows = 0;
      for (let i = data.indexOf(NL); i !== -1 && i < end; i = data.indexOf(NL, i + 1)) rows++;
      if (masked.length === 0) {
        stats.rows += rows;
        return end === data.length ? data : data.subarray(0, end);
      }
      const ncol = columns.length;
      if (offsets.length < rows * ncol * 2) offsets = new Int32Array(rows * ncol * 2 * 2);
      // One decode per chunk: fields are then cheap string slices, and the output one encode.
      const text = decoder.decode(end === data.length ? data : data.subarray(0, end));
      try {
        indexTextFields(text, rows, ncol, offsets);
      } catch (e) {
        throw new PipelineError(
          "PG_COPY",
          `Cannot read the source rows of ${qualified(table)}: ${(e as Error).message}`,
          { table: qualified(table), row: stats.rows + 1 },
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
      const batch: BatchContext = {
        table,
        firstRow: stats.rows + 1,
        column(name: string) {
          const index = columns.findIndex((c) => c.column.column === name);
          if (index === -1) {
            throw new RangeError(`Cannot read column "${name}" of ${qualified(table)}: it is not copied`);
          }
          return valuesOf(index);
        },
      };
      const outputs: Cell[][] = new Array(ncol);
      for (const m of masked) {
        let out: Cell[];
        try {
          const got = m.masker!.mask(valuesOf(m.index), batch);
          out = got instanceof Promise ? await got : got;
        } catch (e) {
          throw new PipelineError(
            e instanceof PrivaciError ? e.code : "STRATEGY_FAILED",
            `Cannot mask ${
              qualified(table)
            }.${m.column.column} with ${m.strategy}: the strategy failed in the batch from row ${batch.firstRow}`,
            { table: qualified(table), column: m.column.column, strategy: m.strategy, row: batch.firstRow },
            { cause: e },
          );
        }
        checkOutput(out, rows, m, table, batch.firstRow);
        outputs[m.index] = out;
      }
      const parts: string[] = [];
      for (let r = 0; r < rows; r++) {
        const base = r * ncol * 2;
        let from = offsets[base]; // start of the pending run of kept text
        for (let c = 0; c < ncol; c++) {
          const out = outputs[c];
          if (out === undefined) continue;
          const k = base + c * 2;
          if (offsets[k] > from) parts.push(text.slice(from, offsets[k]));
          parts.push(encodeField(out[r]));
          from = offsets[k + 1];
        }
        parts.push(text.slice(from, offsets[base + ncol * 2 - 1] + 1));
      }
      stats.rows += rows;
      return encoder.encode(parts.join(""));
    };

    super({
      async transform(chunk, controller) {
        stats.bytesIn += chunk.length;
        let data = chunk;
        if (carry !== null) {
          data = new Uint8Array(carry.length + chunk.length);
          data.set(carry);
          data.set(chunk, carry.length);
          carry = null;
        }
        const last = data.lastIndexOf(NL);
        if (last + 1 < data.length) carry = data.slice(last + 1);
        if (last === -1) return;
        const out = await process(data, last + 1);
        stats.bytesOut += out.length;
        controller.enqueue(out);
      },
      flush() {
        if (carry !== null && carry.length > 0) {
          throw new PipelineError(
            "PG_COPY",
            `Cannot read the source rows of ${qualified(table)}: the stream ended inside a row`,
            { table: qualified(table), row: stats.rows + 1 },
          );
        }
      },
    });
    this.stats = stats;
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
