import assert from "node:assert/strict";
import { z } from "zod";
import { CHECKS } from "../verify/findings.ts";
import { artifactUri, formatSarif } from "./format_sarif.ts";
import { sampleVerifyReport } from "./testdata/verify_report.ts";

/** The parts of SARIF 2.1.0 code scanning requires, as its JSON schema states them. */
const Message = z.strictObject({ text: z.string().min(1) });
const Sarif = z.strictObject({
  $schema: z.literal("https://json.schemastore.org/sarif-2.1.0.json"),
  version: z.literal("2.1.0"),
  runs: z.array(z.strictObject({
    tool: z.strictObject({
      driver: z.strictObject({
        name: z.string().min(1),
        version: z.string().optional(),
        semanticVersion: z.string().optional(),
        informationUri: z.url(),
        rules: z.array(z.strictObject({
          id: z.string().min(1),
          name: z.string().regex(/^[A-Z][A-Za-z]*$/),
          shortDescription: Message,
          defaultConfiguration: z.strictObject({ level: z.enum(["none", "note", "warning", "error"]) }),
          properties: z.strictObject({ tags: z.array(z.string()) }),
        })),
      }),
    }),
    invocations: z.array(
      z.strictObject({ executionSuccessful: z.boolean(), startTimeUtc: z.iso.datetime() }),
    ),
    results: z.array(z.strictObject({
      ruleId: z.string(),
      ruleIndex: z.int().min(0),
      level: z.enum(["none", "note", "warning", "error"]),
      message: Message,
      locations: z.array(z.strictObject({
        physicalLocation: z.strictObject({
          artifactLocation: z.strictObject({ uri: z.string().min(1) }),
          region: z.strictObject({ startLine: z.int().min(1), startColumn: z.int().min(1).optional() })
            .optional(),
        }).optional(),
        logicalLocations: z.array(
          z.strictObject({ fullyQualifiedName: z.string().min(1), kind: z.enum(["member", "type"]) }),
        ),
      })).min(1),
      partialFingerprints: z.record(z.string(), z.string()),
      properties: z.strictObject({ risk: z.string(), count: z.int(), check: z.string() }),
    })),
  })).length(1),
});

Deno.test("formatSarif() writes a SARIF 2.1.0 log whose results point at their rules and policy lines", () => {
  const log = Sarif.parse(JSON.parse(formatSarif(sampleVerifyReport())));
  const [run] = log.runs;
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), CHECKS.map((c) => `privaci/${c}`));
  for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  assert.deepEqual(run.results.map((r) => [r.ruleId, r.level]), [
    ["privaci/residual", "error"],
    ["privaci/k-anonymity", "warning"],
    ["privaci/row-count", "note"],
  ]);
  assert.deepEqual(run.results[0].locations[0].physicalLocation, {
    artifactLocation: { uri: "policies/privaci.yaml" },
    region: { startLine: 12, startColumn: 7 },
  });
  assert.deepEqual(run.results[0].locations[0].logicalLocations, [
    { fullyQualifiedName: "public.customers.notes", kind: "member" },
  ]);
  assert.equal(
    run.results[1].locations[0].physicalLocation?.artifactLocation.uri,
    "file:///abs/privaci.yaml",
  );
  assert.equal(run.results[1].locations[0].physicalLocation?.region, undefined);
  assert.equal(run.results[2].locations[0].physicalLocation, undefined);
});

Deno.test("artifactUri() encodes each path segment and makes absolute paths file: URIs", () => {
  assert.equal(artifactUri("conf/my policy.yaml"), "conf/my%20policy.yaml");
  assert.equal(artifactUri("C:\\x\\p.yaml"), "C%3A/x/p.yaml");
  assert.equal(artifactUri("/srv/a#b.yaml"), "file:///srv/a%23b.yaml");
});
