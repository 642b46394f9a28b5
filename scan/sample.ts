/**
 * Reads a bounded random sample of every table from one snapshot of the source: the catalog and every
 * sample come from a single REPEATABLE READ, READ ONLY transaction. A table is never read whole unless it
 * is small: larger ones are sampled with `TABLESAMPLE BERNOULLI` (a row at a time, for mid-sized tables)
 * or `TABLESAMPLE SYSTEM` (whole pages, for big ones), always under a `LIMIT` and a per-table
 * `statement_timeout`. Each table's read sits in a savepoint, so a timed-out table costs its sample, not
 * the snapshot.
 *
 * Only what content analysis needs is read: text as at most `maxChars` characters, bytea as its first 16
 * bytes (the magic number), nothing of number, boolean, uuid or time columns.
 *
 * @module
 */
import type postgres from "postgres";
import { introspect } from "../pg/introspect.ts";
import type { Catalog, TableInfo } from "../pg/introspect.ts";
import { fromTable, quoteIdent, SourceSnapshot } from "../pg/source.ts";
import type { ColumnInfo, TypeFamily } from "../strategies/types.ts";

/** How a table's rows were chosen. */
export type SampleMethod = "whole" | "limit" | "bernoulli" | "system" | "none";

/** The sample of one table. */
export interface TableSample {
  table: TableInfo;
  /** Rows read. */
  rows: number;
  method: SampleMethod;
  /** The read hit the time budget or failed; `rows` is 0 and content says nothing. */
  failed?: "timeout" | "error";
  /** Non-NULL values of each content column, as text (bytea: hex of the first 16 bytes). */
  values: Map<string, string[]>;
}

/** Options of {@link Sampler.sample}. */
export interface SampleOptions {
  /** Rows per table (default 1000). */
  rows?: number;
  /** Time budget per table in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Characters read of each text value (default 2000). */
  maxChars?: number;
}

/** Type families whose content the classifier reads. */
const CONTENT_FAMILIES: ReadonlySet<TypeFamily> = new Set([
  "string",
  "json",
  "array",
  "network",
  "bytea",
  "other",
]);

/** Reads samples from one snapshot; close it (or `await using` it) when done. */
export class Sampler implements AsyncDisposable {
  #snapshot: SourceSnapshot;
  #sql: postgres.ReservedSql;
  #timeout = 0;
  /** The source catalog, read in the snapshot. */
  readonly catalog: Catalog;

  private constructor(snapshot: SourceSnapshot, catalog: Catalog) {
    this.#snapshot = snapshot;
    this.#sql = snapshot.sql;
    this.catalog = catalog;
  }

  /** Opens a snapshot of `url` and reads the catalog of `schemas` in it. */
  static async open(url: string, schemas: readonly string[]): Promise<Sampler> {
    const snapshot = await SourceSnapshot.open(url);
    try {
      return new Sampler(snapshot, await introspect(snapshot.sql, schemas));
    } catch (e) {
      await snapshot.close();
      throw e;
    }
  }

  /** Samples one table. */
  async sample(table: TableInfo, options: SampleOptions = {}): Promise<TableSample> {
    const rows = options.rows ?? 1000;
    const columns = table.columns.filter((c) => CONTENT_FAMILIES.has(c.family));
    const values = new Map<string, string[]>(columns.map((c) => [c.column, []]));
    if (columns.length === 0 || rows === 0) return { table, rows: 0, method: "none", values };
    const { clause, method } = samplingClause(table.estimatedRows, rows);
    const exprs = columns.map((c) => columnExpr(c, options.maxChars ?? 2000)).join(", ");
    const from = fromTable(table);
    const sql = this.#sql;
    const timeout = Math.max(1, Math.round(options.timeoutMs ?? 5000));
    if (timeout !== this.#timeout) {
      await sql.unsafe(`set local statement_timeout = ${timeout}`);
      this.#timeout = timeout;
    }
    try {
      // One round trip: the savepoint, the sample and its release as one simple-protocol batch.
      const batch = await sql.unsafe(
        `savepoint privaci_scan; select ${exprs} from ${from}${clause} limit ${rows}; release savepoint privaci_scan`,
      ).simple().values() as unknown as unknown[][][];
      const result = batch[1];
      for (const row of result) {
        for (let i = 0; i < columns.length; i++) {
          const v = row[i];
          if (v !== null && v !== undefined) values.get(columns[i].column)!.push(String(v));
        }
      }
      return { table, rows: result.length, method, values };
    } catch (e) {
      await sql.unsafe("rollback to savepoint privaci_scan");
      const timeout = (e as { code?: string }).code === "57014";
      return { table, rows: 0, method, failed: timeout ? "timeout" : "error", values };
    }
  }

  /** Ends the snapshot. */
  async close(): Promise<void> {
    await this.#snapshot.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * The sampling clause for a table of about `estimate` rows when `rows` are wanted: nothing for small or
 * never-analysed tables (the LIMIT bounds the read), BERNOULLI up to a hundred samples' worth of rows,
 * SYSTEM beyond. Both ask for three times the rows wanted, so the LIMIT is usually what stops the read.
 */
export function samplingClause(estimate: number, rows: number): { clause: string; method: SampleMethod } {
  if (estimate < 0) return { clause: "", method: "limit" };
  if (estimate <= rows * 5) return { clause: "", method: "whole" };
  const percent = Math.min(100, Math.max(0.0001, (300 * rows) / estimate));
  const p = percent.toPrecision(6);
  if (estimate <= rows * 100) return { clause: ` tablesample bernoulli (${p})`, method: "bernoulli" };
  return { clause: ` tablesample system (${p})`, method: "system" };
}

function columnExpr(c: ColumnInfo, maxChars: number): string {
  const id = quoteIdent(c.column);
  if (c.family === "bytea") return `encode(substring(${id} from 1 for 16), 'hex')`;
  return `left(${id}::text, ${maxChars})`;
}
