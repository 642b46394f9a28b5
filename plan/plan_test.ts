import assert from "node:assert/strict";
import { column as textColumn } from "../strategies/_test_utils.ts";
import { parsePolicy } from "../config/load.ts";
import type { Catalog, TableInfo } from "../pg/introspect.ts";
import type { ColumnInfo } from "../strategies/types.ts";
import { type Plan, planTables, type PolicySource } from "./plan.ts";
import { bindPolicy } from "./bind.ts";
import { builtinStrategies } from "../strategies/builtins.ts";
import type { Diagnostic } from "../core/diagnostic.ts";

/**
 * The plan of `src` over the test catalog, its rules bound with the built-ins as if the policy had a key
 * (these tests are about placing rules on columns; binding, the key check included, is bind_test.ts's).
 */
function planFor(src: PolicySource, catalog: Catalog, suggest?: (c: ColumnInfo) => string): Plan {
  const keyed = { ...src, policy: { ...src.policy, key: "hex:" + "ab".repeat(32) } };
  return planTables(src, catalog, bindPolicy(keyed, builtinStrategies()), suggest);
}

/** A diagnostic's location and message, for comparing with the expected ones. */
function flat(d: Diagnostic) {
  return { ...d.location, message: d.message };
}
function errorsOf(plan: Plan) {
  return plan.diagnostics.filter((d) => d.severity === "error").map(flat);
}
function warningsOf(plan: Plan) {
  return plan.diagnostics.filter((d) => d.severity === "warning").map((d) => ({ code: d.code, ...flat(d) }));
}

function col(table: string, column: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return textColumn({ table, column, ...extra });
}

function tableInfo(table: string, columns: ColumnInfo[]): TableInfo {
  return { schema: "public", table, kind: "r", columns, primaryKey: [], estimatedRows: 0 };
}

const CATALOG: Catalog = {
  tables: new Map([
    [
      "public.customer",
      tableInfo("customer", [
        col("customer", "id", { type: "integer", baseType: "int4", family: "integer", notNull: true }),
        col("customer", "email", { type: "character varying(60)", maxLength: 60, notNull: true }),
        col("customer", "phone"),
        col("customer", "email_lower", { generated: true }),
      ]),
    ],
    [
      "public.invoice",
      tableInfo("invoice", [
        col("invoice", "id", { type: "integer", family: "integer" }),
        col("invoice", "customer_id", { type: "integer", family: "integer" }),
      ]),
    ],
    ["public.audit_log", tableInfo("audit_log", [col("audit_log", "what")])],
  ]),
  foreignKeys: [{
    name: "invoice_customer_id_fkey",
    child: "public.invoice",
    childColumns: ["customer_id"],
    parent: "public.customer",
    parentColumns: ["id"],
  }],
  sequences: [],
};

function policy(body: string, unlisted: "error" | "keep" = "error") {
  const text = `version: 1\nsource: postgres://h/a\ntarget: postgres://h/b\nunlisted: ${unlisted}\n${body}`;
  return parsePolicy(text, { file: "p.yaml", env: () => undefined });
}

Deno.test("planTables() plans every column of a fully classified policy with no issue", () => {
  const src = policy(`tables:
  public.customer:
    columns:
      id: keep
      email: { strategy: fake.email, unique: true, domain: people }
      phone: { strategy: partial, keep_last: 2 }
  public.invoice:
    columns: { id: keep, customer_id: keep }
  public.audit_log: { rows: skip }
`);
  const plan = planFor(src, CATALOG);
  assert.deepEqual(errorsOf(plan), []);
  assert.deepEqual(warningsOf(plan), []);
  assert.equal(plan.suggestion, "");
  const customer = plan.tables.find((t) => t.name === "public.customer")!;
  // The generated column is not in the COPY column list; kept columns have no rule.
  assert.deepEqual(customer.columns.map((c) => [c.info.column, c.rule?.definition.meta.name ?? null]), [
    ["id", null],
    ["email", "fake.email"],
    ["phone", "partial"],
  ]);
  const email = customer.columns[1].rule!;
  assert.deepEqual([email.domain, email.unique, email.source.path], [
    "people",
    true,
    ["tables", "public.customer", "columns", "email"],
  ]);
  assert.deepEqual(customer.columns[2].rule?.params, { keep_first: 0, keep_last: 2, mask_char: "*" });
  assert.deepEqual(plan.tables.map((t) => [t.name, t.rows]), [
    ["public.customer", "copy"],
    ["public.invoice", "copy"],
    ["public.audit_log", "skip"],
  ]);
});

