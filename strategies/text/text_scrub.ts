/**
 * `text.scrub`: finds personal data in free text (names, places, organisations, e-mail addresses, phone,
 * card, IBAN and national id numbers, IPs, secret-bearing URLs, dates of birth, street addresses) and
 * replaces each occurrence, leaving the rest of the text byte-identical. Detection runs on a pool of
 * workers; replacements are applied on the calling thread with maskers resolved from the registry, so a
 * name in a ticket becomes what `fake.full_name` makes of it in the customer's row.
 *
 * @module
 */
import { z } from "zod";
import { StrategyParamsError } from "../errors.ts";
import type { BatchContext, Cell, ColumnMasker, StrategyDefinition, StrategyInit } from "../types.ts";
import { DEFAULT_ENTITIES, ENTITIES, type Entity } from "./entities.ts";
import { rowNameSet } from "./row_names.ts";
import { defaultDetectorWorkers, DetectorPool } from "./pool.ts";
import { NER_THRESHOLDS } from "./_ner_thresholds.ts";
import { splitNameMasker } from "./_split_name.ts";
import {
  applySpans,
  hashReplacement,
  normalizeValue,
  REDACTED,
  REPLACE_MODES,
  type ReplaceMode,
  tagOf,
} from "./replace.ts";

/** The strategy that writes `fake` replacements for each entity type; the others fall back to `tag`. */
export const FAKE_STRATEGIES: Readonly<Partial<Record<Entity, string>>> = {
  person: "fake.full_name",
  email: "fake.email",
  phone: "fake.phone",
  card: "fake.card",
  iban: "fake.iban",
  ip: "fake.ip",
  location: "fake.city",
  organization: "fake.company",
  ssn: "fake.ssn",
  url: "fake.url",
  address: "fake.street",
};

const Mode = z.enum(REPLACE_MODES);

/** Values of `text.scrub`'s `text` param: how the person-name model's threshold is chosen per text. */
export const TEXT_KINDS = ["auto", "posts"] as const;
const EntityName = z.enum(ENTITIES);

/** Params of `text.scrub`. */
export const TextScrubParams = z.strictObject({
  /** Entity types to find. */
  entities: z.array(EntityName).min(1).default([...DEFAULT_ENTITIES]).describe(
    "Entity types to find: person, location, organization, email, phone, card, iban, ip, ssn, " +
      "national_id, url, date_of_birth, address (all by default)",
  ),
  /** One mode for every entity type, or one per type (types left out get `tag`). */
  replace: z.union([Mode, z.partialRecord(EntityName, Mode)]).default("tag").describe(
    "How each finding is replaced: tag ([PERSON]), fake (what the matching fake.* strategy writes, e.g. " +
      "fake.full_name for a person), hash (a keyed pseudonym) or redact; one mode for all, or one per " +
      "entity type ({ person: fake, card: redact }; types left out get tag)",
  ),
  /** Columns of the same row whose values are names to find in the text in any casing. */
  names_from: z.array(z.string().min(1)).default([]).describe(
    "Columns of the same row whose values are names to find in the text in any casing (e.g. " +
      "[first_name, last_name] finds the customer's own name in their ticket)",
  ),
  /**
   * How `fake` rewrites a person: `full_name` as `fake.full_name` does (for a full-name column), or
   * `first_last` as `fake.first_name` + `fake.last_name` do (for split name columns).
   */
  person_style: z.enum(["full_name", "first_last"]).default("full_name").describe(
    "How replace: fake rewrites a person: full_name as fake.full_name does (for a full-name column), or " +
      "first_last as fake.first_name and fake.last_name do (for split name columns)",
  ),
  /** The domain of the `fake.full_name` masker, to match the one the person columns use. */
  person_domain: z.string().min(1).optional().describe(
    "Domain of the fake.full_name masker, the same as the person columns' rule, so a name in the text " +
      "becomes what it becomes in its row",
  ),
  /** With `first_last`: the domains of the `fake.first_name` and `fake.last_name` maskers. */
  first_name_domain: z.string().min(1).optional().describe(
    "With person_style: first_last, the domain of the fake.first_name masker (the first-name column's)",
  ),
  last_name_domain: z.string().min(1).optional().describe(
    "With person_style: first_last, the domain of the fake.last_name masker (the last-name column's)",
  ),
  /** Detector workers; defaults to {@link defaultDetectorWorkers}, 0 detects on the calling thread. */
  workers: z.int().min(0).max(256).optional().describe(
    "Detector worker threads; default the number of cores (one on a machine of two cores or fewer), 0 " +
      "detects on the masking thread",
  ),
  /** Let compromise settle capitalised words the rules cannot (slower, finds more organisations). */
  nlp: z.boolean().default(true).describe(
    "Let the compromise NLP library settle capitalised words the rules cannot (slower, finds more " +
      "organisations and places)",
  ),
  /**
   * Find person names with the statistical model trained by tools/ner (default true). Without it only
   * the word lists, cues and compromise decide.
   */
  person_model: z.boolean().default(true).describe(
    "Find person names with the statistical model trained by tools/ner (trained on public labelled corpora, see THIRD_PARTY_NOTICES.md)",
  ),
  /**
   * The model's probability from which a word is taken for part of a name. The default (the shipped
   * model's tuned threshold, see docs/strategies.md) favours recall: a missed name leaks, a masked
   * ordinary word does not. A text that reads as a user post (an @handle or a #hashtag, informal casing,
   * emoticons, chat abbreviations; `_user_post.ts`) gets the lower threshold tuned on tweets. Raise it to
   * mask fewer ordinary words.
   */
  person_threshold: z.number().gt(0).lt(1).optional().describe(
    `Model probability from which a word is part of a name; default ${NER_THRESHOLDS.threshold} (tuned for recall on news-like text), and ${NER_THRESHOLDS.postsThreshold} in a text that reads as a user post (an @handle or #hashtag, or informal casing, emoticons, chat abbreviations; tuned likewise on tweets); a value set here applies to every text: lower finds more names, higher masks fewer ordinary words`,
  ),
  /**
   * What the column holds: `auto` (the default) reads each text on its own and gives a text that reads as
   * a user post the user-posts threshold; `posts` gives it to every text, for a column of user posts
   * (comments, chat, reviews), where a well-formed row is a post too. `privaci scan` writes `posts` when
   * enough of a column's sample reads as user posts. `person_threshold` overrides both.
   */
  text: z.enum(TEXT_KINDS).default("auto").describe(
    `What the column holds: auto reads each text on its own (the user-posts threshold, ${NER_THRESHOLDS.postsThreshold}, for a text that reads as a user post, else ${NER_THRESHOLDS.threshold}); posts gives every text the user-posts threshold, for a column of comments, chat or reviews where a well-formed row is a post too (privaci scan proposes it from the column's sample); person_threshold overrides both`,
  ),
  /**
   * Your own list of names to find in any casing in every row (staff, customers' names no public list
   * holds, product code names that are people's names); each entry may hold several words.
   */
  known_names: z.array(z.string().min(1)).default([]).describe(
    "Your own names to find in any casing in every row (names no public list holds); an entry may hold several words",
  ),
  /**
   * Take capitalised words that no list, cue or compromise explains for person names (default true):
   * more names found in user-written text, at the price of masking some product and title words.
   */
  unknown_as_person: z.boolean().default(true).describe(
    "Take capitalised words that no list, cue or compromise explains for person names: more names found " +
      "in user-written text, at the price of masking some product and title words",
  ),
});

