/**
 * A seeded synthetic corpus of support tickets with every entity annotated: names from many faker
 * locales in Title, lower and UPPER case (also after a title, with a middle initial, possessive, or as the
 * answer to a name question), e-mail addresses, national and international phone numbers (some with an
 * extension), card numbers of every issuer range, IBANs, IP addresses and street addresses of the
 * locale (one line or two, with or without a postcode), between sentences that hold none. Same seed, same
 * corpus.
 *
 * @module
 */
import {
  type Faker,
  fakerCS_CZ,
  fakerDA,
  fakerDE,
  fakerEN_AU,
  fakerEN_GB,
  fakerEN_IN,
  fakerEN_US,
  fakerES,
  fakerFR,
  fakerIT,
  fakerNL,
  fakerPL,
  fakerPT_BR,
  fakerRO,
  fakerRU,
  fakerSV,
  fakerTR,
  fakerUK,
  fakerVI,
} from "@faker-js/faker";
import { luhnValid } from "../detectors/card.ts";
import type { Span } from "../entities.ts";

/** The locales names are drawn from. */
export const TICKET_LOCALES: Readonly<Record<string, Faker>> = {
  en_US: fakerEN_US,
  de: fakerDE,
  fr: fakerFR,
  it: fakerIT,
  es: fakerES,
  pt_BR: fakerPT_BR,
  nl: fakerNL,
  pl: fakerPL,
  tr: fakerTR,
  vi: fakerVI,
  en_IN: fakerEN_IN,
  sv: fakerSV,
  ru: fakerRU,
  cs_CZ: fakerCS_CZ,
  en_GB: fakerEN_GB,
  en_AU: fakerEN_AU,
  da: fakerDA,
  ro: fakerRO,
  uk: fakerUK,
};

/** Card issuers: a prefix and the lengths its range allows (faker's own issuer list lacks several). */
const ISSUERS: readonly [string, number[]][] = [
  ["4", [13, 16, 19]],
  ["51", [16]],
  ["2221", [16]],
  ["37", [15]],
  ["3056", [14]],
  ["36", [14, 16]],
  ["3528", [16, 19]],
  ["2131", [15]],
  ["6011", [16]],
  ["62", [16, 19]],
  ["5018", [12, 16, 19]],
  ["6759", [12, 18]],
  ["2200", [16]],
];

/** One ticket: its text, the gold spans, and the locale of its names. */
export interface Ticket {
  text: string;
  spans: Span[];
  locale: string;
}

type Piece = string | { entity: Span["entity"]; value: string };
type Parts = {
  name: Piece;
  first: Piece;
  last: Piece;
  /** A title and the family name: only the name is a person. */
  titled: Piece[];
  middle: Piece;
  possessive: Piece;
  address: Piece;
  /** The address on two lines (street, then postcode and city). */
  addressLines: Piece;
  phoneExt: Piece;
  email: Piece;
  phone: Piece;
  card: Piece;
  iban: Piece;
  ip: Piece;
  n: string;
};

const TEMPLATES: ((p: Parts) => Piece[])[] = [
  (p) => ["Hi support, my name is ", p.name, " and I cannot log in since yesterday."],
  (p) => ["Customer ", p.name, " called about order ORD-", p.n, ". Please call back on ", p.phone, "."],
  (p) => ["Refund requested by ", p.name, " (", p.email, "). Card used: ", p.card, "."],
  (p) => ["Please update the IBAN on file for ", p.name, " to ", p.iban, " before the next invoice."],
  (p) => ["Login attempts from ", p.ip, " for the account of ", p.name, " were blocked."],
  (p) => ["The export still fails with error E", p.n, ". Thanks, ", p.first],
  (p) => ["Regards,\n", p.name],
  (p) => [p.name, " says invoice INV-", p.n, " is wrong and wants a new one."],
  (p) => ["Spoke with ", p.name, " today, documents will follow by mail to ", p.email, "."],
  (p) => ["Escalated by agent ", p.name, ". Ticket T-", p.n, " reopened."],
  (p) => ["Dear ", p.name, ", your replacement card ending ", p.n.slice(0, 4), " has been shipped."],
  (p) => ["New phone number for ", p.name, ": ", p.phone],
  (p) => ["Payment from ", p.iban, " bounced twice, contact ", p.first, " on ", p.phone, "."],
  (p) => ["Hello ", p.first, ", we have reset the password for ", p.email, "."],
  (p) => ["Server ", p.ip, " rejected the upload for ", p.name, " with status 413."],
  () => ["The printer on floor 3 is broken again, see KB-2231."],
  () => ["Password reset does not work on version 2.3.1 in Chrome and Firefox."],
  () => ["Order ORD-12345 shipped on 2024-03-02, tracking number 1Z999AA10123456784."],
  () => ["Please close this ticket, the issue is resolved after the update."],
  (p) => ["Please send the replacement to ", p.address, "."],
  (p) => ["New delivery address:\n", p.addressLines, "\nThanks"],
  (p) => ["I spoke with ", ...p.titled, " about the delay."],
  (p) => ["Agent: What's your last name?\nCustomer: ", p.last],
  (p) => [p.possessive, " parcel arrived damaged."],
  (p) => ["Card ", p.card, " was declined, please call ", p.phoneExt, "."],
  (p) => ["Account holder: ", p.middle, ", moved to ", p.address, "."],
];

