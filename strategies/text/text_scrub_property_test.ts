/**
 * Properties of `text.scrub` on arbitrary text with personal data planted in it:
 *
 * - text outside the detected spans comes out byte-identical (the spans are those detection finds in the
 *   input, so the masker neither touches other characters nor detects differently in a batch);
 * - a replacement never brings back a value detected in the input;
 * - the same value gets the same replacement wherever it occurs, in one row, in several rows and in
 *   another batch.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { detectSpans } from "./detect.ts";
import { ENTITIES, type Entity, type Span } from "./entities.ts";
import { normalizeValue, tagOf } from "./replace.ts";
import { batchOf, makeMasker } from "../_test_utils.ts";
import { ibanCheck, luhnCheckDigit } from "../keyed/_digits.ts";
import type { Cell } from "../types.ts";
import { propertyParams } from "../../tests/_random.ts";

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });

/** Values of the kinds text.scrub looks for, spelled as people write them. */
const planted = fc.oneof(
  fc.emailAddress(),
  digits(15).map((p) => {
    const card = "4" + p.slice(1) + luhnCheckDigit("4" + p.slice(1));
    return card.replace(/(\d{4})(?=\d)/g, "$1 ");
  }),
  digits(18).map((bban) => `DE${String(ibanCheck("DE", bban)).padStart(2, "0")}${bban}`),
  fc.ipV4(),
  digits(7).map((d) => `+1 415 ${d.slice(0, 3)} ${d.slice(3)}`),
  fc.tuple(
    fc.constantFrom("Margaret", "Oluwaseun", "Siobhan", "Dmitri", "Ingrid"),
    fc.constantFrom("Thistlewood", "Okonkwo", "Fairweather", "Castellanos"),
  ).map(([a, b]) => `${a} ${b}`),
);

/** Words around the data: any text, or plain lower-case prose. */
const filler = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.constantFrom("please call", "the invoice", "ok", "thanks!", "re: order", "見積もり", "—"),
);

const text = fc.array(fc.oneof(planted, filler), { minLength: 1, maxLength: 8 }).map((parts) =>
  parts.join(" ")
);

const OPTIONS = { entities: new Set<Entity>(ENTITIES), nlp: true, unknownAsPerson: true, model: true };

async function scrub(params: Record<string, unknown>, values: readonly Cell[]): Promise<Cell[]> {
  const masker = await makeMasker("text.scrub", { ...params, workers: 0 });
  try {
    return await masker.mask(values, batchOf());
  } finally {
    await masker.close?.();
  }
}

/** The text with each span replaced by its tag, by hand (not with the code under test). */
function withTags(text: string, spans: readonly Span[]): string {
  let out = "";
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    assert.ok(s.start >= at && s.end > s.start && s.end <= text.length, "spans are ordered and in range");
    out += text.slice(at, s.start) + tagOf(s.entity);
    at = s.end;
  }
  return out + text.slice(at);
}

Deno.test("text.scrub keeps every character outside the spans it detects", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 3 }), async (rows) => {
      const out = await scrub({ replace: "tag" }, rows);
      rows.forEach((row, i) => {
        const expected = withTags(row, detectSpans(row, OPTIONS));
        assert.equal(out[i], expected);
      });
    }),
    propertyParams(60),
  );
});

/** Segments joined by a separator detection never reaches across, so each output segment is its input's. */
const SEP = " ¦ ";

const segmentedRows = fc.array(fc.oneof(planted, planted, filler), { minLength: 1, maxLength: 6 }).chain((
  pool,
) =>
  fc.array(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 })
).map((rows) => rows.map((segments) => segments.map((s) => s.replaceAll("¦", ""))));

Deno.test("text.scrub replaces one value the same way everywhere and never with a value it detected", async () => {
  await fc.assert(
    fc.asyncProperty(segmentedRows, fc.constantFrom("fake", "hash"), async (rows, mode) => {
      const texts = rows.map((segments) => segments.join(SEP));
      const out = await scrub({ replace: mode }, texts);
      // Each row alone, in another batch of its own.
      const alone = await Promise.all(texts.map(async (t) => (await scrub({ replace: mode }, [t]))[0]));
      assert.deepEqual(alone, out, "the same rows give the same output in any batch");

      const detected = new Map<string, Entity>(); // normalised value -> entity, over every input
      const replacement = new Map<string, string>(); // entity + normalised value -> its replacement
      rows.forEach((segments, r) => {
        const got = out[r]!.split(SEP);
        assert.equal(got.length, segments.length, "the separators survive");
        // Spans as the masker finds them, in the whole row, assigned to the segments they fall in.
        const spans = detectSpans(texts[r], OPTIONS);
        for (const s of spans) {
          detected.set(normalizeValue(s.entity, texts[r].slice(s.start, s.end)), s.entity);
        }
        let at = 0;
        segments.forEach((segment, k) => {
          const inside = spans.filter((s) => s.start < at + segment.length && s.end > at);
          const whole = inside.length === 1 && inside[0].start === at &&
            inside[0].end === at + segment.length;
          at += segment.length + SEP.length;
          if (inside.length === 0) {
            assert.equal(got[k], segment, "a segment with nothing detected is unchanged");
          }
          // A segment that is one whole value: its output is that value's replacement.
          if (whole) {
            const id = `${inside[0].entity}\0${normalizeValue(inside[0].entity, segment)}`;
            const before = replacement.get(id);
            if (before !== undefined) {
              assert.equal(got[k], before, `one value, two replacements (row ${r + 1})`);
            }
            replacement.set(id, got[k]);
          }
        });
      });
      for (const [id, rep] of replacement) {
        const entity = id.slice(0, id.indexOf("\0")) as Entity;
        const back = detected.get(normalizeValue(entity, rep));
        assert.ok(back !== entity, `a replacement brings back a detected ${entity}`);
      }
    }),
    propertyParams(40),
  );
});
