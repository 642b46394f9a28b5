/**
 * The registry of built-in strategies: one explicit list, no registration by import side effect.
 *
 * @module
 */
import { StrategyRegistry } from "./registry.ts";
import { keep } from "./keep.ts";
import { nullStrategy } from "./null.ts";
import { constant } from "./constant.ts";
import { redact } from "./redact.ts";
import { hash } from "./hash.ts";
import { partial } from "./partial.ts";
import { emailDomainKeep } from "./email/domain_keep.ts";
import { fakeFirstNameStrategy, fakeFullNameStrategy, fakeLastNameStrategy } from "./fake/name.ts";
import { fakeEmail } from "./fake/email.ts";
import { fakeUsername } from "./fake/username.ts";
import { fakePhone } from "./fake/phone.ts";
import { fakeCity, fakeCountry, fakePostcode, fakeState, fakeStreet } from "./fake/address.ts";
import { fakeCompany, fakeJobTitle } from "./fake/company.ts";
import { fakeIban } from "./fake/iban.ts";
import { fakeCard } from "./fake/card.ts";
import { fakeSsn } from "./fake/ssn.ts";
import { fakeIp } from "./fake/ip.ts";
import { fakeUrl } from "./fake/url.ts";
import { fakeDateOfBirth } from "./fake/date_of_birth.ts";
import { dateShift } from "./date/shift.ts";
import { dateTruncate } from "./date/truncate.ts";
import { dateAgeBand } from "./date/age_band.ts";
import { postcodeTruncate } from "./postcode/truncate.ts";
import { numberBucket } from "./number/bucket.ts";
import { numberNoise } from "./number/noise.ts";
import { numberRound } from "./number/round.ts";
import { template } from "./template.ts";
import { regex } from "./regex.ts";
import { json } from "./json_paths.ts";
import { array } from "./array.ts";
import { textScrub } from "./text/text_scrub.ts";

/** A new registry holding every built-in strategy. */
export function builtinStrategies(): StrategyRegistry {
  return new StrategyRegistry()
    .add(keep)
    .add(nullStrategy)
    .add(constant)
    .add(redact)
    .add(hash)
    .add(partial)
    .add(emailDomainKeep)
    .add(fakeFirstNameStrategy)
    .add(fakeLastNameStrategy)
    .add(fakeFullNameStrategy)
    .add(fakeEmail)
    .add(fakeUsername)
    .add(fakePhone)
    .add(fakeStreet)
    .add(fakeCity)
    .add(fakePostcode)
    .add(fakeState)
    .add(fakeCountry)
    .add(fakeCompany)
    .add(fakeJobTitle)
    .add(fakeIban)
    .add(fakeCard)
    .add(fakeSsn)
    .add(fakeIp)
    .add(fakeUrl)
    .add(fakeDateOfBirth)
    .add(dateShift)
    .add(dateTruncate)
    .add(dateAgeBand)
    .add(numberNoise)
    .add(numberRound)
    .add(numberBucket)
    .add(postcodeTruncate)
    .add(template)
    .add(regex)
    .add(json)
    .add(array)
    .add(textScrub);
}
