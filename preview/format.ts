/**
 * Prints a preview as text: per table, each masked column with its strategy and its rows before and after,
 * side by side; inside a value that was edited rather than replaced, the changed spans are bracketed.
 *
 * @module
 */
import type { Range } from "./spans.ts";
import type { PreviewTable } from "./preview.ts";

/** Options of {@link formatPreview}. */
export interface FormatPreviewOptions {
  /** Characters per side (default 48). */
  width?: number;
  color?: boolean;
}

/** Brackets `ranges` of `s` (only when some text is left outside them) and cuts it to `width`. */
function show(
  s: string | null,
  ranges: readonly Range[] | undefined,
  width: number,
  mark: (t: string) => string,
) {
  if (s === null) return { text: "NULL", length: 4 };
  let text = "", length = 0, at = 0;
  const partial = ranges !== undefined && ranges.length > 0 &&
    ranges.reduce((n, [a, b]) => n + b - a, 0) < s.length;
  const parts: [string, boolean][] = [];
  for (const [a, b] of partial ? ranges! : []) {
    parts.push([s.slice(at, a), false], [s.slice(a, b), true]);
    at = b;
  }
  parts.push([s.slice(at), false]);
  for (const [piece, changed] of parts) {
    const flat = piece.replace(/[\n\r\t]/g, " ");
    const room = width - length - (changed ? 2 : 0);
    if (room <= 0) break;
    const cut = flat.length > room ? flat.slice(0, Math.max(0, room - 1)) + "…" : flat;
    text += changed ? mark(`[${cut}]`) : cut;
    length += cut.length + (changed ? 2 : 0);
  }
  return { text, length };
}

/** The preview as text. */
export function formatPreview(tables: readonly PreviewTable[], options: FormatPreviewOptions = {}): string {
  const width = options.width ?? 48;
  const paint = (code: string) => (s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const t of tables) {
    const masked = t.columns.length;
    lines.push(
      `${t.table}: ${t.rows} rows, ${masked} masked column${masked === 1 ? "" : "s"}, ${t.kept} kept`,
    );
    if (t.subset) {
      const rows = t.subset.rows === null ? "" : `: ${t.subset.rows} rows`;
      lines.push(`  subset ${t.subset.role}, ${t.subset.rule}${rows}`);
    }
    for (const c of t.columns) {
      lines.push(`  ${c.column} (${c.strategy})`);
      for (const cell of c.cells) {
        const before = show(cell.before, cell.changed?.before, width, paint("31"));
        const after = show(cell.after, cell.changed?.after, width, paint("32"));
        lines.push(`    ${before.text}${" ".repeat(Math.max(1, width - before.length))} │ ${after.text}`);
      }
    }
  }
  return lines.join("\n");
}
