/**
 * Finds every requested entity in one text: the validating detectors first (each skipped when the text
 * lacks the character it needs), then names. Overlaps are resolved by {@link resolveOverlaps}.
 *
 * @module
 */
import { type Entity, resolveOverlaps, type Span } from "./entities.ts";
import { gazetteer } from "./gazetteer.ts";
import { findNames } from "./names.ts";
import { type NerModel, nerModel } from "./_ner_model.ts";
import { findAddresses } from "./detectors/address.ts";
import { findCards } from "./detectors/card.ts";
import { findDatesOfBirth } from "./detectors/date_of_birth.ts";
import { findEmails } from "./detectors/email.ts";
import { findIbans } from "./detectors/iban.ts";
import { findIps } from "./detectors/ip.ts";
import { findNationalIds, findSsns } from "./detectors/national_id.ts";
import { findPhones } from "./detectors/phone.ts";
import { findSecretUrls } from "./detectors/url.ts";
import { readsAsUserPost } from "./_user_post.ts";

/** What {@link detectSpans} looks for. */
export interface DetectOptions {
  entities: ReadonlySet<Entity>;
  /** Let compromise settle capitalised words the rules cannot (default true). */
  nlp?: boolean;
  /** Take unknown capitalised words no other rule settles for names (default true). */
  unknownAsPerson?: boolean;
  /** Let the person-name model mark names (default true). */
  model?: boolean;
  /**
   * The model's probability from which a word is a name (default: the shipped model's tuned threshold,
   * or its user-posts threshold in a text that reads as a user post, see {@link modelThreshold}).
   */
  threshold?: number;
  /** Folded names the customer listed, found in any casing. */
  knownNames?: ReadonlySet<string>;
}

const DIGIT = /\d/;
const LETTER = /\p{L}/u;

/**
 * The entity spans of `text`, sorted and without overlaps.
 *
 * @param rowNames folded names from the same row (see `rowNameSet`), matched as persons in any casing.
 */
export function detectSpans(text: string, options: DetectOptions, rowNames?: ReadonlySet<string>): Span[] {
  const want = options.entities;
  const out: Span[] = [];
  if (text.length < 2) return out;
  if (want.has("url")) findSecretUrls(text, out);
  if (want.has("email")) findEmails(text, out);
  if (DIGIT.test(text)) {
    if (want.has("iban")) findIbans(text, out);
    if (want.has("card")) findCards(text, out);
    if (want.has("ssn")) findSsns(text, out);
    if (want.has("national_id")) findNationalIds(text, out);
    if (want.has("ip")) findIps(text, out);
    if (want.has("phone")) findPhones(text, out);
    if (want.has("date_of_birth")) findDatesOfBirth(text, out);
    if (want.has("address")) findAddresses(text, out);
  }
  const person = want.has("person");
  const location = want.has("location");
  const organization = want.has("organization");
  if ((person || location || organization) && LETTER.test(text)) {
    findNames(text, out, {
      person,
      location,
      organization,
      nlp: options.nlp,
      unknownAsPerson: options.unknownAsPerson,
      gazetteer: gazetteer(),
      rowNames,
      knownNames: options.knownNames,
      model: options.model === false ? undefined : modelOf(text, options.threshold),
    });
  }
  return out.length < 2 ? out : resolveOverlaps(out);
}

/**
 * The model threshold for `text`: the one asked for, else the model's user-posts threshold when the text
 * reads as a user post (a tweet, comment or chat line, where casing says less about names and the
 * targets allow more false hits; see {@link readsAsUserPost}), else its default threshold.
 */
export function modelThreshold(
  text: string,
  asked: number | undefined,
  model: NerModel = nerModel(),
): number {
  return asked ?? (readsAsUserPost(text) ? model.postsThreshold : model.threshold);
}

/** The shipped model with the threshold for `text`. */
function modelOf(text: string, threshold: number | undefined) {
  const ner = nerModel();
  return { ner, threshold: modelThreshold(text, threshold, ner) };
}
