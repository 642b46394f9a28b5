import assert from "node:assert/strict";
import type { Span } from "./entities.ts";
import { gazetteer } from "./gazetteer.ts";
import { findNames, rowNameSet } from "./names.ts";
import { type NerModel, nerModel } from "./_ner_model.ts";

/** The person names `findNames` finds in `text`, with the row's own names or the model when given. */
function persons(
  text: string,
  options: { rowNames?: Set<string>; nlp?: boolean; model?: { ner: NerModel; threshold: number } } = {},
): string[] {
  const out: Span[] = [];
  findNames(text, out, {
    person: true,
    location: false,
    organization: false,
    gazetteer: gazetteer(),
    ...options,
  });
  return out.filter((s) => s.entity === "person").map((s) => text.slice(s.start, s.end));
}

Deno.test("findNames() finds names from many locales in Title, lower and UPPER case", () => {
  assert.deepEqual(persons("Refund for Nguyễn Văn An and giulia bianchi, escalated by AYŞE YILMAZ today."), [
    "Nguyễn Văn An",
    "giulia bianchi",
    "AYŞE YILMAZ",
  ]);
});

Deno.test("findNames() takes particles inside names and hyphenated family names", () => {
  assert.deepEqual(persons("Spoke with Amira de Vos, then with Arun Sharma-Naik."), [
    "Amira de Vos",
    "Arun Sharma-Naik",
  ]);
});

Deno.test("findNames() uses titles, greetings, sign-offs and introductions", () => {
  assert.deepEqual(persons("Dear Mr. Kowalczyk, thanks. My name is Xandrel Quorvik. Regards,\nTeodora"), [
    "Kowalczyk",
    "Xandrel Quorvik",
    "Teodora",
  ]);
});

Deno.test("findNames() reads capitalised common words as names only inside a sentence", () => {
  assert.deepEqual(persons("Will you call back? I asked Will Smith to call."), ["Will Smith"]);
});

Deno.test("findNames() finds @handles and the row's own names in any casing", () => {
  const row = rowNameSet(["Quorin", null, "Blathwick"]);
  assert.deepEqual(persons("ping @jdoe, this is about quorin BLATHWICK", { rowNames: row }), [
    "@jdoe",
    "quorin BLATHWICK",
  ]);
  assert.deepEqual(persons("ping @jdoe, this is about quorin BLATHWICK"), ["@jdoe"]);
});

Deno.test("findNames() leaves ticket words, ids and headlines without names alone", () => {
  assert.deepEqual(persons("The printer on floor 3 is broken again, see ORD-12345 and KB-2231."), []);
  assert.deepEqual(persons("PASSWORD RESET NOT WORKING ON VERSION 2.3"), []);
});

Deno.test("findNames() never reads an id such as ORD-12345 as a place or organisation", () => {
  const text = "Order ORD-12345 from Acme Widgets GmbH shipped to Berlin.";
  const out: Span[] = [];
  findNames(text, out, { person: true, location: true, organization: true, gazetteer: gazetteer() });
  const got = out.map((s) => `${s.entity}:${text.slice(s.start, s.end)}`);
  assert.ok(got.includes("organization:Acme Widgets GmbH"), got.join(", "));
  assert.ok(got.includes("location:Berlin"), got.join(", "));
  assert.ok(got.every((g) => !g.includes("ORD") && !g.includes("12345")), got.join(", "));
});

Deno.test("findNames() takes an unknown capitalised word for a name unless unknownAsPerson is false", () => {
  const text = "We talked to Zorvex about the refund.";
  const run = (unknownAsPerson: boolean) => {
    const out: Span[] = [];
    findNames(text, out, {
      person: true,
      location: false,
      organization: false,
      nlp: false,
      unknownAsPerson,
      gazetteer: gazetteer(),
    });
    return out.map((s) => `${s.entity}:${text.slice(s.start, s.end)}`);
  };
  assert.deepEqual(run(true), ["person:Zorvex"]);
  assert.deepEqual(run(false), []);
});

Deno.test("findNames() takes ordinary English words for names only where casing or a name beside them says so", () => {
  assert.deepEqual(persons("Good job, you found the mark. Then chase the beer order."), []);
  assert.deepEqual(persons("Spoke with sally retzke and vena hand, then with Alan Watts."), [
    "sally retzke",
    "vena hand",
    "Alan Watts",
  ]);
});

Deno.test("findNames() leaves shouted, stretched and title words that no list holds as names", () => {
  assert.deepEqual(
    persons("I LOVE ITTTTTTT so much. Awwwww that is sweet. We watched Undead Nightmare twice."),
    [],
  );
});

