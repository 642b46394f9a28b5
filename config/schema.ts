/**
 * The policy file's shape (`privaci.yaml`), as a zod schema. The keys shown in the README are the
 * stable contract; unknown keys are errors everywhere.
 *
 * @module
 */
import { z } from "zod";

/** Keys of a column's long form that belong to PrivaCI, not to the strategy's params. */
export const COLUMN_RESERVED_KEYS = ["strategy", "domain", "unique", "when"] as const;

/** The comparisons a `when:` condition can make on one column's source value. */
export const CONDITION_OPERATORS = [
  "eq",
  "ne",
  "in",
  "not_in",
  "is_null",
  "matches",
  "gt",
  "gte",
  "lt",
  "lte",
] as const;

/** The combinations of conditions. */
export const CONDITION_COMBINATORS = ["all", "any", "not"] as const;

/** A value a condition compares with: text, a number, or a boolean (`t`/`true`/`yes`/`1` and the opposites). */
export type ConditionValue = string | number | boolean;

/**
 * A `when:` condition on the row's source values: `{ column, <operator>: value }`, or `all:`/`any:` of
 * conditions, or `not:` one. A NULL value satisfies no comparison but `is_null: true`.
 */
export type Condition = {
  column?: string | undefined;
  eq?: ConditionValue | undefined;
  ne?: ConditionValue | undefined;
  in?: ConditionValue[] | undefined;
  not_in?: ConditionValue[] | undefined;
  is_null?: boolean | undefined;
  matches?: string | undefined;
  gt?: number | string | undefined;
  gte?: number | string | undefined;
  lt?: number | string | undefined;
  lte?: number | string | undefined;
  all?: Condition[] | undefined;
  any?: Condition[] | undefined;
  not?: Condition | undefined;
};

// The schemas below carry explicit types because they are reachable from the published API (JSR's
// no-slow-types rule); the compiler checks each annotation against the schema it describes.

const conditionValue = z.union([z.string(), z.number(), z.boolean()]);
const bound = z.union([z.number(), z.string()]);

/** The zod type of a condition (see {@linkcode ConditionSchema}). */
export type ConditionSchemaType = z.ZodType<Condition>;

/** A `when:` condition, validated: one operator with `column`, or exactly one of `all`, `any`, `not`. */
export const ConditionSchema: ConditionSchemaType = z.strictObject({
  column: z.string().min(1).optional(),
  eq: conditionValue.optional(),
  ne: conditionValue.optional(),
  in: z.array(conditionValue).min(1).optional(),
  not_in: z.array(conditionValue).min(1).optional(),
  is_null: z.boolean().optional(),
  matches: z.string().min(1).refine((p) => {
    try {
      new RegExp(p, "u");
      return true;
    } catch {
      return false;
    }
  }, "must be a regular expression (JavaScript syntax)").optional(),
  gt: bound.optional(),
  gte: bound.optional(),
  lt: bound.optional(),
  lte: bound.optional(),
  get all(): z.ZodOptional<z.ZodArray<ConditionSchemaType>> {
    return z.array(ConditionSchema).min(1).optional();
  },
  get any(): z.ZodOptional<z.ZodArray<ConditionSchemaType>> {
    return z.array(ConditionSchema).min(1).optional();
  },
  get not(): z.ZodOptional<ConditionSchemaType> {
    return ConditionSchema.optional();
  },
}).refine(
  (c) => {
    const combos = CONDITION_COMBINATORS.filter((k) => c[k] !== undefined);
    return combos.length === 0 ||
      (combos.length === 1 && c.column === undefined && CONDITION_OPERATORS.every((k) => c[k] === undefined));
  },
  {
    message: `give one of ${CONDITION_COMBINATORS.join(", ")} alone, or a column with one operator`,
    when: (payload) => payload.issues.length === 0,
  },
).refine((c) => c.column !== undefined || CONDITION_COMBINATORS.some((k) => c[k] !== undefined), {
  path: ["column"],
  message: `is required: a condition is { column, ${
    CONDITION_OPERATORS.join(" | ")
  }: value }, or all/any/not`,
  when: (payload) => payload.issues.length === 0,
}).refine(
  (c) => c.column === undefined || CONDITION_OPERATORS.filter((k) => c[k] !== undefined).length === 1,
  {
    error: (issue) =>
      `give exactly one operator for column '${(issue.input as Condition).column}': ${
        CONDITION_OPERATORS.join(", ")
      }`,
    when: (payload) => payload.issues.length === 0,
  },
);