/** Builds `count` tickets from `seed`. */
export function ticketCorpus(count: number, seed = 42): Ticket[] {
  const locales = Object.keys(TICKET_LOCALES);
  const out: Ticket[] = [];
  for (let i = 0; i < count; i++) {
    const locale = locales[i % locales.length];
    const f = TICKET_LOCALES[locale];
    f.seed(seed * 100_003 + i);
    const casing = f.number.int(3);
    const recase = (s: string) => (casing === 1 ? s.toLowerCase() : casing === 2 ? s.toUpperCase() : s);
    const sex = f.helpers.arrayElement(["female", "male"] as const);
    const first = f.person.firstName(sex);
    const last = f.person.lastName(sex);
    const parts: Parts = {
      name: { entity: "person", value: recase(`${first} ${last}`) },
      first: { entity: "person", value: recase(first) },
      email: {
        entity: "email",
        value: fakerEN_US.internet.email({ firstName: ascii(first), lastName: ascii(last) }),
      },
      phone: {
        entity: "phone",
        value: f.phone.number({ style: f.helpers.arrayElement(["national", "international"]) }),
      },
      card: { entity: "card", value: cardNumber(f) },
      last: { entity: "person", value: recase(last) },
      titled: [
        f.helpers.arrayElement(["Mr. ", "Ms. ", "Mrs. ", "Dr. ", "Mr ", "Frau ", "Herr ", "Mme "]),
        { entity: "person", value: last },
      ],
      middle: { entity: "person", value: `${first} ${f.string.alpha({ casing: "upper" })}. ${last}` },
      possessive: { entity: "person", value: `${first} ${last}'s` },
      address: { entity: "address", value: address(f, ", ") },
      addressLines: { entity: "address", value: address(f, "\n") },
      phoneExt: {
        entity: "phone",
        value: `${f.phone.number({ style: "national" })} ${
          f.helpers.arrayElement(["x", "ext. ", "extension "])
        }${f.number.int({ min: 10, max: 99999 })}`,
      },
      iban: { entity: "iban", value: f.finance.iban({ formatted: f.datatype.boolean() }) },
      ip: { entity: "ip", value: f.datatype.boolean(0.7) ? f.internet.ipv4() : f.internet.ipv6() },
      n: String(f.number.int({ min: 10000, max: 99999 })),
    };
    const pieces: Piece[] = [];
    const sentences = f.number.int({ min: 2, max: 4 });
    for (let k = 0; k < sentences; k++) {
      if (k > 0) pieces.push(" ");
      pieces.push(...f.helpers.arrayElement(TEMPLATES)(parts));
    }
    let text = "";
    const spans: Span[] = [];
    for (const p of pieces) {
      if (typeof p === "string") text += p;
      else {
        spans.push({ start: text.length, end: text.length + p.value.length, entity: p.entity });
        text += p.value;
      }
    }
    out.push({ text, spans, locale });
  }
  return out;
}

/** A Luhn-valid card number of a random issuer, compact or in groups of four. */
function cardNumber(f: Faker): string {
  const [prefix, lengths] = f.helpers.arrayElement(ISSUERS);
  const length = f.helpers.arrayElement(lengths);
  let digits = prefix + f.string.numeric(length - prefix.length - 1);
  for (let d = 0; d <= 9; d++) {
    if (luhnValid(digits + d)) {
      digits += d;
      break;
    }
  }
  const sep = f.helpers.arrayElement(["", " ", "-"]);
  return sep === "" ? digits : digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
}

/** A street address of the locale, then postcode and city (or the city alone) after `sep`. */
function address(f: Faker, sep: string): string {
  const street = f.location.streetAddress(f.datatype.boolean(0.3));
  const city = f.location.city();
  return f.datatype.boolean(0.8)
    ? `${street}${sep}${f.location.zipCode()} ${city}`
    : `${street}${sep}${city}`;
}

function ascii(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/[^A-Za-z]/g, "") || "user";
}
