/**
 * Street addresses where the form is recognisable, in many locales. A street is found by its shape:
 * a house number and a street-type word ("221B Baker Street", "12 rue de la Paix", "Calle Mayor 3",
 * "ul. Kwiatowa 5", "Sağlık Sokak 82", "вул. Ліста, 655"), a compound street name and a number
 * ("Hauptstraße 5", "Kerkstraat 12a", "Søndergade 12A"), or any capitalised name and number that a
 * postcode and town follow ("Uzoučká 16, 54628 Bílovec"). The span then takes in what follows the street
 * as part of the address: a flat or floor ("Apt. 5", "m. 12", "2º Dcha.", "3 hoog"), and the postcode and
 * town after a comma or on the next line (the town alone after a comma).
 *
 * @module
 */
import type { Span } from "../entities.ts";

/** A house number: "12", "12a", "7/3", "221B". */
const NUM = String.raw`\d{1,5}(?:[a-zA-Z](?![\p{L}\p{N}]))?(?:\/\d{1,4})?`;
/** Words that open a flat or floor, never part of a street's name. */
const UNIT_WORDS =
  "Apt|Apto|Suite|Unit|Casa|Lote|Quadra|Sobrado|Hus|Lgh|Zimmer|Bloc|Flat|Piano|Appartamento|Bajo|Ático|Ap";
/** A capitalised word of a street or town name (or an ordinal: "4th"). */
const WORD = String
  .raw`(?:(?!(?:${UNIT_WORDS})(?![\p{L}]))\p{Lu}[\p{L}\p{M}'’-]*|\p{Lu}\.(?= \p{Lu})|\d{1,3}(?:st|nd|rd|th))`;
/** Small words inside street and town names, with the space after them ("de ", "d'"). */
const PARTICLE = String
  .raw`(?:(?:de|del|della|delle|di|da|das|do|dos|du|des|la|le|les|los|las|el|van|von|der|den|aan|am|an|im|upon|on|en|sur|sous|y|i|a|nad|pod|na|bei|ob|unter|ve|v|u) |[lLdD]['’])`;
/** Not followed by a letter or digit (JavaScript's \b knows ASCII letters only). */
const END = String.raw`(?![\p{L}\p{N}])`;

/** Street-type words written before the name. */
const TYPE_BEFORE = [
  "Rue|Avenue|Av\\.|Boulevard|Bd|Quai|Passage|Impasse|Place|Allée|Voie|Chemin|Route|Cours|Square|Sentier|Faubourg",
  "rue|avenue|boulevard|bd|quai|impasse|place|allée|chemin|route|cours",
  "Calle|C\\/|Avenida|Avda\\.|Plaza|Paseo|Camino|Carretera|Ronda|Glorieta|Travesía|Aldea|Urbanización|Apartamento",
  "Caserio|Barrio|Colonia|Arrabal|Arroyo|Bajada|Barranco|Bloque|Calleja|Conjunto|Cuesta|Chalet|Edificio|Entrada",
  "Escalinata|Explanada|Extramuros|Extrarradio|Grupo|Huerta|Jardines|Lugar|Manzana|Masía|Monte|Muelle|Parcela",
  "Parque|Partida|Pasaje|Poblado|Polígono|Prolongación|Puente|Puerta|Quinta|Ramal|Rambla|Rampa|Riera|Rincón|Salida",
  "Sector|Sección|Senda|Solar|Subida|Torrente|Vía|Municipio|Mercado|Colegio|Ferrocarril|Lado|Gran Subida",
  "Am|Im|An der|An den|Auf der|Auf dem|Zum|Zur|In der|Unter den|Náměstí|Nábřeží|Terrenos",
  "Via|Viale|Piazza|Piazzale|Corso|Largo|Strada|Borgo|Contrada|Rotonda|Incrocio|Vicolo|Lungomare",
  "Rua|Travessa|Alameda|Marginal|Rodovia|Praça|Estrada|Largo|Ladeira",
  "Aleea|Bulevardul|Intrarea|Calea|Splaiul|Șoseaua|Soseaua|Piața",
  "ul\\.|al\\.|pl\\.|os\\.|ulica|aleja|droga|ogród|park|rondo|rynek|skwer|szosa|wyb\\.|wyspa|bulw\\.",
  "вул\\.|вулиця|пр\\.|проспект|пл\\.|площа|пров\\.|провулок|ул\\.|улица|ал\\.|аллея|наб\\.|набережная|площадь|пер\\.|переулок|ш\\.|шоссе",
  "Västra|Östra|Norra|Södra|Övre|Undre",
].join("|");