/** The zod type of a strategy rule (see {@linkcode StrategyRuleSchema}). */
export type StrategyRuleSchemaType = z.ZodUnion<
  readonly [
    z.ZodString,
    z.ZodObject<
      { strategy: z.ZodString; domain: z.ZodOptional<z.ZodString>; unique: z.ZodOptional<z.ZodBoolean> },
      z.core.$loose
    >,
  ]
>;

const longRule = {
  strategy: z.string().min(1),
  domain: z.string().min(1).optional(),
  unique: z.boolean().optional(),
};

const nameRule = z.string().min(1);
const longRuleObject = z.looseObject(longRule).refine((r) => !("when" in r), {
  path: ["when"],
  message: "belongs to a rule in a list of alternatives that ends with a rule without when: (the default)",
});

/** One strategy: `email: fake.email` or `phone: { strategy: partial, keep_last: 2 }`. */
export const StrategyRuleSchema: StrategyRuleSchemaType = z.union([nameRule, longRuleObject]);

/** The zod type of a column rule (see {@linkcode ColumnRuleSchema}). */
export type ColumnRuleSchemaType = z.ZodType<ColumnRule>;

const alternative = z.union([
  z.string().min(1),
  z.looseObject({ ...longRule, when: ConditionSchema.optional() }),
]);

/**
 * A column rule: one strategy, or a list of alternatives chosen per row by their `when:` conditions
 * (the first that holds), the last without `when:` for every other row.
 */
export const ColumnRuleSchema: ColumnRuleSchemaType = z.union([
  nameRule,
  longRuleObject,
  z.array(alternative).min(2, "list at least one alternative with when: and a default").superRefine(
    (list, ctx) => {
      list.forEach((alt, i) => {
        const when = typeof alt === "object" && alt.when !== undefined;
        if (i < list.length - 1 && !when) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: "needs when: — only the last alternative is the default, for rows no condition matches",
          });
        }
        if (i === list.length - 1 && when) {
          ctx.addIssue({
            code: "custom",
            path: [i, "when"],
            message: "the last alternative is the default: drop its when:, or add a default after it",
          });
        }
      });
    },
  ),
]);

/** The zod type of a table rule (see {@linkcode TableRuleSchema}). */
export type TableRuleSchemaType = z.ZodObject<{
  rows: z.ZodDefault<z.ZodEnum<{ copy: "copy"; skip: "skip" }>>;
  columns: z.ZodDefault<z.ZodRecord<z.ZodString, ColumnRuleSchemaType>>;
  where: z.ZodOptional<z.ZodString>;
  quasi_identifiers: z.ZodOptional<z.ZodArray<z.ZodString>>;
  k_min: z.ZodOptional<z.ZodInt>;
}, z.core.$strict>;

/** What to do with one table. */
export const TableRuleSchema: TableRuleSchemaType = z.strictObject({
  /** `copy` (default) or `skip`: no rows are copied (the table still exists in the target). */
  rows: z.enum(["copy", "skip"]).default("copy"),
  /** Column rules by column name. */
  columns: z.record(z.string(), ColumnRuleSchema).default({}),
  /** An SQL filter on the source rows (`WHERE` body), to copy a subset. */
  where: z.string().min(1).optional(),
  /** Columns that together could single a person out (postcode, birth date, gender): `verify` measures k-anonymity over them. */
  quasi_identifiers: z.array(z.string().min(1)).min(1).optional(),
  /** The smallest group of rows sharing their quasi-identifiers that `verify` accepts (default 5). */
  k_min: z.int().min(2).max(1_000_000).optional(),
});

/** The zod type of a plugin entry (see {@linkcode PluginRefSchema}). */
export type PluginRefSchemaType = z.ZodObject<{
  use: z.ZodString;
  publisher: z.ZodString;
  alias: z.ZodOptional<z.ZodString>;
}, z.core.$strict>;

/** A plugin the policy trusts. */
export const PluginRefSchema: PluginRefSchemaType = z.strictObject({
  use: z.string().min(1),
  publisher: z.string().regex(/^ed25519:[A-Za-z0-9+/]+=*$/, "must be ed25519:<base64 public key>"),
  alias: z.string().min(1).optional(),
});

