/**
 * Text a plugin or its manifest supplies, made safe to print: control characters (C0, C1, and the
 * bidirectional overrides that reorder what a terminal shows) are removed, and the length is capped.
 * Nothing a plugin supplies reaches a terminal, log or report without passing through here.
 *
 * @module
 */

// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * `text` without control characters (runs of them become one space) and at most `max` characters long
 * (cut with `…`).
 *
 * @example Stripping an escape sequence
 * ```ts
 * import assert from "node:assert/strict";
 * import { printable } from "./_text.ts";
 * assert.equal(printable("Masks\x1b]52;c;ZXZpbA==\x07names", 80), "Masks ]52;c;ZXZpbA== names");
 * ```
 */
export function printable(text: string, max: number): string {
  const clean = text.replace(UNSAFE, " ").trim();
  const chars = [...clean];
  return chars.length <= max ? clean : chars.slice(0, max - 1).join("") + "…";
}