Deno.test("findNames() with the model: titles and roles before a surname, name answers, initials, possessives", () => {
  const ner = nerModel();
  const withModel = (text: string) => persons(text, { nlp: false, model: { ner, threshold: ner.threshold } });

  assert.deepEqual(withModel("I spoke to Mr. Leiva and Ms. Margarot yesterday."), ["Leiva", "Margarot"]);
  assert.deepEqual(withModel("Senator Inabo met President Obama."), ["Inabo", "Obama"]);
  assert.deepEqual(withModel("Agent: What's your last name?\nCustomer: Leiva"), ["Leiva"]);
  assert.deepEqual(withModel("Szczepańska's order was lost."), ["Szczepańska's"]);
  assert.deepEqual(withModel("The form was signed by Anna K. Nowak."), ["Anna K. Nowak"]);
});

Deno.test("findNames() takes no group addressed or signing after a greeting, with or without the model", () => {
  const ner = nerModel();
  for (const model of [undefined, { ner, threshold: ner.threshold }]) {
    const found = (text: string) => persons(text, { ...(model ? { model } : {}) });

    assert.deepEqual(found("Hi Support, my printer is broken."), []);
    assert.deepEqual(found("Dear Customer, your order has shipped."), []);
    assert.deepEqual(found("Hello Team, the export fails. Regards, Customer Service"), []);
    assert.deepEqual(found("Dear Grace, thanks. Hi Teodora, welcome."), ["Grace", "Teodora"]);
  }
});

Deno.test("findNames() with the model stops a name before an article, an id's noun and after a title", () => {
  const ner = nerModel();
  const found = (text: string) => persons(text, { model: { ner, threshold: ner.postsThreshold } });

  assert.deepEqual(found("Regards,\nNehir Alyanak The printer on floor 3 is broken."), ["Nehir Alyanak"]);
  assert.deepEqual(found("Thanks, Işılay Order ORD-12345 shipped on 2024-03-02."), ["Işılay"]);
  assert.deepEqual(found("I spoke with Frau Evers and Pani Nowak about the delay."), ["Evers", "Nowak"]);
  assert.deepEqual(found("Martin Short and Nguyễn Văn An called."), ["Martin Short", "Nguyễn Văn An"]);
});

Deno.test("findNames() takes no country, currency or state code for a name without a cue, with or without the model", () => {
  const ner = nerModel();
  for (
    const model of [undefined, { ner, threshold: ner.threshold }, { ner, threshold: ner.postsThreshold }]
  ) {
    const found = (text: string) => persons(text, { ...(model ? { model } : {}) });

    assert.deepEqual(found("Shipping to DE please"), []);
    assert.deepEqual(found("Country: DE"), []);
    assert.deepEqual(found("Please ship to FR and DE."), []);
    assert.deepEqual(found("Paid in EUR, ship to NY or CA."), []);
    assert.deepEqual(found("Shipped from DE today."), []);
    for (const code of ["de", "au", "bd", "ch", "ke", "li", "ng", "DE", "NG"]) {
      assert.deepEqual(
        found(code),
        [],
        code,
      );
    }
  }
});

Deno.test("findNames() keeps a short surname that is also a code on a cue or beside another name word", () => {
  const ner = nerModel();
  const found = (text: string) => persons(text, { model: { ner, threshold: ner.threshold } });

  assert.deepEqual(found("Mr. NG called about the refund."), ["NG"]);
  assert.deepEqual(found("Hi Li, thanks for the update."), ["Li"]);
  assert.deepEqual(found("LI Wei called, then Wei LI wrote back."), ["LI Wei", "Wei LI"]);
  assert.deepEqual(found("PLEASE CALL ANNA NG"), ["ANNA NG"]);
  assert.deepEqual(found("Agent: What's your last name?\nCustomer: NG"), ["NG"]);
  assert.deepEqual(persons("ticket for ng", { rowNames: rowNameSet(["Ng"]) }), ["ng"]);
  assert.deepEqual(found("Spoke with Amira de Vos."), ["Amira de Vos"]);
});

Deno.test("findNames() takes a family name of two words whole, its second word in lower case", () => {
  const ner = nerModel();
  for (const model of [undefined, { ner, threshold: ner.threshold }]) {
    const found = (text: string) => persons(text, { ...(model ? { model } : {}) });

    assert.deepEqual(found("Customer Le gall reported a bug."), ["Le gall"]);
    assert.deepEqual(found("Mr. Le roux called."), ["Le roux"]);
    assert.deepEqual(found("Best regards,\nAnaïs Le gall"), ["Anaïs Le gall"]);
    assert.deepEqual(found("Anaïs Le gall's order was lost."), ["Anaïs Le gall's"]);
  }
  // A compound's second word alone is an ordinary word, not a name.
  assert.deepEqual(persons("The gall of it!"), []);
});
