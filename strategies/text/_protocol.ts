/**
 * Messages between the detector pool and its workers. Spans travel as flat `Int32Array` triples
 * (start, end, entity index) so a batch's result is one transfer, not thousands of objects.
 *
 * @module
 */
import { ENTITIES, type Entity, ENTITY_INDEX, type Span } from "./entities.ts";

/** Sets a worker up; answered by `ready` or `error`. */
export interface InitMessage {
  type: "init";
  entities: Entity[];
  nlp: boolean;
  unknownAsPerson: boolean;
  /** Whether the person-name model runs, and its threshold (null: the shipped one). */
  model: boolean;
  threshold: number | null;
  /** Folded names the customer listed. */
  knownNames: string[];
}

/** Detects spans in a slice of a batch; answered by `spans` or `error` with the same id. */
export interface DetectMessage {
  type: "detect";
  id: number;
  texts: (string | null)[];
  /** Folded row names per text (from `names_from`), or `null` when the policy names none. */
  names: string[][] | null;
}

/** The result of a `detect`: `counts[i]` spans of row `i`, in `data` one after another. */
export interface SpansMessage {
  type: "spans";
  id: number;
  counts: Int32Array;
  data: Int32Array;
}

/** A worker's answer. */
export type WorkerReply = { type: "ready" } | SpansMessage | { type: "error"; id?: number; message: string };

/** Packs spans per row into a {@link SpansMessage}'s arrays. */
export function packSpans(rows: readonly Span[][]): { counts: Int32Array; data: Int32Array } {
  const counts = new Int32Array(rows.length);
  let total = 0;
  rows.forEach((r, i) => {
    counts[i] = r.length;
    total += r.length;
  });
  const data = new Int32Array(total * 3);
  let k = 0;
  for (const r of rows) {
    for (const s of r) {
      data[k++] = s.start;
      data[k++] = s.end;
      data[k++] = ENTITY_INDEX[s.entity];
    }
  }
  return { counts, data };
}

/** Unpacks {@link packSpans}'s arrays. */
export function unpackSpans(counts: Int32Array, data: Int32Array): Span[][] {
  const out: Span[][] = new Array(counts.length);
  let k = 0;
  for (let i = 0; i < counts.length; i++) {
    const row: Span[] = new Array(counts[i]);
    for (let j = 0; j < counts[i]; j++, k += 3) {
      row[j] = { start: data[k], end: data[k + 1], entity: ENTITIES[data[k + 2]] };
    }
    out[i] = row;
  }
  return out;
}
