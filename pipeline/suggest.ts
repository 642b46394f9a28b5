/**
 * Guesses a strategy from a column's name and type, for the YAML `check` suggests to paste. A guess is
 * only offered when the registry has that strategy; anything else is suggested as `keep` for a person
 * to review.
 *
 * @module
 */
import type { StrategyRegistry } from "../strategies/registry.ts";
import type { ColumnInfo } from "../strategies/types.ts";

const GUESSES: [RegExp, string][] = [
  [/e_?mail/i, "fake.email"],
  [/^(first|given|fore)_?name$/i, "fake.first_name"],
  [/^(last|family|sur)_?name$/i, "fake.last_name"],
  [/^(full_?)?name$|^contact_?name$/i, "fake.full_name"],
  [/phone|mobile|fax/i, "fake.phone"],
  [/^(street|address\d?|address_?line\d?)$/i, "fake.street"],
  [/^city$/i, "fake.city"],
  [/^(postal_?code|post_?code|zip(_?code)?)$/i, "fake.postcode"],
  [/^(state|province|region)$/i, "fake.state"],
  [/^country$/i, "fake.country"],
  [/^company(_?name)?$/i, "fake.company"],
  [/iban/i, "fake.iban"],
  [/card_?(number|no)|^pan$/i, "fake.card"],
  [/ssn|social_?security/i, "fake.ssn"],
  [/(^|_)ip(_?addr(ess)?)?$/i, "fake.ip"],
  [/birth|dob/i, "fake.date_of_birth"],
  [/user_?name|login/i, "fake.username"],
  [/note|comment|body|description|message/i, "text.scrub"],
];

/** A strategy name to suggest for `c`, or "keep". */
export function suggestStrategy(c: ColumnInfo, registry: StrategyRegistry): string {
  if (c.family === "string") {
    for (const [re, name] of GUESSES) if (re.test(c.column) && registry.has(name)) return name;
  } else if ((c.family === "date" || c.family === "timestamp") && /birth|dob/i.test(c.column)) {
    if (registry.has("fake.date_of_birth")) return "fake.date_of_birth";
  } else if (c.family === "network" && registry.has("fake.ip")) {
    return "fake.ip";
  }
  return "keep";
}
