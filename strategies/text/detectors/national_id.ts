/**
 * National identifiers, each with its own validity rule so that a number failing it never matches:
 * US Social Security numbers (area, group and serial rules), UK National Insurance numbers (prefix and
 * suffix letters), French NIR (mod-97 key), Dutch BSN (11-check) and German Steuer-ID (ISO 7064 MOD 11,10
 * and its digit-repetition rule). BSN and Steuer-ID are bare digit runs, so they also need their name
 * within the 40 characters before them.
 *
 * @module
 */
import type { Span } from "../entities.ts";

const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_BARE = /(?<![\d-])\d{9}(?![\d-])/g;
const SSN_CUE = /\b(?:ssn|social security(?: number| no\.?)?|ss#)\W{0,5}$/i;
const NINO =
  /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![A-Za-z0-9])/g;
const NINO_BAD_PREFIX = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);
const NIR =
  /(?<![\dA-Za-z])([12]) ?(\d{2}) ?(\d{2}) ?(\d{2}|2[AB]) ?(\d{3}) ?(\d{3}) ?(\d{2})(?![\dA-Za-z])/g;
const BARE_9 = /(?<![\d.,-])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?!\d|[.,-]\d)/g;
const BSN_CUE = /\b(?:bsn|burgerservicenummer|sofi-?nummer)\b\W{0,5}$/i;
const BARE_11 = /(?<![\d.,-])\d{2} ?\d{3} ?\d{3} ?\d{3}(?!\d|[.,-]\d)/g;
const STEUER_CUE =
  /\b(?:steuer-?id|steuer-?identifikationsnummer|steuerliche identifikationsnummer|idnr|tin|tax id)\b\W{0,12}$/i;

/** True when the SSN parts obey the SSA's assignment rules. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

/** True when a 15-character NIR (digits, or 2A/2B for Corsica) has the right key. */
export function nirValid(nir: string): boolean {
  const body = nir.slice(0, 13).replace("2A", "19").replace("2B", "18");
  if (!/^\d{13}$/.test(body)) return false;
  return 97 - Number(BigInt(body) % 97n) === Number(nir.slice(13));
}

/** True when the 9 digits pass the Dutch 11-check. */
export function bsnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || digits === "000000000") return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (digits.charCodeAt(i) - 48);
  sum -= digits.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

/** True when the 11 digits are a well-formed German Steuer-ID. */
export function steuerIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const counts = new Map<string, number>();
  for (const d of digits.slice(0, 10)) counts.set(d, (counts.get(d) ?? 0) + 1);
  const repeated = [...counts.values()].filter((n) => n > 1);
  if (repeated.length !== 1 || repeated[0] > 3) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (digits.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === digits.charCodeAt(10) - 48;
}

function cued(text: string, at: number, cue: RegExp): boolean {
  return cue.test(text.slice(Math.max(0, at - 40), at));
}

/** Appends a span for every US Social Security number in `text`. */
export function findSsns(text: string, out: Span[]): void {
  SSN.lastIndex = 0;
  for (let m = SSN.exec(text); m !== null; m = SSN.exec(text)) {
    if (ssnValid(m[1], m[3], m[4])) out.push({ start: m.index, end: m.index + m[0].length, entity: "ssn" });
  }
  SSN_BARE.lastIndex = 0;
  for (let m = SSN_BARE.exec(text); m !== null; m = SSN_BARE.exec(text)) {
    const d = m[0];
    if (cued(text, m.index, SSN_CUE) && ssnValid(d.slice(0, 3), d.slice(3, 5), d.slice(5))) {
      out.push({ start: m.index, end: m.index + 9, entity: "ssn" });
    }
  }
}

/** Appends a span for every UK NINO, French NIR, Dutch BSN and German Steuer-ID in `text`. */
export function findNationalIds(text: string, out: Span[]): void {
  NINO.lastIndex = 0;
  for (let m = NINO.exec(text); m !== null; m = NINO.exec(text)) {
    if (NINO_BAD_PREFIX.has(m[1])) continue;
    out.push({ start: m.index, end: m.index + m[0].length, entity: "national_id" });
  }
  NIR.lastIndex = 0;
  for (let m = NIR.exec(text); m !== null; m = NIR.exec(text)) {
    if (nirValid(m.slice(1).join(""))) {
      out.push({ start: m.index, end: m.index + m[0].length, entity: "national_id" });
    }
  }
  BARE_9.lastIndex = 0;
  for (let m = BARE_9.exec(text); m !== null; m = BARE_9.exec(text)) {
    if (bsnValid(m[0].replace(/\./g, "")) && cued(text, m.index, BSN_CUE)) {
      out.push({ start: m.index, end: m.index + m[0].length, entity: "national_id" });
    }
  }
  BARE_11.lastIndex = 0;
  for (let m = BARE_11.exec(text); m !== null; m = BARE_11.exec(text)) {
    if (steuerIdValid(m[0].replace(/ /g, "")) && cued(text, m.index, STEUER_CUE)) {
      out.push({ start: m.index, end: m.index + m[0].length, entity: "national_id" });
    }
  }
}