/** Validated params of `text.scrub`. */
export type TextScrubParams = z.infer<typeof TextScrubParams>;

/** The `text.scrub` strategy. */
export const textScrub = {
  meta: {
    name: "text.scrub",
    suggest: [{ columnName: "note|comment|body|description|message", families: ["string"], rank: 17 }],
    ownWorkers: true,
    description:
      "Replaces names, places, organisations, contact, payment and id numbers found in free text, keeping the rest",
    columnTypes: ["string"],
    deterministic: true,
    reproduces: "input",
    unique: false,
    keyed: true,
    examples: [
      {
        params: { entities: ["email", "card"], replace: "tag" },
        input: "Card 4111 1111 1111 1111, reply to ana@example.com please",
        output: "Card [CARD], reply to [EMAIL] please",
      },
    ],
  },
  params: TextScrubParams,
  async create(init: StrategyInit<TextScrubParams>): Promise<ColumnMasker> {
    const { params } = init;
    const entities = [...new Set(params.entities)];
    const modes = new Map<Entity, ReplaceMode>();
    for (const e of entities) {
      modes.set(e, typeof params.replace === "string" ? params.replace : params.replace[e] ?? "tag");
    }
    if ([...modes.values()].includes("hash") && init.key === null) {
      throw new StrategyParamsError('Cannot use replace "hash" in text.scrub as the policy has no key', {
        hint: "set 'key:' in the policy, or use replace: tag",
      });
    }
    const fakes = new Map<Entity, ColumnMasker>();
    try {
      for (const [entity, mode] of modes) {
        const strategy = FAKE_STRATEGIES[entity];
        if (mode !== "fake" || strategy === undefined) continue;
        try {
          fakes.set(entity, await resolveFake(init, entity, strategy));
        } catch (e) {
          throw new StrategyParamsError(
            `Cannot use replace "fake" for ${entity} in text.scrub as strategy "${strategy}" is not usable: ${
              (e as Error).message
            }`,
            { hint: `use replace: { ${entity}: tag } (or hash, redact) for this entity` },
          );
        }
      }
    } catch (e) {
      for (const m of fakes.values()) await m.close?.();
      throw e;
    }
    const size = params.workers ?? defaultDetectorWorkers();
    const pool = await DetectorPool.create({
      size,
      entities,
      nlp: params.nlp,
      unknownAsPerson: params.unknown_as_person,
      model: params.person_model,
      threshold: personThreshold(params),
      knownNames: [...rowNameSet(params.known_names)],
    });
    return new TextScrubMasker({
      pool,
      modes,
      fakes,
      key: init.key,
      namesFrom: params.names_from,
      maxLength: init.column.maxLength,
    });
  },
} satisfies StrategyDefinition<TextScrubParams>;

