/**
 * The fail-closed planner: matches the policy against the source catalog. Every column of every copied
 * table must be classified (unless `unlisted: keep`); tables and columns the policy names must exist.
 * What it finds is a list of diagnostics located in the policy file (errors and warnings).
 *
 * @module
 */
import { type Diagnostic, diagnostic, type DiagnosticCode } from "../core/diagnostic.ts";
import type { LoadedPolicy } from "../config/load.ts";
import { type BoundPolicy, type BoundRule, checkColumn, passesThrough } from "./bind.ts";
import type { Catalog, TableInfo } from "../pg/introspect.ts";
import type { ColumnInfo } from "../strategies/types.ts";
import { didYouMean as closest } from "../config/diagnostics.ts";

/** A policy and the means to point into its file (config/load.ts's LoadedPolicy). */
export type PolicySource = Pick<LoadedPolicy, "policy" | "file" | "locate" | "keyring">;

/** One column of a table plan. `rule` is `null` for kept columns. */
export interface PlannedColumn {
  info: ColumnInfo;
  rule: BoundRule | null;
}

/** What to do with one table. */
export interface TablePlan {
  /** `schema.table`. */
  name: string;
  info: TableInfo;
  rows: "copy" | "skip";
  where?: string;
  /** SQL read in place of some columns, by name: a subset's cut references (`dangling: null`). */
  expressions?: Record<string, string>;
  /** The COPY column list: every non-generated column, in order. */
  columns: PlannedColumn[];
}

/** The planner's result. */
export interface Plan {
  tables: TablePlan[];
  /** Errors (the run cannot start) and warnings, located in the policy. */
  diagnostics: Diagnostic[];
  /** YAML to paste into the policy for unclassified columns, or "" when there are none. */
  suggestion: string;
}

/**
 * Matches the policy with the catalog: places each bound rule on its column (and checks the strategy can
 * write the column's type).
 *
 * @param src The policy.
 * @param catalog The source catalog.
 * @param bound The policy's rules, bound once (see `bindPolicy`); rules that failed to bind are left out.
 * @param suggest A strategy to suggest for an unclassified column.
 */
