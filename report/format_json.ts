/**
 * The run report as JSON, for CI artefacts and auditors.
 *
 * @module
 */
import type { RunReport } from "./report.ts";

/** The report as pretty-printed JSON with a final newline. */
export function formatJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