/** Short Czech and Slovak street openers ("K Topolům 12", "Na Farkáně 21"): only before a name and number. */
const SHORT_BEFORE = "Na|Pod|Nad|Za|U|K|V|Ve|Do|Ke";

/** Street-type words written after the name (US Postal Service suffixes and their kin elsewhere). */
const TYPE_AFTER = [
  "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Square|Sq",
  "Parkway|Pkwy|Circle|Cir|Highway|Hwy|Crescent|Close|Grove|Groves|Gardens|Garden|Trail|Alley|Row|Walk|Mews",
  "Hill|Hills|Heights|Ridge|Loop|Pike|Plaza|Park|Run|Gate|Meadow|Meadows|Green|Greens|Ranch|Haven|Mill|Mills",
  "Ramp|Trafficway|Inlet|Forks|Fork|Junction|Crest|Lake|Lakes|Branch|Bridge|Brook|Brooks|Burg|Burgs|Bypass|Camp",
  "Canyon|Cape|Causeway|Center|Centers|Circles|Cliff|Cliffs|Club|Common|Commons|Corner|Corners|Course|Courts",
  "Cove|Coves|Creek|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drives|Estate|Estates|Expressway|Extension",
  "Extensions|Fall|Falls|Ferry|Field|Fields|Flats|Ford|Fords|Forest|Forge|Forges|Fort|Freeway|Gateway",
  "Glen|Glens|Harbor|Harbors|Hollow|Island|Islands|Isle|Junctions|Key|Keys|Knoll|Knolls|Landing|Light|Lights",
  "Locks|Lodge|Manor|Manors|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval|Overpass|Pass|Passage",
  "Path|Pine|Pines|Plain|Plains|Point|Points|Port|Ports|Prairie|Radial|Rapid|Rapids|Rest|Route|Shoal|Shoals",
  "Shore|Shores|Skyway|Spring|Springs|Spur|Spurs|Squares|Station|Stravenue|Stream|Streets|Summit|Throughway",
  "Trace|Track|Tunnel|Turnpike|Underpass|Union|Unions|Valley|Valleys|Viaduct|View|Views|Village|Villages|Ville",
  "Vista|Wall|Ways|Well|Wells|Circuit|Mall|Parade|Rise|Croft|Bank|End|Drove|Mead|Chase|Yard|Garth|Fold|Wynd",
  "Vale|Brae|Grange|Approach|Wood|Paddock|Brow|Lea|Side|Copse|Glade|Walks|Ridges|Hollows|Alle|Lock|Loaf|Spinney",
  "Sokak|Sokağı|Caddesi|Cad\\.|Bulvarı|Mahallesi|Kvarter|Väg|Gata|Gatan|Vägen|Allé|Vej|Gade|Stræde|Plads",
  "набережная|улица|площадь|аллея|майдан|проспект|переулок|шоссе|наб\\.|ал\\.|пл\\.|ул\\.|пер\\.|пр\\.",
].join("|");

/** Endings of one-word street names ("Hauptstraße", "Kerkstraat", "Storgatan", "Søndergade"). */
const COMPOUND =
  "(?:stra(?:ß|ss)e|str\\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|straat|laan|gracht|plein|kade|steeg|singel|plantsoen|dijk|park|vej|vejen|gade|Str\\.|Straße|stræde|gatan|vägen|gränden|gärdet|allén|gata|veien|veg|torget|torv)";

/** Postcodes: US ZIP(+4), Brazil, Netherlands, Poland, UK, Czech/Swedish/Indian groups, 4 to 6 digits. */
const POSTCODE = String
  .raw`(?:\d{5}-\d{3,4}|\d{4} ?[A-Z]{2}(?![\p{L}])|\d{2}-\d{3}|[A-Z]{1,2}\d{1,2}[A-Z]? ?\d[A-Z\d]{2}|\d{3} \d{2,3}|\d{4,6})`;
/** A town: capitalised words with particles, and up to two lower-case words closing it ("Massima a mare"). */
const TOWN = String.raw`${WORD}(?:(?:[ -]|(?<=['’]))(?:${WORD}|${
  PARTICLE.replace(/ \|/, "|")
}))*(?:(?: \p{Ll}{1,12}){1,2}(?=[.,;!?)]|[ \t]*(?:\n|$)))?(?: \([^)\n]{1,16}\))?`;
/** Where the street ends: a comma, or the end of its line. */
const AFTER_STREET = String.raw`(?:,[ \t]*|[ \t]*\n[ \t]*)`;