const TABLE_NAME = /^[^.]+\.[^.]+$/;
const COLUMN_NAME = /^[^.]+\.[^.]+\.[^.]+$/;

/** The zod type of a subset root (see {@linkcode SubsetRootSchema}). */
export type SubsetRootSchemaType = z.ZodObject<{
  where: z.ZodOptional<z.ZodString>;
  percent: z.ZodOptional<z.ZodNumber>;
  limit: z.ZodOptional<z.ZodInt>;
  order_by: z.ZodOptional<z.ZodUnion<readonly [z.ZodString, z.ZodArray<z.ZodString>]>>;
}, z.core.$strict>;

/**
 * Where a subset starts in one table: `{ where: "country = 'DE'" }`, `{ percent: 5 }` (a keyed,
 * deterministic sample) or `{ limit: 1000, order_by: id }`; exactly one of the three.
 */
export const SubsetRootSchema: SubsetRootSchemaType = z.strictObject({
  /** An SQL filter on the root table's rows (`WHERE` body). */
  where: z.string().min(1).optional(),
  /** A deterministic sample: the same key and data keep the same rows. */
  percent: z.number().gt(0).max(100).optional(),
  /** The first `limit` rows by `order_by`. */
  limit: z.int().min(1).optional(),
  /** The column(s) `limit` orders by, ascending. */
  order_by: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
}).refine(
  (r) => [r.where, r.percent, r.limit].filter((v) => v !== undefined).length === 1,
  "give exactly one of 'where', 'percent' or 'limit' (with 'order_by')",
).refine(
  (r) => (r.limit === undefined) === (r.order_by === undefined),
  "'limit' and 'order_by' go together",
);

/** The zod type of a virtual foreign key (see {@linkcode VirtualForeignKeySchema}). */
export type VirtualForeignKeySchemaType = z.ZodObject<{
  from: z.ZodString;
  to: z.ZodString;
  dangling: z.ZodOptional<z.ZodNull>;
}, z.core.$strict>;

/** A relation the schema does not declare: `{ from: public.audit_log.customer_ref, to: public.customers.id }`. */
export const VirtualForeignKeySchema: VirtualForeignKeySchemaType = z.strictObject({
  /** The referencing column, `schema.table.column`. */
  from: z.string().regex(COLUMN_NAME, "must be schema.table.column"),
  /** The referenced column, `schema.table.column`. */
  to: z.string().regex(COLUMN_NAME, "must be schema.table.column"),
  /** `null`: the relation is not followed, and a reference whose row is not kept is written as NULL. */
  dangling: z.null().optional(),
});

/** The zod type of the subset section (see {@linkcode SubsetSchema}). */
export type SubsetSchemaType = z.ZodObject<{
  roots: z.ZodRecord<z.ZodString, SubsetRootSchemaType>;
  follow: z.ZodDefault<z.ZodEnum<{ parents: "parents"; all: "all" }>>;
  virtual_foreign_keys: z.ZodDefault<z.ZodArray<VirtualForeignKeySchemaType>>;
  exclude_children: z.ZodDefault<z.ZodArray<z.ZodString>>;
  foreign_keys: z.ZodDefault<
    z.ZodRecord<z.ZodString, z.ZodObject<{ dangling: z.ZodNull }, z.core.$strict>>
  >;
}, z.core.$strict>;

/** A referentially complete subset of the source (docs/subset.md). */
export const SubsetSchema: SubsetSchemaType = z.strictObject({
  /** Where the subset starts, by `schema.table`. */
  roots: z.record(z.string().regex(TABLE_NAME, "must be schema.table"), SubsetRootSchema).refine(
    (r) => Object.keys(r).length > 0,
    "name at least one root table",
  ),
  /** `parents` (default): only the rows kept rows reference; `all`: also the rows that reference kept rows. */
  follow: z.enum(["parents", "all"]).default("parents"),
  /** Relations the schema does not declare, followed like foreign keys. */
  virtual_foreign_keys: z.array(VirtualForeignKeySchema).default([]),
  /** Tables never pulled in as children. */
  exclude_children: z.array(z.string().regex(TABLE_NAME, "must be schema.table")).default([]),
  /** Declared foreign keys by their referencing column (`schema.table.column`): `{ dangling: null }` cuts one. */
  foreign_keys: z.record(
    z.string().regex(COLUMN_NAME, "must be schema.table.column"),
    z.strictObject({ dangling: z.null() }),
  ).default({}),
});

