/**
 * Every heuristic `privaci scan` uses, as data in one place: what each kind of personal data becomes, the
 * column-name patterns, the name prefixes that mark a person's data, the names that mark codes rather than
 * people, the content thresholds, and the magic bytes of images and documents. The classifier
 * (classify.ts) only reads these tables.
 *
 * @module
 */
import type { Entity } from "../strategies/text/entities.ts";
import type { TypeFamily } from "../strategies/types.ts";

/** Every kind of column scan tells apart; `null` (not personal) is the absence of a kind. */
export const KINDS = [
  "email",
  "phone",
  "person",
  "first_name",
  "last_name",
  "username",
  "street",
  "city",
  "postcode",
  "iban",
  "card",
  "ssn",
  "national_id",
  "ip",
  "date_of_birth",
  "free_text",
  "secret",
  "document",
] as const;

/** One kind of personal column, see {@link KINDS}. */
export type Kind = (typeof KINDS)[number];

/** What a kind is called in evidence, and the rule it gets. */
export interface KindRule {
  /** Plural noun for evidence comments ("e-mail addresses"). */
  label: string;
  /** The strategy for a column of this kind. */
  strategy: string;
  /** Extra params of that strategy. */
  params?: Record<string, unknown>;
}

/** The rule for each kind. A rule that does not fit its column falls back to `redact` (see draft). */
export const KIND_RULES: Readonly<Record<Kind, KindRule>> = {
  email: { label: "e-mail addresses", strategy: "fake.email" },
  phone: { label: "phone numbers", strategy: "fake.phone" },
  person: { label: "person names", strategy: "fake.full_name" },
  first_name: { label: "first names", strategy: "fake.first_name" },
  last_name: { label: "last names", strategy: "fake.last_name" },
  username: { label: "user names", strategy: "fake.username" },
  street: { label: "street addresses", strategy: "fake.street" },
  city: { label: "cities", strategy: "fake.city" },
  postcode: { label: "postcodes", strategy: "fake.postcode" },
  iban: { label: "IBANs", strategy: "fake.iban" },
  card: { label: "card numbers", strategy: "fake.card" },
  ssn: { label: "social security numbers", strategy: "fake.ssn" },
  national_id: { label: "national id numbers", strategy: "hash" },
  ip: { label: "IP addresses", strategy: "fake.ip" },
  date_of_birth: { label: "dates of birth", strategy: "fake.date_of_birth" },
  free_text: { label: "texts holding personal data", strategy: "text.scrub" },
  secret: { label: "secrets", strategy: "redact" },
  document: { label: "images or documents", strategy: "redact" },
};

/**
 * Params added only while scan checks that a rule builds a masker for its column, never written to the
 * policy: a check needs no detector workers.
 */
export const PROBE_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  "text.scrub": { workers: 0 },
};

/** A strategy that keeps a key joinable when the kind's own strategy cannot promise distinct outputs. */
export const JOINABLE_FALLBACK = "hash";

/** A column-name pattern and the kind it suggests for columns of the given type families. */
export interface NameRule {
  pattern: RegExp;
  kind: Kind;
  families: readonly TypeFamily[];
  /**
   * A weak pattern (a bare `name`) counts only after a personal prefix, in a table of people
   * ({@link PERSON_TABLES}), or when content agrees: `products.name` is not a person.
   */
  weak?: true;
}

/** Table names whose rows are people. */
export const PERSON_TABLES =
  /(^|_)(customers?|users?|employees?|people|persons?|contacts?|members?|patients?|students?|clients?|staff|profiles?|accounts?|subscribers?|recipients?|authors?)$/i;

const TEXT: readonly TypeFamily[] = ["string"];
const DATES: readonly TypeFamily[] = ["date", "timestamp", "string"];

/**
 * Column names, matched after a personal prefix ({@link PERSONAL_PREFIXES}) is taken off; the first match
 * wins, so specific patterns come before general ones.
 */
export const NAME_RULES: readonly NameRule[] = [
  { pattern: /e_?mail/i, kind: "email", families: TEXT },
  { pattern: /^(first|given|fore)_?name$|^fname$/i, kind: "first_name", families: TEXT },
  { pattern: /^(last|family|sur)_?name$|^lname$/i, kind: "last_name", families: TEXT },
  {
    pattern: /^(full|display|contact|person|customer|real|legal|maiden)_?name$/i,
    kind: "person",
    families: TEXT,
  },
  { pattern: /^name$/i, kind: "person", families: TEXT, weak: true },
  { pattern: /phone|mobile|^fax$|^(tel|cell)$/i, kind: "phone", families: TEXT },
  {
    pattern: /^(street|address\d?|address_?line_?\d?|addr\d?|street_?address)$/i,
    kind: "street",
    families: TEXT,
  },
  { pattern: /^(city|town)$/i, kind: "city", families: TEXT },
  { pattern: /^(postal_?code|post_?code|zip(_?code)?)$/i, kind: "postcode", families: TEXT },
  { pattern: /iban/i, kind: "iban", families: TEXT },
  { pattern: /card_?(number|no|num)$|^pan$|^cc_?(number|no|num)$/i, kind: "card", families: TEXT },
  { pattern: /ssn|social_?security/i, kind: "ssn", families: TEXT },
  { pattern: /passport|national_?id|tax_?id|^nin$|driver_?licen[cs]e/i, kind: "national_id", families: TEXT },
  { pattern: /(^|_)ip(_?addr(ess)?)?$/i, kind: "ip", families: ["string", "network"] },
  { pattern: /birth|^dob$/i, kind: "date_of_birth", families: DATES },
  { pattern: /user_?name|^login$/i, kind: "username", families: TEXT },
  { pattern: /password|passwd|secret|token|api_?key/i, kind: "secret", families: ["string", "bytea"] },
  {
    pattern: /photo|image|avatar|picture|portrait|signature|scan|attachment|document/i,
    kind: "document",
    families: [
      "bytea",
    ],
  },
  { pattern: /note|comment|remark|message|body|memo/i, kind: "free_text", families: TEXT },
];

