import assert from "node:assert/strict";
import { maskValues, runCases } from "../_test_utils.ts";

const layout = (s: string) => s.replace(/\d/g, "9");

Deno.test("fake.phone keeps the layout and digit count and changes the digits", async () => {
  await runCases(
    ["+55 (12) 3923-5555", "555-0100", "0171 2345678", "+1 415 555 2671", "07700900123"].map((input) => ({
      strategy: "fake.phone",
      input,
      check: (out: string | null) =>
        out !== null && layout(out) === layout(input) && out !== input
          ? undefined
          : "layout changed or digits kept",
    })),
  );
});

Deno.test("fake.phone keeps the first digits by default after + and 0, or as many as keep_digits says", async () => {
  const [intl, trunk, three] = await maskValues("fake.phone", {}, [
    "+55 (12) 3923-5555",
    "0171 2345678",
    "555-0100",
  ]);
  assert.ok(intl!.startsWith("+55 "), intl!);
  assert.ok(trunk!.startsWith("0"), trunk!);
  const [kept] = await maskValues("fake.phone", { keep_digits: 4 }, ["555-0100"]);
  assert.ok(kept!.startsWith("555-0"), kept!);
  assert.equal(three!.length, 8);
});

Deno.test("fake.phone writes a number in the locale's format for inputs with too few digits", async () => {
  const [out] = await maskValues("fake.phone", { locale: "de" }, ["n/a"]);
  assert.match(out!, /^[\d +()-]{6,}$/);
});

Deno.test("fake.phone keeps numbers valid in their national plan: no trunk 0 after a country code", async () => {
  const inputs = Array.from({ length: 3000 }, (_, i) => {
    const n = String(100000000 + i * 7919).slice(-9);
    return [
      `+33 6 ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
      `+49 ${n}`,
      `+353 8${n}`,
    ][
      i % 3
    ];
  });
  const out = await maskValues("fake.phone", {}, inputs, { unique: true });
  out.forEach((o, i) => {
    assert.equal(layout(o!), layout(inputs[i]));
    assert.doesNotMatch(o!, /^\+(33 0|49 0|353 0)/, `${o} keeps a trunk 0 after the country code`);
    assert.equal(o!.slice(0, 4), inputs[i].slice(0, 4), "the country code is kept, three digits too");
  });
  assert.equal(new Set(out).size, inputs.length);
  // Italian landlines keep their 0, mobiles get none; trunk 0 is never followed by another 0.
  const it = await maskValues("fake.phone", {}, ["+39 06 1234 5678", "+39 347 123 4567"]);
  assert.match(it[0]!, /^\+39 0/);
  assert.match(it[1]!, /^\+39 [1-9]/);
  const trunk = await maskValues(
    "fake.phone",
    {},
    Array.from({ length: 500 }, (_, i) => `0${1000000000 + i * 13}`),
  );
  for (const t of trunk) assert.match(t!, /^0[1-9]/);
});

Deno.test("fake.phone keeps North American area and exchange codes in 2–9", async () => {
  const inputs = Array.from(
    { length: 2000 },
    (_, i) =>
      [
        `+1 415 555 ${String(i).padStart(4, "0")}`,
        `(212) 73${String(i).padStart(5, "0").slice(0, 1)}-${String(i).padStart(4, "0")}`,
      ][i % 2],
  );
  const out = await maskValues("fake.phone", {}, inputs);
  for (const o of out) {
    const d = o!.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
    assert.match(d, /^[2-9]\d\d[2-9]\d{6}$/, o!);
  }
  assert.equal(new Set(out).size, new Set(inputs).size);
});

Deno.test("fake.phone draws plausible numbers from every locale's formats for short inputs", async () => {
  for (const locale of ["de", "fr", "it", "nl", "en", "ja", "pt", "es", "pl", "zh"]) {
    const out = await maskValues(
      "fake.phone",
      { locale },
      Array.from({ length: 200 }, (_, i) => String(i % 1000).slice(0, 3)),
    );
    for (const o of out) {
      assert.doesNotMatch(o!, /^\+(33|49|43|31|351|34|48|81|86) ?-?0/, `${locale}: ${o}`);
      assert.doesNotMatch(o!, /^\(?00/, `${locale}: ${o}`);
    }
  }
});

/**
 * Leading digits each national plan allows after its country code (ITU-T national numbering plans):
 * Spain 6–9, France 1–7 and 9, the United Kingdom 1–3 and 7, Germany 1–9 but no 0 (mobiles 15–17),
 * Italy 0 and 3, the Netherlands 1–8 (6 mobile). The inputs' own numbers are valid.
 */
const PLANS: { code: string; leads: string; mobile?: string }[] = [
  { code: "34", leads: "6789" },
  { code: "33", leads: "12345679" },
  { code: "44", leads: "1237" },
  { code: "49", leads: "123456789", mobile: "1[567]" },
  { code: "39", leads: "03" },
  { code: "31", leads: "12345678" },
];

Deno.test("fake.phone keeps the national number's first digit after the country code, valid in six plans over 30,000 numbers", async () => {
  const inputs: string[] = [];
  for (const [p, plan] of PLANS.entries()) {
    for (let i = 0; i < 5000; i++) {
      const lead = plan.leads[i % plan.leads.length];
      const rest = String(10_000_000 + ((i * 7919 + p * 104_729) % 90_000_000));
      const second = plan.mobile && lead === "1" ? "567"[i % 3] : "";
      inputs.push(`+${plan.code} ${lead}${second}${rest.slice(0, 2)} ${rest.slice(2)}`);
    }
  }
  const out = await maskValues("fake.phone", {}, inputs, { unique: true });
  assert.equal(new Set(out).size, new Set(inputs).size, "distinct numbers stay distinct");
  let changed = 0;
  out.forEach((o, i) => {
    const input = inputs[i];
    assert.equal(layout(o!), layout(input), `${o}: the layout of ${input}`);
    // `+CC D`: the country code and the national number's first digit, which must be one the plan allows.
    const head = input.slice(0, input.indexOf(" ") + 2);
    assert.equal(o!.slice(0, head.length), head, `${o} keeps ${head} of ${input}`);
    const plan = PLANS.find((p) => head.startsWith(`+${p.code} `))!;
    assert.ok(plan.leads.includes(o![head.length - 1]), `${o}: a first digit the plan allows`);
    if (o !== input) changed++;
  });
  assert.equal(changed, inputs.length, "every number gets new digits");
});
