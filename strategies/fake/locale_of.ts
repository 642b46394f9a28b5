/**
 * The locale a row's country or locale column stands for (`locale_from:` of the `fake.*` strategies): a
 * locale name (`de_AT`, `de-AT`, `pt_br`), a language code (`de`, `fr`), an ISO 3166 country code (`DE`,
 * `AT`, `GB`) or a country's name in English or its own language (`Germany`, `Österreich`). Anything else
 * gives `undefined`, for the caller's default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localeOf } from "./locale_of.ts";
 * assert.equal(localeOf("DE"), "de");
 * assert.equal(localeOf("de-AT"), "de_AT");
 * assert.equal(localeOf("Switzerland"), "de_CH");
 * assert.equal(localeOf("Atlantis"), undefined);
 * ```
 *
 * @module
 */
import { LOCALES } from "./locale.ts";

/** The locale of each country PrivaCI has locale data for, by ISO 3166-1 alpha-2 code. */
const COUNTRIES: Readonly<Record<string, string>> = {
  AE: "ar",
  AM: "hy",
  AT: "de_AT",
  AU: "en_AU",
  AZ: "az",
  BD: "bn_BD",
  BE: "nl_BE",
  BR: "pt_BR",
  CA: "en_CA",
  CH: "de_CH",
  CN: "zh_CN",
  CZ: "cs_CZ",
  DE: "de",
  DK: "da",
  EG: "ar",
  ES: "es",
  FI: "fi",
  FR: "fr",
  GB: "en_GB",
  GE: "ka_GE",
  GH: "en_GH",
  GR: "el",
  HK: "en_HK",
  HR: "hr",
  HU: "hu",
  ID: "id_ID",
  IE: "en_IE",
  IL: "he",
  IN: "en_IN",
  IR: "fa",
  IT: "it",
  JP: "ja",
  KR: "ko",
  LU: "fr_LU",
  LV: "lv",
  MD: "ro_MD",
  MK: "mk",
  MN: "mn_MN_cyrl",
  MV: "dv",
  MX: "es_MX",
  NG: "en_NG",
  NL: "nl",
  NO: "nb_NO",
  NP: "ne",
  PK: "ur",
  PL: "pl",
  PT: "pt_PT",
  RO: "ro",
  RS: "sr_RS_latin",
  RU: "ru",
  SA: "ar",
  SE: "sv",
  SI: "sl_SI",
  SK: "sk",
  SN: "fr_SN",
  TH: "th",
  TR: "tr",
  TW: "zh_TW",
  UA: "uk",
  UK: "en_GB",
  US: "en_US",
  UZ: "uz_UZ_latin",
  VN: "vi",
  ZA: "en_ZA",
};

/** Country names (folded: lower case, no accents) and the code they stand for. */
const NAMES: Readonly<Record<string, string>> = {
  "america": "US",
  "armenia": "AM",
  "australia": "AU",
  "austria": "AT",
  "azerbaijan": "AZ",
  "bangladesh": "BD",
  "belgie": "BE",
  "belgique": "BE",
  "belgium": "BE",
  "brasil": "BR",
  "brazil": "BR",
  "canada": "CA",
  "cesko": "CZ",
  "china": "CN",
  "croatia": "HR",
  "czech republic": "CZ",
  "czechia": "CZ",
  "danmark": "DK",
  "denmark": "DK",
  "deutschland": "DE",
  "egypt": "EG",
  "england": "GB",
  "espana": "ES",
  "finland": "FI",
  "france": "FR",
  "georgia": "GE",
  "germany": "DE",
  "ghana": "GH",
  "great britain": "GB",
  "greece": "GR",
  "holland": "NL",
  "hong kong": "HK",
  "hungary": "HU",
  "india": "IN",
  "indonesia": "ID",
  "iran": "IR",
  "ireland": "IE",
  "israel": "IL",
  "italia": "IT",
  "italy": "IT",
  "japan": "JP",
  "korea": "KR",
  "latvia": "LV",
  "luxembourg": "LU",
  "macedonia": "MK",
  "maldives": "MV",
  "mexico": "MX",
  "moldova": "MD",
  "mongolia": "MN",
  "nederland": "NL",
  "nepal": "NP",
  "netherlands": "NL",
  "nigeria": "NG",
  "norge": "NO",
  "north macedonia": "MK",
  "norway": "NO",
  "osterreich": "AT",
  "pakistan": "PK",
  "poland": "PL",
  "polska": "PL",
  "portugal": "PT",
  "romania": "RO",
  "russia": "RU",
  "russian federation": "RU",
  "saudi arabia": "SA",
  "schweiz": "CH",
  "scotland": "GB",
  "senegal": "SN",
  "serbia": "RS",
  "slovakia": "SK",
  "slovenia": "SI",
  "south africa": "ZA",
  "south korea": "KR",
  "spain": "ES",
  "suisse": "CH",
  "suomi": "FI",
  "sverige": "SE",
  "sweden": "SE",
  "switzerland": "CH",
  "taiwan": "TW",
  "thailand": "TH",
  "the netherlands": "NL",
  "turkey": "TR",
  "turkiye": "TR",
  "uk": "GB",
  "ukraine": "UA",
  "united arab emirates": "AE",
  "united kingdom": "GB",
  "united states": "US",
  "united states of america": "US",
  "usa": "US",
  "uzbekistan": "UZ",
  "viet nam": "VN",
  "vietnam": "VN",
  "wales": "GB",
};

const KNOWN = new Set(LOCALES);
/** Locale names by their lower-case form (`pt_br` → `pt_BR`). */
const BY_LOWER = new Map(LOCALES.map((l) => [l.toLowerCase(), l]));

function fold(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
}

/**
 * The locale name (one of `LOCALES`) a country or locale value stands for, or `undefined`.
 *
 * @param value the cell's text, as the source holds it.
 */
export function localeOf(value: string): string | undefined {
  const s = value.trim();
  if (s.length < 2 || s.length > 60) return undefined;
  const region = /^([A-Za-z]{2,3})[_-]([A-Za-z]{2})$/.exec(s);
  if (region) {
    const [, lang, cc] = region;
    return BY_LOWER.get(`${lang}_${cc}`.toLowerCase()) ?? BY_LOWER.get(lang.toLowerCase()) ??
      COUNTRIES[cc.toUpperCase()];
  }
  if (/^[A-Za-z]{2}$/.test(s)) {
    // Upper case reads as a country first (CA: Canada), lower case as a language first (ca, uk).
    const country = COUNTRIES[s.toUpperCase()];
    const language = KNOWN.has(s.toLowerCase()) ? s.toLowerCase() : undefined;
    return s === s.toUpperCase() ? country ?? language : language ?? country;
  }
  const exact = BY_LOWER.get(s.toLowerCase().replace(/-/g, "_"));
  if (exact) return exact;
  const code = NAMES[fold(s)];
  return code === undefined ? undefined : COUNTRIES[code];
}
