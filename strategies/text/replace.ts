/**
 * Writes replacements into a text at its detected spans, leaving every other character as it was.
 * The replacement modes other than `fake` live here; `fake` values come from other strategies' maskers.
 *
 * @module
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { Entity, Span } from "./entities.ts";
import { fold } from "./fold.ts";

/** Every replacement mode. */
export const REPLACE_MODES = ["fake", "tag", "hash", "redact"] as const;

/** One replacement mode, see {@link REPLACE_MODES}. */
export type ReplaceMode = (typeof REPLACE_MODES)[number];

/** The tag written for an entity in `tag` mode, e.g. `[PERSON]`. */
export function tagOf(entity: Entity): string {
  return `[${entity.toUpperCase()}]`;
}

/** What `redact` writes in place of any entity. */
export const REDACTED = "[REDACTED]";

/**
 * The form of a detected value that decides its replacement, so that spelling variants of one value get
 * one replacement: names ignore case, accents and spacing; numbers keep only their letters and digits.
 */
export function normalizeValue(entity: Entity, value: string): string {
  switch (entity) {
    case "person":
    case "location":
    case "organization":
      return fold(value.trim().replace(/\s+/g, " "));
    case "email":
    case "url":
      return value.trim().toLowerCase();
    case "phone":
      return value.replace(/[^\d+]/g, "").replace(/^00/, "+");
    case "card":
    case "iban":
    case "ssn":
    case "national_id":
      return value.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
    default:
      return value.trim().replace(/\s+/g, " ").toLowerCase();
  }
}

const encoder = new TextEncoder();

/** `hash` mode: `[PERSON:3fa9c2d1e0]`, an HMAC-SHA256 of the entity type and normalised value. */
export function hashReplacement(key: Uint8Array, entity: Entity, value: string): string {
  const mac = hmac(sha256, key, encoder.encode(`${entity}\u0000${normalizeValue(entity, value)}`));
  let hex = "";
  for (let i = 0; i < 5; i++) hex += mac[i].toString(16).padStart(2, "0");
  return `[${entity.toUpperCase()}:${hex}]`;
}

/**
 * Rebuilds `text` with each span replaced by `replacement(span, original)`. Spans must be sorted and not
 * overlap (as detection returns them); characters outside them are copied unchanged.
 */
export function applySpans(
  text: string,
  spans: readonly Span[],
  replacement: (span: Span, original: string) => string,
): string {
  if (spans.length === 0) return text;
  let out = "";
  let at = 0;
  for (const s of spans) {
    if (s.start < at || s.end > text.length || s.end <= s.start) {
      throw new RangeError(
        `Cannot replace a span as it is out of order or out of range: current value is ${s.start}`,
      );
    }
    out += text.slice(at, s.start) + replacement(s, text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}
