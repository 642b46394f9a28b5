import assert from "node:assert/strict";
import { localeOf } from "./locale_of.ts";
import { LOCALES } from "./locale.ts";

Deno.test("localeOf() reads locale names, language and country codes and country names", () => {
  const cases: [string, string | undefined][] = [
    ["de", "de"],
    ["DE", "de"],
    [" de ", "de"],
    ["de_DE", "de"],
    ["de-DE", "de"],
    ["de_AT", "de_AT"],
    ["de-at", "de_AT"],
    ["AT", "de_AT"],
    ["CH", "de_CH"],
    ["fr_CH", "fr_CH"],
    ["pt_br", "pt_BR"],
    ["BR", "pt_BR"],
    ["GB", "en_GB"],
    ["en-GB", "en_GB"],
    ["US", "en_US"],
    ["CA", "en_CA"],
    ["uk", "uk"],
    ["UK", "en_GB"],
    ["Germany", "de"],
    ["germany", "de"],
    ["Österreich", "de_AT"],
    ["United  Kingdom", "en_GB"],
    ["sr_RS_latin", "sr_RS_latin"],
    ["JP", "ja"],
    ["ja", "ja"],
    ["fr_XX", "fr"],
    ["xx_DE", "de"],
    ["Atlantis", undefined],
    ["", undefined],
    ["Q", undefined],
    ["ZZ", undefined],
  ];
  for (const [input, want] of cases) assert.equal(localeOf(input), want, input);
});

Deno.test("localeOf() gives only locales the fake strategies can load", () => {
  const inputs = [
    ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").flatMap((a) =>
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").map((b) => a + b)
    ),
    "germany",
    "switzerland",
    "viet nam",
  ];
  for (const input of inputs) {
    const got = localeOf(input);
    if (got !== undefined) assert.ok(LOCALES.includes(got), `${input} → ${got}`);
  }
});
