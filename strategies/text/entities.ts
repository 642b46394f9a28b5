/**
 * The entity types `text.scrub` finds, and the span a detector reports for one of them.
 *
 * @module
 */

/** Every entity type, in the order the policy documents them. */
export const ENTITIES = [
  "person",
  "location",
  "organization",
  "email",
  "phone",
  "card",
  "iban",
  "ip",
  "ssn",
  "national_id",
  "url",
  "date_of_birth",
  "address",
] as const;

/** One entity type, see {@link ENTITIES}. */
export type Entity = (typeof ENTITIES)[number];

/** The entity types a policy gets when it names none. */
export const DEFAULT_ENTITIES: readonly Entity[] = ENTITIES;

/** Index of each entity type in {@link ENTITIES}, the form spans travel in between threads. */
export const ENTITY_INDEX: Readonly<Record<Entity, number>> = Object.fromEntries(
  ENTITIES.map((e, i) => [e, i]),
) as Record<Entity, number>;

/** A detected entity: UTF-16 offsets `[start, end)` into the text. */
export interface Span {
  start: number;
  end: number;
  entity: Entity;
}

/**
 * Which entity wins when two spans overlap: lower wins. Validating detectors beat names, so a name inside
 * an e-mail address is replaced as part of the address.
 */
const PRIORITY: Readonly<Record<Entity, number>> = {
  url: 0,
  email: 1,
  iban: 2,
  card: 3,
  ssn: 4,
  national_id: 5,
  ip: 6,
  // An address's postcode ("05803-9624") can read as a telephone number; the street around it says otherwise.
  address: 7,
  phone: 8,
  date_of_birth: 9,
  person: 10,
  organization: 11,
  location: 12,
};

/**
 * Sorts spans by start and drops every span that overlaps one of higher priority (or, at equal priority,
 * a longer one). Adjacent spans of the same entity type stay separate.
 */
export function resolveOverlaps(spans: readonly Span[]): Span[] {
  const ranked = spans.slice().sort((a, b) =>
    PRIORITY[a.entity] - PRIORITY[b.entity] || (b.end - b.start) - (a.end - a.start) || a.start - b.start
  );
  const kept: Span[] = [];
  for (const s of ranked) {
    if (s.end <= s.start) continue;
    if (kept.every((k) => s.end <= k.start || s.start >= k.end)) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
