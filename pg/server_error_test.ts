import assert from "node:assert/strict";
import { pgErrorFields, sanitizeMessage } from "./server_error.ts";

Deno.test("sanitizeMessage() removes the quoted input of a type error", () => {
  assert.equal(
    sanitizeMessage('invalid input syntax for type integer: "abc"'),
    "invalid input syntax for type integer",
  );
  assert.equal(
    sanitizeMessage('invalid input value for enum mood: "secret"'),
    "invalid input value for enum mood",
  );
  assert.equal(
    sanitizeMessage("invalid input syntax for type uuid: 'not-a-uuid'"),
    "invalid input syntax for type uuid",
  );
});

Deno.test("sanitizeMessage() removes key values and keeps the key's columns", () => {
  assert.equal(sanitizeMessage("Key (email)=(a@b.c) already exists."), "Key (email)=(…) already exists.");
  assert.equal(
    sanitizeMessage("Key (first, last)=(Ann, Lee) already exists."),
    "Key (first, last)=(…) already exists.",
  );
  assert.equal(
    sanitizeMessage("Key (lower(email))=(a@b.c) already exists."),
    "Key (lower(email))=(…) already exists.",
  );
});

Deno.test("sanitizeMessage() keeps quoted identifiers of constraints and relations", () => {
  const unique = 'duplicate key value violates unique constraint "customer_email_key"';
  assert.equal(sanitizeMessage(unique), unique);
  const check = 'new row for relation "customer" violates check constraint "customer_age_check"';
  assert.equal(sanitizeMessage(check), check);
  assert.equal(
    sanitizeMessage("value too long for type character varying(3)"),
    "value too long for type character varying(3)",
  );
});

Deno.test("sanitizeMessage() removes a quoted input that spans lines", () => {
  assert.equal(
    sanitizeMessage('invalid input syntax for type integer: "12\n34"'),
    "invalid input syntax for type integer",
  );
});

Deno.test("sanitizeMessage() removes a quoted input that itself holds double quotes", () => {
  // PostgreSQL does not escape the input it quotes: the value a"b is shown as "a"b".
  const out = sanitizeMessage('invalid input syntax for type integer: "se"cr"et"');
  assert.ok(!out.includes("cr"), `value leaked into: ${out}`);
  assert.equal(out, "invalid input syntax for type integer");
});

Deno.test("sanitizeMessage() removes a key value that holds parentheses", () => {
  const out = sanitizeMessage("Key (email)=(se)cr(et) already exists.");
  assert.ok(!out.includes("cr"), `value leaked into: ${out}`);
  assert.equal(out, "Key (email)=(…) already exists.");
});

Deno.test("pgErrorFields() keeps SQLSTATE, objects and COPY position, never the detail", () => {
  const e = Object.assign(new Error('duplicate key value violates unique constraint "t_email_key"'), {
    code: "23505",
    detail: "Key (email)=(a@b.c) already exists.",
    where: "COPY t, line 3",
    table_name: "t",
    constraint_name: "t_email_key",
  });
  assert.deepEqual(pgErrorFields(e), {
    sqlstate: "23505",
    table: "t",
    constraint: "t_email_key",
    copyLine: 3,
    summary: 'duplicate key value violates unique constraint "t_email_key" (SQLSTATE 23505)',
  });
});

Deno.test("pgErrorFields() reads the column from the COPY context and drops its value", () => {
  const e = Object.assign(new Error('invalid input syntax for type integer: "a@b.c"'), {
    code: "22P02",
    where: 'COPY t, line 2, column n: "a@b.c"',
  });
  const f = pgErrorFields(e);
  assert.deepEqual(f, {
    sqlstate: "22P02",
    column: "n",
    copyLine: 2,
    summary: "invalid input syntax for type integer (SQLSTATE 22P02)",
  });
  assert.ok(!JSON.stringify(f).includes("a@b.c"));
});

Deno.test("pgErrorFields() prefers the server's column name and ignores client error codes", () => {
  const e = Object.assign(
    new Error('null value in column "email" of relation "t" violates not-null constraint'),
    {
      code: "23502",
      column_name: "email",
      table_name: "t",
      where: "COPY t, line 1",
    },
  );
  assert.equal(pgErrorFields(e).column, "email");
  const client = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), {
    code: "CONNECTION_CLOSED",
  });
  assert.deepEqual(pgErrorFields(client), { summary: "write CONNECTION_CLOSED 127.0.0.1:5432" });
  assert.deepEqual(pgErrorFields("boom"), { summary: "boom" });
  assert.deepEqual(pgErrorFields(undefined), { summary: "undefined" });
});
