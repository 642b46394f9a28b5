/**
 * A subset's kept rows, computed once per run: the closure query (sql.ts, {@link SubsetRows}) runs once in
 * the run's snapshot and its result, the address (`tableoid`, `ctid`) of every kept row, sorted, streams
 * to one file per table in a temporary directory (per chunk, for a table split into key ranges: the
 * query gives each row its chunk, so each unit of the load reads its own). Each table is then read from
 * the snapshot by those addresses, a batch at a time (`ctid = any(…)`, a TID scan), so no table's read
 * computes the closure again and memory holds one batch, whatever the subset's size: the key sets live
 * in PostgreSQL's sort (spilled to disk past `work_mem`) and in the files, about 16 bytes a row. The
 * source is only read.
 *
 * A reference cut by `dangling: null` into a filtered table is settled by the same query: beside each
 * address, whether the row it references is kept. A batch reads those columns as NULL for the rows
 * whose referenced row is not (`CASE WHEN ctid = ANY(…) THEN NULL …`, the batch's own addresses), so
 * they too need no second closure.
 *
 * Addresses are those of the snapshot: a process computes them in the snapshot it reads from (a resumed
 * run or a shard in its own), and they are removed when the run ends.
 *
 * @module
 */
import type { CopyChunk } from "../pg/copy_text.ts";
import { quoteIdent, type ReadSpec, type SourceSnapshot } from "../pg/source.ts";
import type { SubsetRows } from "./sql.ts";
import type { Chunk } from "../pg/units.ts";
import { PgError, PrivaciError } from "../errors.ts";
import { pgErrorFields } from "../pg/server_error.ts";
import { sqlConditionProblem } from "../core/sql_condition.ts";

/** Rows read by one query of a table's read by default (the batch's addresses are sent as its text). */
export const KEPT_BATCH_ROWS = 50_000;

/** Options of {@link KeptRows.compute}. */
export interface KeptRowsOptions {
  /** Called as each table's kept rows are written, with their number. */
  onTable?: (table: string, rows: number) => void;
  /** Rows read by one query (default {@link KEPT_BATCH_ROWS}). */
  batchRows?: number;
  /** The key-range chunks of tables split into several units: each chunk's kept rows in a file of its own. */
  chunks?: ReadonlyMap<string, readonly Chunk[]>;
}

/** Options of {@link KeptRows.read}. */
export interface KeptReadOptions {
  /** The chunk whose kept rows to read (its index; 0 for a table not split). */
  chunk?: number;
}

/** The kept rows of every filtered table of a subset, held in files; see the module doc. */
export class KeptRows implements AsyncDisposable {
  #dir: string;
  #counts: Map<string, number>;
  /** The files written: `table#chunk`. */
  #units = new Set<string>();
  #batchRows: number;
  #nulls: ReadonlyMap<string, string[][]>;

  private constructor(dir: string, counts: Map<string, number>, rows: SubsetRows, batchRows: number) {
    this.#dir = dir;
    this.#counts = counts;
    this.#nulls = rows.nulls;
    this.#batchRows = batchRows;
  }

