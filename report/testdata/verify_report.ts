/**
 * A verification report with one finding of each kind the formats print, for the format tests.
 *
 * @module
 */
import type { VerifyReport } from "../../verify/findings.ts";

/** A report whose texts need escaping in HTML (`<`, `&`, quotes). */
export function sampleVerifyReport(): VerifyReport {
  return {
    privaci: "0.1.0",
    startedAt: "2026-12-02T17:00:00.000Z",
    ms: 1234,
    source: "postgres://reader:***@db/shop",
    target: "postgres://me@localhost/shop_masked",
    ok: false,
    failOn: "medium",
    tables: [
      { table: "public.customers", rows: "copy", masked: { first_name: "fake.first_name" }, kept: 3 },
      { table: "public.audit_log", rows: "skip", masked: {}, kept: 2 },
    ],
    findings: [
      {
        table: "public.customers",
        column: "notes",
        check: "residual",
        risk: "high",
        count: 3,
        message: "3 of 4 rows of public.customers.notes hold <personal> data & more",
        policy: { file: "policies/privaci.yaml", line: 12, col: 7 },
      },
      {
        table: "public.customers",
        column: "postcode, gender",
        check: "k-anonymity",
        risk: "medium",
        count: 2,
        message: "k = 2 over (postcode, gender)",
        policy: { file: "/abs/privaci.yaml" },
      },
      { table: "public.orders", check: "row-count", risk: "low", count: 1, message: "row counts differ" },
    ],
    replay: [{
      table: "public.customers",
      column: "first_name",
      strategy: "fake.first_name",
      reproduces: "pool",
      values: 4,
      equalValues: 1,
      ownValues: 0,
      expected: true,
    }],
    containment: [{
      table: "public.customers",
      column: "notes",
      linked: true,
      rows: 4,
      occurrences: 2,
      distinct: 2,
      otherRows: 0,
      from: ["public.customers.last_name"],
    }],
    residual: [{
      table: "public.customers",
      column: "notes",
      rule: "text.scrub",
      scanned: 4,
      rows: 4,
      words: 20,
      rowsWithFindings: 3,
      codes: false,
      counts: { person: 3 },
      contexts: { person: `Spoke with [PERSON] about "it" <b>` },
      risk: "high",
    }],
    integrity: [{ table: "public.customers", sourceRows: 4, targetRows: 4 }],
    kAnonymity: [{
      table: "public.customers",
      quasiIdentifiers: ["postcode", "gender"],
      kMin: 5,
      rows: 4,
      k: 2,
      shareBelow: 1,
      histogram: [{ size: 2, groups: 2 }],
      withoutColumn: [{ column: "postcode", shareBelow: 1, k: 4 }, { column: "gender", shareBelow: 1, k: 2 }],
    }],
    timings: { replay: 0.5, residual: 0.7 },
    notes: ["public.audit_log has no primary key"],
  };
}