export function planTables(
  src: PolicySource,
  catalog: Catalog,
  bound: BoundPolicy,
  suggest?: (c: ColumnInfo) => string,
): Plan {
  const { policy } = src;
  const diagnostics: Diagnostic[] = [];
  const at = (path: (string | number)[]) => ({ file: src.file, ...src.locate(path), path });
  const issue = (code: DiagnosticCode, path: (string | number)[], message: string) =>
    diagnostics.push(diagnostic(code, message, at(path)));
  const names = [...catalog.tables.keys()];

  for (const [name, rule] of Object.entries(policy.tables)) {
    const schema = name.slice(0, name.indexOf("."));
    if (!policy.schemas.includes(schema)) {
      issue(
        "TABLE_NOT_SELECTED",
        ["tables", name],
        `table '${name}' is in schema '${schema}', which 'schemas:' does not select`,
      );
    } else if (catalog.partitions?.has(name)) {
      const root = catalog.partitions.get(name)!;
      issue(
        "TABLE_PARTITION",
        ["tables", name],
        `table '${name}' is a partition of '${root}': its rows are read and masked through '${root}', whose rules apply to every partition — move these rules to '${root}'`,
      );
    } else if (!catalog.tables.has(name)) {
      const near = closest(name, names);
      issue(
        "TABLE_UNKNOWN",
        ["tables", name],
        `table '${name}' does not exist in the source${near ? ` — did you mean '${near}'?` : ""}`,
      );
    } else {
      const t = catalog.tables.get(name)!;
      const cols = t.columns.map((c) => c.column);
      for (const col of Object.keys(rule.columns)) {
        if (!cols.includes(col)) {
          const near = closest(col, cols);
          issue(
            "COLUMN_UNKNOWN",
            ["tables", name, "columns", col],
            `column '${col}' does not exist in ${name}${near ? ` — did you mean '${near}'?` : ""}`,
          );
        }
      }
    }
  }

  const tables: TablePlan[] = [];
  const unclassified = new Map<string, ColumnInfo[]>();
  for (const [name, info] of catalog.tables) {
    const rule = policy.tables[name];
    const rows = rule?.rows ?? "copy";
    const columns: PlannedColumn[] = [];
    for (const c of info.columns) {
      const r = rule?.columns[c.column];
      const path = ["tables", name, "columns", c.column];
      if (c.generated) {
        const placed = bound.rules.get(name)?.get(c.column);
        if (r !== undefined && !(placed && passesThrough(placed))) {
          const message =
            `${name}.${c.column} is a generated column: the target computes it, so its rule is not applied`;
          diagnostics.push(diagnostic("GENERATED_COLUMN", message, at(path), "warning"));
        }
        continue;
      }
      if (r === undefined) {
        if (rows === "copy" && policy.unlisted === "error") {
          unclassified.set(name, [...(unclassified.get(name) ?? []), c]);
        }
        columns.push({ info: c, rule: null });
        continue;
      }
      // A rule that could not be bound, or does not fit, is planned as kept with its error in
      // `diagnostics`: nothing is copied while there is an error, so it never reads as `keep`.
      const placed = bound.rules.get(name)?.get(c.column);
      const misfit = placed && checkColumn(placed, c);
      if (misfit) diagnostics.push(misfit);
      const masked = placed !== undefined && !misfit && !passesThrough(placed);
      columns.push({ info: c, rule: masked ? placed : null });
    }
    tables.push({ name, info, rows, ...(rule?.where ? { where: rule.where } : {}), columns });
  }

  for (const [name, cols] of unclassified) {
    const inPolicy = policy.tables[name] !== undefined;
    const path = inPolicy ? ["tables", name, "columns"] : ["tables"];
    for (const c of cols) {
      issue(
        "COLUMN_UNCLASSIFIED",
        path,
        `column ${name}.${c.column} (${c.type}) is not classified by the policy: add a rule for it (or 'keep')`,
      );
    }
  }
  for (const fk of catalog.foreignKeys) {
    const child = tables.find((t) => t.name === fk.child);
    const parent = tables.find((t) => t.name === fk.parent);
    // A key the subset cuts (`dangling: null`) is read as NULL when its table is skipped.
    const cut = fk.childColumns.some((c) => policy.subset?.foreign_keys[`${fk.child}.${c}`] !== undefined);
    if (child?.rows === "copy" && parent?.rows === "skip" && !cut) {
      const cutHint = policy.subset
        ? ` (or, for a nullable key, subset.foreign_keys.${fk.child}.${
          fk.childColumns[0]
        }: { dangling: null })`
        : "";
      issue(
        "FOREIGN_KEY_SKIPPED_PARENT",
        ["tables", fk.parent],
        `${fk.child} is copied but references ${fk.parent}, whose rows are skipped: foreign key '${fk.name}' would fail — skip ${fk.child} too, or copy ${fk.parent}${cutHint}`,
      );
    }
  }
  // Like a column: with `unlisted: keep`, large objects the policy does not mention are kept.
  if (policy.large_objects === undefined && policy.unlisted === "error") {
    const refs = tables.filter((t) => t.rows === "copy").flatMap((t) =>
      t.columns.filter((c) => c.info.baseType === "oid").map((c) =>
        `${t.name}.${c.info.column} (${c.info.type})`
      )
    );
    if ((catalog.largeObjects ?? 0) > 0 || refs.length > 0) {
      issue(
        "LARGE_OBJECTS_UNCLASSIFIED",
        ["large_objects"],
        `large objects are not classified by the policy: the source holds ${catalog.largeObjects ?? 0}${
          refs.length ? `, and ${refs.join(", ")} may reference them` : ""
        } — add 'large_objects: skip', 'keep' or a rule for their bytes (e.g. 'redact')`,
      );
    }
  }
  const suggestion = unclassified.size === 0 ? "" : suggestYaml(unclassified, suggest);
  return { tables, diagnostics, suggestion };
}

function suggestYaml(unclassified: Map<string, ColumnInfo[]>, suggest?: (c: ColumnInfo) => string): string {
  const lines = ["tables:"];
  for (const [name, cols] of unclassified) {
    lines.push(`  ${name}:`, "    columns:");
    for (const c of cols) {
      const s = suggest?.(c) ?? "keep";
      lines.push(`      ${yamlKey(c.column)}: ${s.padEnd(16)} # ${c.type}${c.notNull ? " not null" : ""}`);
    }
  }
  return lines.join("\n");
}

function yamlKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}
