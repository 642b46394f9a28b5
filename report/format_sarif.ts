/**
 * Verification findings as SARIF 2.1.0, the format GitHub code scanning and other CI dashboards read.
 * Each check is a rule; each finding a result located at its column's rule in the policy file (a
 * physical location) and at `schema.table.column` (a logical one). Risk maps to level: high → error,
 * medium → warning, low → note.
 *
 * @module
 */
import { type Check, CHECKS, type Risk, type VerifyReport } from "../verify/findings.ts";

/** What each check looks for, as its SARIF rule's short description. */
export const CHECK_DESCRIPTIONS: Readonly<Record<Check, string>> = {
  "replay-value": "Masked values equal to source values of the same column",
  "replay-own": "Masked rows that still hold their own source value",
  "containment": "Source values of masked columns inside other columns of the copy",
  "residual": "Personal data the detectors still find in kept or scrubbed columns",
  "row-count": "Row counts that differ from the source",
  "foreign-key": "Rows referencing parent rows missing from the copy",
  "sequence": "Sequences below their column's maximum",
  "unique": "Columns unique in the source with repeated values in the copy",
  "k-anonymity": "Rows in groups of quasi-identifiers smaller than k_min",
};

const LEVEL: Readonly<Record<Risk, "error" | "warning" | "note">> = {
  high: "error",
  medium: "warning",
  low: "note",
};

/** The SARIF 2.1.0 log of a verification, as pretty-printed JSON with a final newline. */
export function formatSarif(report: VerifyReport): string {
  const rules = CHECKS.map((id) => ({
    id: `privaci/${id}`,
    name: id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
    shortDescription: { text: CHECK_DESCRIPTIONS[id] },
    defaultConfiguration: { level: "warning" },
    properties: { tags: ["privacy", "masking"] },
  }));
  const results = report.findings.map((f) => {
    const logical = `${f.table}${f.column ? `.${f.column}` : ""}`;
    const region = f.policy?.line
      ? { region: { startLine: f.policy.line, ...(f.policy.col ? { startColumn: f.policy.col } : {}) } }
      : {};
    return {
      ruleId: `privaci/${f.check}`,
      ruleIndex: CHECKS.indexOf(f.check),
      level: LEVEL[f.risk],
      message: { text: f.message },
      locations: [{
        ...(f.policy
          ? { physicalLocation: { artifactLocation: { uri: artifactUri(f.policy.file) }, ...region } }
          : {}),
        logicalLocations: [{ fullyQualifiedName: logical, kind: f.column ? "member" : "type" }],
      }],
      partialFingerprints: { "privaci/v1": `${f.check}:${logical}` },
      properties: { risk: f.risk, count: f.count, check: f.check },
    };
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{
      tool: {
        driver: {
          name: "privaci",
          ...(report.privaci ? { version: report.privaci, semanticVersion: report.privaci } : {}),
          informationUri: "https://jsr.io/@privaci/cli",
          rules,
        },
      },
      invocations: [{ executionSuccessful: true, startTimeUtc: report.startedAt }],
      results,
    }],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** A relative policy path as a URI reference; an absolute one as a `file:` URI. */
export function artifactUri(file: string): string {
  const path = file.replaceAll("\\", "/");
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return path.startsWith("/") ? `file://${encoded}` : encoded;
}
