/**
 * A detector worker: loads the gazetteer and compromise once, then answers `detect` messages with the
 * spans of each text. Each message is handled synchronously from start to end.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type DetectOptions, detectSpans } from "./detect.ts";
import { gazetteer } from "./gazetteer.ts";
import { type DetectMessage, type InitMessage, packSpans } from "./_protocol.ts";
import type { Span } from "./entities.ts";
import { detected } from "./_collect.ts";
import { garbageCollector } from "../../core/collector.ts";

let options: DetectOptions | null = null;

self.onmessage = (event: MessageEvent<InitMessage | DetectMessage>) => {
  const msg = event.data;
  if (msg.type === "init") {
    try {
      options = {
        entities: new Set(msg.entities),
        nlp: msg.nlp,
        unknownAsPerson: msg.unknownAsPerson,
        model: msg.model,
        threshold: msg.threshold ?? undefined,
        knownNames: msg.knownNames.length > 0 ? new Set(msg.knownNames) : undefined,
      };
      gazetteer();
      detectSpans("Warm up with Maria Rossi in Berlin", options);
      // Loading leaves the parsed word-list sources and compromise's set-up garbage in the old generation,
      // which V8 would keep until the heap grows past it: one full collection drops it before the first batch.
      garbageCollector()?.();
      self.postMessage({ type: "ready" });
    } catch (e) {
      self.postMessage({ type: "error", message: (e as Error).message });
    }
    return;
  }
  try {
    if (options === null) throw new Error("Cannot detect as the worker was not initialised");
    const rows: Span[][] = new Array(msg.texts.length);
    for (let i = 0; i < msg.texts.length; i++) {
      const text = msg.texts[i];
      const names = msg.names?.[i];
      rows[i] = text === null
        ? []
        : detectSpans(text, options, names && names.length > 0 ? new Set(names) : undefined);
    }
    const { counts, data } = packSpans(rows);
    self.postMessage({ type: "spans", id: msg.id, counts, data }, {
      transfer: [counts.buffer as ArrayBuffer, data.buffer as ArrayBuffer],
    });
    detected(msg.texts);
  } catch (e) {
    self.postMessage({ type: "error", id: msg.id, message: (e as Error).message });
  }
};
