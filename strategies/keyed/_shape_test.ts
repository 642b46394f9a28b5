import assert from "node:assert/strict";
import fc from "fast-check";
import { propertyParams } from "../../tests/_random.ts";
import { Prf } from "./_prf.ts";
import { shapeOf, ShapePermutation } from "./_shape.ts";

const KEY = new TextEncoder().encode("shape-permutation-test-key-0123456789");

function permutation(): ShapePermutation {
  return new ShapePermutation(new Prf(KEY), 0x40);
}

Deno.test("ShapePermutation() keeps the shape of every value", () => {
  const p = permutation();
  for (
    const v of [
      "ALFKI",
      "AB-1234-x",
      "a",
      "Z9",
      "x-y_z",
      "2024-01-31",
      "Ünïcode 12",
      "A".repeat(40),
      "9".repeat(70),
    ]
  ) {
    const out = p.permute(v);
    assert.equal(shapeOf(out), shapeOf(v), v);
    assert.equal(out.length, v.length);
  }
  assert.equal(shapeOf("AB-1234-x"), "AA-9999-a");
  assert.equal(p.permute("--//"), "--//");
  assert.equal(p.permute(""), "");
});

Deno.test("ShapePermutation() is a bijection of small, table-sized and Feistel-sized shapes", () => {
  const p = permutation();
  // Every value of a 2-letter shape (676, a table) and of a 4-digit-and-letter shape (260,000, Feistel).
  const twoLetters = new Set<string>();
  for (let i = 0; i < 676; i++) {
    twoLetters.add(p.permute(String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26))));
  }
  assert.equal(twoLetters.size, 676);
  const mixed = new Set<string>();
  for (let i = 0; i < 260_000; i++) {
    mixed.add(
      p.permute(String.fromCharCode(97 + (i % 26)) + "-" + String(Math.floor(i / 26)).padStart(4, "0")),
    );
  }
  assert.equal(mixed.size, 260_000);
  for (const v of mixed) assert.match(v, /^[a-z]-\d{4}$/);
});

Deno.test("ShapePermutation() keeps long codes (BigInt halves) distinct and shaped", () => {
  const p = permutation();
  const seen = new Set<string>();
  const base = "QWERTYUIOPASDFGHJKLZXCVBNMQWERTYUIOPASDFGH";
  for (let i = 0; i < 2_000; i++) {
    const v = base + "-" + String(i).padStart(30, "0");
    const out = p.permute(v);
    assert.equal(shapeOf(out), shapeOf(v));
    seen.add(out);
  }
  assert.equal(seen.size, 2_000);
});

Deno.test("ShapePermutation() depends on the key and on the shape's separators", () => {
  const p = permutation();
  const q = new ShapePermutation(
    new Prf(new TextEncoder().encode("another-shape-key-0123456789abcdef")),
    0x40,
  );
  const inputs = Array.from({ length: 200 }, (_, i) => `CU${String(i).padStart(4, "0")}`);
  const a = inputs.map((v) => p.permute(v)), b = inputs.map((v) => q.permute(v));
  assert.ok(a.filter((x, i) => x === b[i]).length < 5, "two keys agree on few values");
  const dashed = inputs.map((v) => p.permute(v.slice(0, 2) + "-" + v.slice(2)).replace("-", ""));
  assert.ok(a.filter((x, i) => x === dashed[i]).length < 5, "separators key the permutation");
  assert.ok(inputs.filter((x, i) => x === a[i]).length < 3, "few values are kept");
});

Deno.test("ShapePermutation() keeps arbitrary distinct strings distinct and shaped", () => {
  const p = permutation();
  const unit = fc.constantFrom(..."AZaz09-_ .é日", "Q", "m", "5");
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ unit, maxLength: 40 }), { minLength: 2, maxLength: 60 }),
      (values) => {
        const out = values.map((v) => p.permute(v));
        out.forEach((o, i) => assert.equal(shapeOf(o), shapeOf(values[i])));
        assert.equal(new Set(out).size, values.length);
        assert.deepEqual(values.map((v) => p.permute(v)), out, "deterministic");
      },
    ),
    propertyParams(200),
  );
});