Deno.test("planTables() names every column the policy leaves out, located in the file, with YAML to paste", () => {
  const src = policy(`tables:
  public.customer:
    columns:
      id: keep
  public.audit_log: { rows: skip }
`);
  const plan = planFor(src, CATALOG, (c) => c.column === "email" ? "fake.email" : "keep");
  assert.deepEqual(errorsOf(plan), [
    {
      path: ["tables", "public.customer", "columns"],
      message:
        "column public.customer.email (character varying(60)) is not classified by the policy: add a rule for it (or 'keep')",
      file: "p.yaml",
      line: 7,
      col: 5,
    },
    {
      path: ["tables", "public.customer", "columns"],
      message:
        "column public.customer.phone (text) is not classified by the policy: add a rule for it (or 'keep')",
      file: "p.yaml",
      line: 7,
      col: 5,
    },
    {
      path: ["tables"],
      message:
        "column public.invoice.id (integer) is not classified by the policy: add a rule for it (or 'keep')",
      file: "p.yaml",
      line: 5,
      col: 1,
    },
    {
      path: ["tables"],
      message:
        "column public.invoice.customer_id (integer) is not classified by the policy: add a rule for it (or 'keep')",
      file: "p.yaml",
      line: 5,
      col: 1,
    },
  ]);
  assert.equal(
    plan.suggestion,
    [
      "tables:",
      "  public.customer:",
      "    columns:",
      "      email: fake.email       # character varying(60) not null",
      "      phone: keep             # text",
      "  public.invoice:",
      "    columns:",
      "      id: keep             # integer",
      "      customer_id: keep             # integer",
    ].join("\n"),
  );
});

Deno.test("planTables() with unlisted: keep keeps the columns the policy leaves out", () => {
  const plan = planFor(policy("", "keep"), CATALOG);
  assert.deepEqual(errorsOf(plan), []);
  assert.equal(plan.tables.length, 3);
  assert.ok(plan.tables.every((t) => t.rows === "copy" && t.columns.every((c) => c.rule === null)));
});

Deno.test("planTables() refuses unknown tables and columns and suggests the near name", () => {
  const src = policy(
    `schemas: [public]
tables:
  public.custmer:
    columns: { id: keep }
  public.customer:
    columns: { id: keep, emial: keep, email: keep, phone: keep, zzz: keep }
  other.thing: { rows: skip }
`,
    "keep",
  );
  const plan = planFor(src, CATALOG);
  assert.deepEqual(errorsOf(plan).map((i) => [i.line, i.message]), [
    [7, "table 'public.custmer' does not exist in the source — did you mean 'public.customer'?"],
    [10, "column 'emial' does not exist in public.customer — did you mean 'email'?"],
    [10, "column 'zzz' does not exist in public.customer"],
    [11, "table 'other.thing' is in schema 'other', which 'schemas:' does not select"],
  ]);
});

Deno.test("planTables() warns about a masking rule on a generated column", () => {
  const src = policy(
    `tables:
  public.customer:
    columns: { id: keep, email: keep, phone: keep, email_lower: { strategy: redact } }
`,
    "keep",
  );
  const plan = planFor(src, CATALOG);
  assert.deepEqual(errorsOf(plan), []);
  assert.deepEqual(warningsOf(plan), [{
    code: "GENERATED_COLUMN",
    path: ["tables", "public.customer", "columns", "email_lower"],
    message:
      "public.customer.email_lower is a generated column: the target computes it, so its rule is not applied",
    file: "p.yaml",
    line: 7,
    col: 52,
  }]);
});

Deno.test("planTables() refuses copying a table whose referenced table is skipped", () => {
  const plan = planFor(policy("tables:\n  public.customer: { rows: skip }\n", "keep"), CATALOG);
  assert.deepEqual(errorsOf(plan).map((i) => [i.path, i.line, i.message]), [[
    ["tables", "public.customer"],
    6,
    "public.invoice is copied but references public.customer, whose rows are skipped: foreign key " +
    "'invoice_customer_id_fkey' would fail — skip public.invoice too, or copy public.customer",
  ]]);
});