/**
 * The model threshold `params` ask for every text: `person_threshold`, else the user-posts threshold
 * with `text: posts`; `undefined` leaves it to each text (see `modelThreshold` in detect.ts).
 */
export function personThreshold(params: TextScrubParams): number | undefined {
  return params.person_threshold ?? (params.text === "posts" ? NER_THRESHOLDS.postsThreshold : undefined);
}

/** The masker that writes `fake` values for one entity type. */
async function resolveFake(
  init: StrategyInit<TextScrubParams>,
  entity: Entity,
  strategy: string,
): Promise<ColumnMasker> {
  const { params } = init;
  const column = { maxLength: null, notNull: false };
  if (entity !== "person") return await init.resolve({ strategy, domain: strategy }, column);
  if (params.person_style === "full_name") {
    return await init.resolve({ strategy, domain: params.person_domain ?? strategy }, column);
  }
  const given = await init.resolve(
    { strategy: "fake.first_name", domain: params.first_name_domain ?? "fake.first_name" },
    column,
  );
  try {
    const family = await init.resolve(
      { strategy: "fake.last_name", domain: params.last_name_domain ?? "fake.last_name" },
      column,
    );
    return splitNameMasker(given, family);
  } catch (e) {
    await given.close?.();
    throw e;
  }
}

interface MaskerParts {
  pool: DetectorPool;
  modes: Map<Entity, ReplaceMode>;
  fakes: Map<Entity, ColumnMasker>;
  key: Uint8Array | null;
  namesFrom: readonly string[];
  maxLength: number | null;
}

class TextScrubMasker implements ColumnMasker {
  readonly reads: readonly string[];
  #p: MaskerParts;

  constructor(parts: MaskerParts) {
    this.#p = parts;
    this.reads = parts.namesFrom;
  }

  async mask(values: readonly Cell[], batch: BatchContext): Promise<Cell[]> {
    const p = this.#p;
    let names: string[][] | null = null;
    if (p.namesFrom.length > 0) {
      const cols = p.namesFrom.map((c) => batch.column(c));
      names = values.map((_, i) => [...rowNameSet(cols.map((c) => c[i]))]);
    }
    const spans = await p.pool.detect(values, names);
    // Fake values: one call per entity type per batch, on the distinct normalised values.
    const faked = new Map<Entity, Map<string, string>>();
    for (const [entity, masker] of p.fakes) {
      const originals = new Map<string, string>();
      spans.forEach((row, i) => {
        for (const s of row) {
          if (s.entity !== entity) continue;
          const original = values[i]!.slice(s.start, s.end);
          const norm = normalizeValue(entity, original);
          if (!originals.has(norm)) originals.set(norm, original);
        }
      });
      if (originals.size === 0) continue;
      const inputs = [...originals.values()];
      const sub: BatchContext = {
        table: batch.table,
        firstRow: batch.firstRow,
        column: () => new Array<Cell>(inputs.length).fill(null),
      };
      let got: Cell[];
      try {
        got = await masker.mask(inputs, sub);
      } catch {
        // A fake strategy that cannot take one of these values: the tag still hides them.
        continue;
      }
      const map = new Map<string, string>();
      [...originals.keys()].forEach((norm, k) => map.set(norm, got[k] ?? tagOf(entity)));
      faked.set(entity, map);
    }
    return values.map((text, i) => {
      if (text === null || spans[i].length === 0) return text;
      const out = applySpans(text, spans[i], (s, original) => {
        switch (p.modes.get(s.entity)) {
          case "redact":
            return REDACTED;
          case "hash":
            return hashReplacement(p.key!, s.entity, original);
          case "fake": {
            const v = faked.get(s.entity)?.get(normalizeValue(s.entity, original));
            return v ?? tagOf(s.entity);
          }
          default:
            return tagOf(s.entity);
        }
      });
      return p.maxLength !== null ? truncate(out, p.maxLength) : out;
    });
  }

  async close(): Promise<void> {
    this.#p.pool.close();
    for (const m of this.#p.fakes.values()) await m.close?.();
  }
}

/** Cuts `text` to at most `max` characters (code points), as varchar(n) counts them. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cps = Array.from(text);
  return cps.length <= max ? text : cps.slice(0, max).join("");
}
