import assert from "node:assert/strict";
import { ibanValid } from "../keyed/_digits.ts";
import { maskValues, runCases } from "../_test_utils.ts";

const layout = (s: string) => s.replace(/\d/g, "9");

Deno.test("fake.iban keeps country, length and spacing and passes mod-97", async () => {
  await runCases(
    [
      "DE89 3704 0044 0532 0130 00",
      "GB29NWBK60161331926819",
      "FR1420041010050500013M02606",
      "NL91ABNA0417164300",
    ].map(
      (input) => ({
        strategy: "fake.iban",
        input,
        check: (out: string | null) => {
          const compact = out!.replace(/ /g, "");
          if (!ibanValid(compact)) return "fails mod-97";
          if (out!.slice(0, 2) !== input.slice(0, 2) || out!.length !== input.length) {
            return "country or length changed";
          }
          if (layout(out!).replace(/[A-Z]/g, "A") !== layout(input).replace(/[A-Z]/g, "A")) {
            return "layout changed";
          }
          return out === input ? "unchanged" : undefined;
        },
      }),
    ),
  );
});

Deno.test("fake.iban keeps an invalid check invalid and generates IBANs for other text", async () => {
  const [bad, garbage] = await maskValues("fake.iban", { locale: "es" }, [
    "DE00370400440532013000",
    "unknown",
  ]);
  assert.equal(ibanValid(bad!), false);
  assert.ok(ibanValid(garbage!) && garbage!.startsWith("ES") && garbage!.length === 24, garbage!);
  await assert.rejects(() => maskValues("fake.iban", {}, ["unknown"], { unique: true }), {
    name: "PrivaciError",
    message: 'Cannot mask a value of "t"."c" uniquely as an IBAN: it is not an IBAN',
  });
});
