/**
 * Street addresses where the form is recognisable: a house number before a capitalised street name and a
 * street-type word (English: "221B Baker Street", "12 Oak Ave"), a street-type word before the number
 * (German, Dutch, Scandinavian: "Hauptstraße 5", "Kerkstraat 12a"), or a number before a French, Spanish,
 * Italian or Portuguese street-type word ("12 rue de la Paix", "Calle Mayor 3", "Via Roma 10").
 *
 * @module
 */
import type { Span } from "../entities.ts";

const EN_TYPES =
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Square|Sq|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Crescent|Close|Grove|Gardens|Trail|Alley|Row|Walk|Mews|Hill|Heights|Ridge|Loop|Pike|Plaza";
const EN = new RegExp(
  `(?<![\\w-])\\d{1,5}[A-Za-z]?,? (?:(?:[NSEW]\\.?|North|South|East|West) )?(?:\\p{Lu}[\\p{L}'’-]*\\.? ){1,4}(?:${EN_TYPES})\\b\\.?(?: (?:Apt\\.?|Suite|Unit|#) ?\\w{1,6})?`,
  "gu",
);
const DE =
  /(?<![\p{L}-])(?:\p{Lu}[\p{L}-]*(?:stra(?:ß|ss)e|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|straat|laan|gracht|plein|kade|steeg|singel|vej|gade|gatan|vägen|veien|gata)|(?:\p{Lu}[\p{L}-]* )+(?:Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz))\s\d{1,4}\s?[a-zA-Z]?\b/gu;
const PARTICLES = "(?:(?:de|del|de la|des|du|di|della|do|da|dos|das|la|le|les)\\s|l'|d')*";
const ROMANCE = new RegExp(
  [
    `(?<![\\w-])\\d{1,4}(?: ?(?:bis|ter|[A-Za-z]))?,? (?:[Rr]ue|[Aa]venue|av\\.|[Bb]oulevard|bd|[Pp]lace|[Cc]hemin|[Ii]mpasse|[Aa]llée|[Qq]uai|[Rr]oute|[Cc]ours) ${PARTICLES}[\\p{Lu}\\d][\\p{L}'’-]*(?: \\p{Lu}[\\p{L}'’-]*){0,3}`,
    `(?<![\\w-])(?:Calle|C\\/|Avenida|Avda\\.|Plaza|Paseo|Camino|Via|Viale|Piazza|Corso|Largo|Rua|Travessa|Praça) ${PARTICLES}\\p{Lu}[\\p{L}'’-]*(?: \\p{Lu}[\\p{L}'’-]*){0,3},? (?:n\\.?º? ?)?\\d{1,4}[A-Za-z]?\\b`,
  ].join("|"),
  "gu",
);

/** Appends a span for every street address in `text`. */
export function findAddresses(text: string, out: Span[]): void {
  for (const re of [EN, DE, ROMANCE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, entity: "address" });
    }
  }
}
