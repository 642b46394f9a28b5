import assert from "node:assert/strict";
import { WORDS } from "./_gazetteer_data.ts";
import { WordTable } from "./_word_table.ts";

/** The gazetteer lines read into a Map, word by word, the plain way the table must agree with. */
function plainMap(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.length === 0) continue;
    const [flags, ...words] = line.split(" ");
    for (const w of words) map.set(w, Number(flags));
  }
  return map;
}

Deno.test("WordTable holds every word of the generated gazetteer with its flags, and nothing else", () => {
  const expected = plainMap(WORDS);
  const table = new WordTable(WORDS);
  assert.equal(table.size, expected.size);
  for (const [word, flags] of expected) assert.equal(table.get(word), flags, word);
  // Prefixes, extensions and neighbours of listed words are not listed words.
  for (const word of ["", "mari", "mariaa", "maria ", " maria", "3073", "giulia\n", "zzzzqx", "ber-lin"]) {
    assert.equal(table.get(word), expected.get(word), JSON.stringify(word));
  }
});

Deno.test("WordTable: a word listed twice takes its last line's flags; lines without words add none", () => {
  const table = new WordTable("\n1 ana bo\n\n6\n2 bo cé\n");
  assert.equal(table.size, 3);
  assert.equal(table.get("ana"), 1);
  assert.equal(table.get("bo"), 2);
  assert.equal(table.get("cé"), 2);
  assert.equal(table.get("c"), undefined);
  assert.equal(table.get("6"), undefined);
});