  /**
   * Runs the closure once in `snapshot` (on a connection of its own) and writes each table's kept
   * addresses to its file; `onTable` is called as each table's are written.
   */
  static async compute(
    snapshot: SourceSnapshot,
    rows: SubsetRows,
    options: KeptRowsOptions = {},
  ): Promise<KeptRows> {
    const dir = await Deno.makeTempDir({ prefix: "privaci_subset_" });
    const counts = new Map(rows.tables.map((t) => [t, 0]));
    const kept = new KeptRows(dir, counts, rows, options.batchRows ?? KEPT_BATCH_ROWS);
    try {
      if (rows.tables.length === 0) return kept;
      // COPY goes with the simple protocol: the query, which holds the roots' `where:`, must stay one statement.
      const query = rows.keptSql(options.chunks ?? new Map());
      const problem = sqlConditionProblem(query);
      if (problem !== undefined) {
        throw new PgError("PG_QUERY", `Cannot compute the subset as its query ${problem}`, {});
      }
      const bytes = await snapshot.copyOut("subset", `copy (${query} order by t, u, r, id) to stdout`);
      let table = -1;
      let unit = "";
      let file: Deno.FsFile | null = null;
      let pending = "";
      const encoder = new TextEncoder();
      const flush = async () => {
        if (file && pending.length > 0) await writeAll(file, encoder.encode(pending));
        pending = "";
      };
      const close = async () => {
        await flush();
        file?.close();
        file = null;
      };
      let rest = "";
      const decoder = new TextDecoder();
      for await (const chunk of bytes) {
        const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
        rest = lines.pop()!;
        for (const line of lines) {
          // `t\tr\tid\tn\tu`: numbers, a ctid and the cut references' flags, none of which COPY escapes.
          const first = line.indexOf("\t");
          const last = line.lastIndexOf("\t");
          const t = Number(line.slice(0, first));
          const u = line.slice(last + 1);
          if (t !== table || u !== unit) {
            await close();
            if (t !== table && table >= 0) {
              options.onTable?.(rows.tables[table], counts.get(rows.tables[table])!);
            }
            [table, unit] = [t, u];
            kept.#units.add(`${rows.tables[t]}#${u}`);
            file = await Deno.open(kept.#file(rows.tables[t], u), { write: true, createNew: true });
          }
          pending += line.slice(first + 1, last) + "\n";
          counts.set(rows.tables[t], counts.get(rows.tables[t])! + 1);
          if (pending.length >= 1 << 16) await flush();
        }
      }
      await close();
      if (table >= 0) options.onTable?.(rows.tables[table], counts.get(rows.tables[table])!);
      // Tables without a kept row were not named by the query: they are reported too.
      for (const [table, n] of counts) if (n === 0) options.onTable?.(table, 0);
      return kept;
    } catch (e) {
      await kept[Symbol.asyncDispose]();
      if (e instanceof PrivaciError) throw e;
      const f = pgErrorFields(e);
      throw new PgError(
        "PG_QUERY",
        `Cannot compute the subset's kept rows in the source: ${f.summary}`,
        { sqlstate: f.sqlstate },
        { cause: e },
      );
    }
  }

  /** True when `table` is filtered by the subset (its rows are read by address). */
  has(table: string): boolean {
    return this.#counts.has(table);
  }

  /** The number of kept rows of each filtered table. */
  get counts(): ReadonlyMap<string, number> {
    return this.#counts;
  }

  /**
   * Reads `table`'s kept rows from `snapshot`: one query per batch of addresses, the batches' COPY rows
   * one after the other. `spec.where` (a chunk's key range) is combined with each batch's addresses; the
   * batch's cut references replace `spec.expressions` of their columns.
   */
  read(snapshot: SourceSnapshot, spec: ReadSpec, options: KeptReadOptions = {}): ReadableStream<CopyChunk> {
    const table = `${spec.schema}.${spec.table}`;
    const batches = this.#batches(table, options.chunk ?? 0);
    const cut = new Set(this.#nulls.get(table)?.flat());
    let part: ReadableStreamDefaultReader<CopyChunk> | null = null;
    return new ReadableStream<CopyChunk>({
      async pull(controller) {
        for (;;) {
          if (part === null) {
            const next = await batches.next();
            if (next.done) return controller.close();
            const { where: batch, nulled } = next.value;
            const where = spec.where ? `(${batch}) and (${spec.where})` : batch;
            const expressions = Object.fromEntries(
              Object.entries(spec.expressions ?? {}).filter(([c]) => !cut.has(c)),
            );
            Object.assign(expressions, nulled);
            part = (await snapshot.read({ ...spec, where, expressions })).getReader();
          }
          const { done, value } = await part.read();
          if (!done) return controller.enqueue(value);
          part = null;
        }
      },
      async cancel(reason) {
        await part?.cancel(reason);
        await batches.return(undefined);
      },
    }, { highWaterMark: 0 });
  }

  /**
   * `table`'s kept addresses as `where` bodies, each of at most `batchRows` rows of one `tableoid`, with
   * the expressions of the cut references' columns NULL in some of its rows.
   */
  async *#batches(
    table: string,
    chunk: number,
  ): AsyncGenerator<{ where: string; nulled: Record<string, string> }, void> {
    if (!this.#units.has(`${table}#${chunk}`)) return;
    const columns = this.#nulls.get(table) ?? [];
    const file = await Deno.open(this.#file(table, String(chunk)), { read: true });
    const decoder = new TextDecoder();
    let rest = "";
    let oid = "";
    let ids: string[] = [];
    let nulled = new Map<string, string[]>();
    const batch = () => ({
      where: `tableoid = ${oid}::oid and ctid = any('{${ids.join(",")}}'::tid[])`,
      nulled: Object.fromEntries(
        [...nulled].map(([c, some]) => [
          c,
          `case when ctid = any('{${some.join(",")}}'::tid[]) then null else ${quoteIdent(c)} end`,
        ]),
      ),
    });
    for await (const chunk of file.readable) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        const [r, id, flags] = line.split("\t");
        if ((r !== oid || ids.length >= this.#batchRows) && ids.length > 0) {
          yield batch();
          ids = [];
          nulled = new Map();
        }
        oid = r;
        ids.push(`"${id}"`);
        for (let i = 0; i < flags.length; i++) {
          if (flags[i] !== "1") continue;
          for (const c of columns[i]) {
            const some = nulled.get(c) ?? [];
            // A column two cut references share is NULL when either's row is not kept.
            if (some.at(-1) !== ids.at(-1)) some.push(ids.at(-1)!);
            nulled.set(c, some);
          }
        }
      }
    }
    if (ids.length > 0) yield batch();
  }

  #file(table: string, chunk: string): string {
    return `${this.#dir}/${encodeURIComponent(table)}#${chunk}`;
  }

  /** Removes the files. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let n = 0; n < bytes.length;) n += await file.write(bytes.subarray(n));
}