/** A flat, floor or building after the street. */
const UNIT = String
  .raw`(?:,? (?:Apto\.|Apt\.?|Suite|Unit|Casa|Lote|Quadra|Sobrado|Hus|Lgh\.|m\.|кв\.|Ap\.|Appartamento|Piano|Zimmer|Bloc|Flat|No:?|#) ?[\p{L}\d/]{1,6}|,? \d{1,2}(?:\.|º)? ?(?:étage|OG|hoog(?: achter)?|tv|th|mf|[A-C](?![\p{L}])|Izda\.|Dcha\.)|,? (?:Bajo|Ático)(?: Izda\.| Dcha\.| [A-C](?![\p{L}]))?|,? [IVX]{1,4}(?![\p{L}])|,? s\/n\.?)`;

/** The street forms; each is tried on its own, and the longest match wins an overlap. */
const STREETS = [
  // Number first: "221B Baker Street", "12 rue de la Paix", "99406 Alameda Franco".
  String
    .raw`${NUM},? (?:(?:N|S|E|W|North|South|East|West)\.? )?(?:${WORD} ){1,3}(?:${TYPE_AFTER})s?\.?${END}`,
  String.raw`${NUM},? (?:${TYPE_BEFORE}) ${PARTICLE}*(?:${WORD}|\d+)(?:(?:[ -]|(?<=['’]))(?:${WORD}|${
    PARTICLE.replace(/ \|/, "|")
  }))*`,
  // Type first: "Calle Mayor, 3", "ul. Kwiatowa 5", "Via Roma 10", "Intrarea Bega, Bloc 90".
  String.raw`(?:${TYPE_BEFORE}) ${PARTICLE}*${WORD}(?: (?:${WORD}|${
    PARTICLE.replace(/ \|/, "|")
  })){0,4},? (?:n\.?º? ?|No:? ?|Bloc |д\. )?(?:${NUM}|s\/n\.?)`,
  String.raw`(?:${SHORT_BEFORE}) \p{Lu}\p{Ll}{2,}(?: \p{Lu}\p{Ll}+)?,? ${NUM}`,
  // Name, then type, then number: "Sağlık Sokak 82", "Советская набережная, 201", "Ліста майдан, 5".
  String.raw`(?:\d{1,2} )?(?:${WORD} ){1,3}(?:${TYPE_AFTER}),? (?:No:? ?)?${NUM}`,
  // One-word compound street names: "Hauptstraße 5", "Alfred-Delp-Str. 19c", "van Doornlaan 59".
  String.raw`(?:(?:van|von|de|den|der|ter|te) ){0,2}\p{Lu}[\p{L}\p{M}-]*${COMPOUND} ?${NUM}`,
  String.raw`(?:\p{Lu}[\p{L}-]* )+(?:Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz) ${NUM}`,
  // Any name and number a postcode and town follow: "Uzoučká 16, 54628 Bílovec".
  String.raw`(?:${WORD} ){0,3}${WORD},? ${NUM}(?=${UNIT}*${AFTER_STREET}${POSTCODE} ${WORD})`,
].map((street) =>
  new RegExp(
    String
      .raw`(?<![\p{L}\p{N}-])(?:${street})${UNIT}*(?:${AFTER_STREET}${POSTCODE}[ \t]+${TOWN}|,[ \t]*(?!${NUM})${TOWN}(?=[ \t]*(?:[.!?;)\n]|$))|[ \t]*\n[ \t]*${TOWN}(?=[ \t]*(?:\n|$)))?`,
    "gu",
  )
);

/** Appends a span for every street address in `text`: the longest of the forms' overlapping matches. */
export function findAddresses(text: string, out: Span[]): void {
  const found: Span[] = [];
  for (const re of STREETS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const raw = m[0].replace(/[\s,]+$/u, "");
      if (raw.length > 0) found.push({ start: m.index, end: m.index + raw.length, entity: "address" });
    }
  }
  found.sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: Span[] = [];
  for (const s of found) if (kept.every((k) => s.end <= k.start || s.start >= k.end)) kept.push(s);
  out.push(...kept.sort((a, b) => a.start - b.start));
}