/**
 * Prefixes that make the rest of a column name about a person: `ship_name` is the recipient's name,
 * `billing_address` the payer's street. The rest is matched against {@link NAME_RULES}; a bare `name` or
 * `address` after one of them is a person's name or street.
 */
export const PERSONAL_PREFIXES: readonly string[] = [
  "ship_",
  "shipping_",
  "billing_",
  "bill_",
  "contact_",
  "customer_",
  "delivery_",
  "recipient_",
  "home_",
  "work_",
  "emergency_",
  "guardian_",
];

/**
 * Names of columns that hold codes, not people: content that reads like a phone or id number there is
 * product data (`code`, `sku`), so those detectors do not count. E-mail addresses and names still do.
 */
export const CODE_NAMES =
  /(^|_)(code|sku|ref|reference|serial|isbn|ean|upc|gtin|part_?no|model|version|status|number|no)$/i;

/** The detectors whose evidence a code-like name ({@link CODE_NAMES}) discounts. */
export const CODE_DISCOUNTED: readonly Entity[] = ["phone", "national_id", "ssn", "date_of_birth", "ip"];

/** The entity a text.scrub detector reports, and the kind a column wholly made of it is. */
export const ENTITY_KINDS: Readonly<Partial<Record<Entity, Kind>>> = {
  email: "email",
  phone: "phone",
  person: "person",
  address: "street",
  iban: "iban",
  card: "card",
  ssn: "ssn",
  national_id: "national_id",
  ip: "ip",
  date_of_birth: "date_of_birth",
};

/** The detectors scan runs over sampled text. */
export const SCAN_ENTITIES: readonly Entity[] = Object.keys(ENTITY_KINDS) as Entity[];

/** Content thresholds. */
export const THRESHOLDS = {
  /** Values per column the detectors read (the rest of the sample only counts NULLs). */
  detectValues: 200,
  /**
   * Values read first: when they already settle the column (a share of one entity at or above `high`, or,
   * for short labels, no match at all), the detectors stop there.
   */
  firstLook: 50,
  /** Fewer non-NULL sampled values than this and content says nothing; the name decides. */
  minValues: 5,
  /** Share of values that must be wholly one entity for the column to be of that kind. */
  whole: {
    email: 0.5,
    phone: 0.6,
    person: 0.5,
    address: 0.5,
    iban: 0.5,
    card: 0.5,
    ssn: 0.6,
    national_id: 0.6,
    ip: 0.6,
    date_of_birth: 0.5,
  } as Readonly<Partial<Record<Entity, number>>>,
  /** Share of values holding at least one entity inside longer text that makes a column free text. */
  freeText: 0.05,
  /** Average words per value from which a column counts as free text rather than labels. */
  freeTextWords: 3,
  /** Share of sampled bytea values with an image or document signature that makes it a document. */
  document: 0.3,
  /** Share of a JSON path's string values (or array elements) that must be one entity. */
  nested: 0.5,
  /** Evidence shares from which confidence is high. */
  high: 0.9,
  /**
   * Share of a free-text column's sampled texts with writing (four words or more, or an @handle or a
   * #hashtag) that read as user posts (strategies/text/_user_post.ts) from which the column holds user
   * posts and its rule gets {@link POSTS_PARAMS}. Chosen on the person-name model's training and tune
   * files only (tools/ner/config.ts): user posts are 1.7% or fewer of the SEC filings' texts and 3.4% or
   * fewer of GUM's training and tune documents (texts of one sentence and of five), but 59–82% of the
   * training tweets and 66% of BTC e with their @handles and hashtag signs removed (62–95% and 100% as
   * they are). The cut is a round figure near the midpoint of 3.4% and 59% on the log-odds scale (18%).
   */
  userPosts: 0.2,
  /** Sampled texts with writing (see `userPosts`) below which a column is not judged to hold user posts. */
  userPostsMinTexts: 20,
} as const;

/** Params added to a free-text column's rule when its sample reads as user posts (see `userPosts`). */
export const POSTS_PARAMS: Readonly<Record<string, unknown>> = { text: "posts" };

/**
 * Params by which a policy's own rule has chosen its person threshold: `scan -c` suggests
 * {@link POSTS_PARAMS} (in a comment, never by rewriting the rule) only to a rule with none of them.
 */
export const POSTS_CHOSEN: readonly string[] = ["text", "person_threshold"];

/** File signatures (magic bytes, as hex, at offset 0) of images and documents. */
export const MAGIC: readonly { hex: string; what: string }[] = [
  { hex: "ffd8ff", what: "JPEG image" },
  { hex: "89504e470d0a1a0a", what: "PNG image" },
  { hex: "474946383", what: "GIF image" },
  { hex: "424d", what: "BMP image" },
  { hex: "49492a00", what: "TIFF image" },
  { hex: "4d4d002a", what: "TIFF image" },
  { hex: "52494646", what: "RIFF (WebP) image" },
  { hex: "25504446", what: "PDF document" },
  { hex: "504b0304", what: "ZIP/Office document" },
  { hex: "d0cf11e0a1b11ae1", what: "OLE/Office document" },
  { hex: "151c", what: "OLE-wrapped image" },
];
