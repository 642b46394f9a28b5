/**
 * A read-only word → flags table over the generated gazetteer text itself (`<flags> word word …` lines):
 * an open-addressing hash table of word offsets into that one string, instead of a `Map` of ~150,000
 * separate strings. It holds three typed arrays (about 3 MB) beside the string the module keeps anyway,
 * where the `Map` took about 11 MB of live heap, and building it leaves no garbage behind (splitting the
 * text into lines and words made ~20 MB of it in every detector thread).
 *
 * @module
 */

/** Word → flags lookups, as the name detector makes them. */
export interface WordFlags {
  /** The flags of `word`, or `undefined` when the table does not hold it. */
  get(word: string): number | undefined;
  /** Number of distinct words. */
  readonly size: number;
}

const SPACE = 32;
const NEWLINE = 10;

/** FNV-1a over UTF-16 code units of `text[from, to)`. */
function hashRange(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A {@link WordFlags} over the lines of the generated gazetteer module. */
export class WordTable implements WordFlags {
  readonly #text: string;
  /** Offset of each word in `#text`; a word ends at the next space or line break. */
  readonly #starts: Int32Array;
  readonly #flags: Uint16Array;
  /** Word index + 1 per slot, 0 for an empty slot; the length is a power of two. */
  readonly #slots: Int32Array;
  #size = 0;

  /**
   * Indexes `text`: lines of `<flags> word word …`, words separated by one space. A word listed twice
   * takes the flags of its last line, as `Map.set` would.
   */
  constructor(text: string) {
    this.#text = text;
    let words = 0;
    forEachWord(text, () => words++);
    this.#starts = new Int32Array(words);
    this.#flags = new Uint16Array(words);
    let capacity = 1;
    while (capacity < words * 2) capacity *= 2;
    this.#slots = new Int32Array(capacity);
    forEachWord(text, (start, end, flags) => this.#insert(start, end, flags));
  }

  get size(): number {
    return this.#size;
  }

  get(word: string): number | undefined {
    const len = word.length;
    if (len === 0) return undefined;
    const mask = this.#slots.length - 1;
    for (let slot = hashRange(word, 0, len) & mask;; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot];
      if (entry === 0) return undefined;
      if (this.#matches(this.#starts[entry - 1], word, 0, len)) return this.#flags[entry - 1];
    }
  }

  #insert(start: number, end: number, flags: number): void {
    if (flags > 0xffff) {
      throw new RangeError(`Cannot index the gazetteer as flags ${flags} do not fit 16 bits: widen #flags`);
    }
    const mask = this.#slots.length - 1;
    for (let slot = hashRange(this.#text, start, end) & mask;; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot];
      if (entry === 0) {
        this.#starts[this.#size] = start;
        this.#flags[this.#size] = flags;
        this.#slots[slot] = ++this.#size;
        return;
      }
      if (this.#matches(this.#starts[entry - 1], this.#text, start, end - start)) {
        this.#flags[entry - 1] = flags;
        return;
      }
    }
  }

  /** Whether the word at `start` in the table's text is exactly `source[from, from + len)`. */
  #matches(start: number, source: string, from: number, len: number): boolean {
    const text = this.#text;
    if (start + len > text.length) return false;
    for (let i = 0; i < len; i++) {
      if (text.charCodeAt(start + i) !== source.charCodeAt(from + i)) return false;
    }
    const after = start + len === text.length ? NEWLINE : text.charCodeAt(start + len);
    return after === SPACE || after === NEWLINE;
  }
}

/** Calls `fn` with the offsets and line flags of every word of `<flags> word word …` lines. */
function forEachWord(text: string, fn: (start: number, end: number, flags: number) => void): void {
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf("\n", pos);
    if (eol === -1) eol = text.length;
    if (eol > pos) {
      let i = text.indexOf(" ", pos);
      if (i === -1 || i > eol) i = eol;
      const flags = Number(text.slice(pos, i));
      while (i < eol) {
        const start = i + 1;
        let end = text.indexOf(" ", start);
        if (end === -1 || end > eol) end = eol;
        if (end > start) fn(start, end, flags);
        i = end;
      }
    }
    pos = eol + 1;
  }
}