/** The zod type of the policy file (see {@linkcode PolicySchema}). */
export type PolicySchemaType = z.ZodObject<{
  version: z.ZodLiteral<1>;
  source: z.ZodString;
  target: z.ZodString;
  key: z.ZodOptional<z.ZodString>;
  schema: z.ZodDefault<z.ZodEnum<{ existing: "existing"; copy: "copy" }>>;
  unlisted: z.ZodDefault<z.ZodEnum<{ error: "error"; keep: "keep" }>>;
  schemas: z.ZodDefault<z.ZodArray<z.ZodString>>;
  tables: z.ZodDefault<z.ZodRecord<z.ZodString, TableRuleSchemaType>>;
  plugins: z.ZodDefault<z.ZodArray<PluginRefSchemaType>>;
  large_objects: z.ZodOptional<StrategyRuleSchemaType>;
  subset: z.ZodOptional<SubsetSchemaType>;
  options: z.ZodDefault<
    z.ZodObject<{
      jobs: z.ZodOptional<z.ZodInt>;
      mask_workers: z.ZodOptional<z.ZodInt>;
      batch_rows: z.ZodDefault<z.ZodInt>;
      chunk_rows: z.ZodDefault<z.ZodInt>;
    }, z.core.$strict>
  >;
}, z.core.$strict>;

/** The whole policy file. */
export const PolicySchema: PolicySchemaType = z.strictObject({
  version: z.literal(1),
  source: z.string().min(1),
  target: z.string().min(1),
  key: z.string().min(1).optional(),
  schema: z.enum(["existing", "copy"]).default("existing"),
  unlisted: z.enum(["error", "keep"]).default("error"),
  schemas: z.array(z.string().min(1)).min(1).default(["public"]),
  tables: z.record(z.string().regex(/^[^.]+\.[^.]+$/, "must be schema.table"), TableRuleSchema).default({}),
  plugins: z.array(PluginRefSchema).default([]),
  /**
   * What happens to the source's large objects: `skip`, `keep` (copied with their OIDs), or a rule for
   * their bytes (`redact`, `{ strategy: … }`), applied as to a `bytea` column. Required when the source
   * holds large objects or a copied column is of type `oid` or `lo`, unless `unlisted: keep` (then `keep`).
   */
  large_objects: StrategyRuleSchema.optional(),
  /** A referentially complete subset instead of every row (docs/subset.md). */
  subset: SubsetSchema.optional(),
  options: z.strictObject({
    /** Tables copied at once. */
    jobs: z.int().min(1).max(64).optional(),
    /**
     * Worker threads that mask Level 1 columns (built-in strategies other than text.scrub); 0 masks on
     * the main thread. Default: the number of cores, at most 8.
     */
    mask_workers: z.int().min(0).max(64).optional(),
    /** Rows per stream chunk. */
    batch_rows: z.int().min(1).max(1_000_000).default(2000),
    /** Tables estimated larger than this are split into primary-key ranges, each its own transaction. */
    chunk_rows: z.int().min(1000).default(1_000_000),
  }).default({ batch_rows: 2000, chunk_rows: 1_000_000 }),
});

/** One strategy: its name, or the long form with the strategy's params beside PrivaCI's keys. */
export type StrategyRule = string | ColumnRuleLong;

/** A column rule: one strategy, or alternatives chosen per row by `when:`, the last one the default. */
export type ColumnRule = StrategyRule | RuleAlternative[];

/** One alternative of a column rule: a strategy, with the condition on the row it applies under. */
export type RuleAlternative = string | (ColumnRuleLong & { when?: Condition | undefined });

/** A column rule in long form. */
export type ColumnRuleLong = {
  /** The strategy's name, e.g. `fake.email`. */
  strategy: string;
  /** Values with the same domain mask the same way, so joins across tables keep working. */
  domain?: string | undefined;
  /** Distinct inputs must give distinct outputs. */
  unique?: boolean | undefined;
  /** The strategy's own params. */
  [param: string]: unknown;
};

