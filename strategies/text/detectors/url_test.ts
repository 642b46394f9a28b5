import assert from "node:assert/strict";
import { findSecretUrls } from "./url.ts";
import { found } from "./_test_find.ts";

Deno.test("findSecretUrls() finds URLs with user info or a token parameter", () => {
  assert.deepEqual(
    found(findSecretUrls, "DSN postgres://app:s3cret@db:5432/x, link https://x.io/r?id=1&token=abcd1234."),
    ["url:postgres://app:s3cret@db:5432/x", "url:https://x.io/r?id=1&token=abcd1234"],
  );
});

Deno.test("findSecretUrls() leaves plain URLs alone", () => {
  assert.deepEqual(found(findSecretUrls, "See https://example.com/help?page=2 and http://a.b/c"), []);
});