/** One table's rules. */
export type TableRule = {
  /** `copy` (default) or `skip`: no rows are copied (the table still exists in the target). */
  rows: "copy" | "skip";
  /** Column rules by column name. */
  columns: Record<string, ColumnRule>;
  /** An SQL filter on the source rows (`WHERE` body), to copy a subset. */
  where?: string | undefined;
  /** Columns that together could single a person out: `verify` measures k-anonymity over them. */
  quasi_identifiers?: string[] | undefined;
  /** The smallest group of rows sharing their quasi-identifiers that `verify` accepts (default 5). */
  k_min?: number | undefined;
};

/** A trusted plugin entry. */
export type PluginRef = {
  /** Where the plugin comes from: `jsr:@scope/name@range`, an `https:` URL or a `file:` path. */
  use: string;
  /** The publisher's key, `ed25519:<base64 public key>`; the plugin's signature must verify with it. */
  publisher: string;
  /** A short name to address the plugin's strategies by (`<alias>/<strategy>`). */
  alias?: string | undefined;
};

/** Where a subset starts in one table: exactly one of `where`, `percent`, `limit` (with `order_by`). */
export type SubsetRoot = {
  /** An SQL filter on the root table's rows. */
  where?: string | undefined;
  /** A keyed deterministic sample of this percentage of the rows. */
  percent?: number | undefined;
  /** The first rows by `order_by`. */
  limit?: number | undefined;
  /** The column(s) `limit` orders by. */
  order_by?: string | string[] | undefined;
};

/** A relation the schema does not declare. */
export type VirtualForeignKey = {
  /** `schema.table.column` of the referencing column. */
  from: string;
  /** `schema.table.column` of the referenced column. */
  to: string;
  /** `null`: not followed; a reference whose row is not kept becomes NULL. */
  dangling?: null | undefined;
};

/** The subset section of a policy. */
export type Subset = {
  /** Root tables and where each starts. */
  roots: Record<string, SubsetRoot>;
  /** `parents` or `all` (children too). */
  follow: "parents" | "all";
  /** Relations the schema does not declare. */
  virtual_foreign_keys: VirtualForeignKey[];
  /** Tables never pulled in as children. */
  exclude_children: string[];
  /** Declared foreign keys cut with `{ dangling: null }`, by referencing column. */
  foreign_keys: Record<string, { dangling: null }>;
};

/** A validated policy. */
export type Policy = {
  /** The policy format version, 1. */
  version: 1;
  /** The source database's `postgres://` URL. */
  source: string;
  /** The target database's `postgres://` URL. */
  target: string;
  /** The key keyed strategies derive their keys from (at least 32 bytes). */
  key?: string | undefined;
  /** `existing` (the target has the tables) or `copy` (PrivaCI creates them from the source). */
  schema: "existing" | "copy";
  /** What to do with a column no rule names: `error` (default) or `keep`. */
  unlisted: "error" | "keep";
  /** The source schemas to copy. */
  schemas: string[];
  /** Rules by `schema.table`. */
  tables: Record<string, TableRule>;
  /** The plugins the policy trusts. */
  plugins: PluginRef[];
  /** Large objects: `skip`, `keep`, or a rule for their bytes; required when the source has any (unless `unlisted: keep`). */
  large_objects?: StrategyRule | undefined;
  /** A referentially complete subset instead of every row. */
  subset?: Subset | undefined;
  /** Tuning. */
  options: {
    /** Tables copied at once. */
    jobs?: number | undefined;
    /** Worker threads that mask Level 1 columns; 0 masks on the main thread. */
    mask_workers?: number | undefined;
    /** Rows per stream chunk. */
    batch_rows: number;
    /** Tables estimated larger than this are split into primary-key ranges. */
    chunk_rows: number;
  };
};

// The types above are the published ones (object types, not interfaces, so they fit Record<string, unknown>); these fail to compile when a schema's output drifts
// from them.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _policyMatches: Same<Policy, z.output<typeof PolicySchema>> = true;
const _tableRuleMatches: Same<TableRule, z.output<typeof TableRuleSchema>> = true;
const _pluginRefMatches: Same<PluginRef, z.output<typeof PluginRefSchema>> = true;
const _columnRuleMatches: Same<StrategyRule, z.output<typeof StrategyRuleSchema>> = true;
const _subsetMatches: Same<Subset, z.output<typeof SubsetSchema>> = true;
void [_subsetMatches, _policyMatches, _tableRuleMatches, _pluginRefMatches, _columnRuleMatches];
