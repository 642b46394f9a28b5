import assert from "node:assert/strict";
import { sqlConditionProblem } from "./sql_condition.ts";

Deno.test("sqlConditionProblem() accepts conditions whose ';' and parentheses are inside literals, identifiers or comments", () => {
  for (
    const ok of [
      "country = 'DE'",
      "note like '%;%' and (id > 3 or (id < 0))",
      `"odd;name" = 1`,
      "body = E'it\\'s; fine'",
      "body = $$a; b) c$$ or body = $tag$;)$tag$",
      "id > 1 -- a comment; with (\n and id < 9",
      "id > 1 /* nested /* ; */ ) */ and true",
      "x = 'a''b;'",
      "price > $1",
    ]
  ) {
    assert.equal(sqlConditionProblem(ok), undefined, ok);
  }
});

Deno.test("sqlConditionProblem() refuses a condition that could end or rewrite the statement around it", () => {
  const cases: [string, string][] = [
    ["true; commit; delete from customers", "has a statement separator ';' at character 5"],
    ["true) to program 'curl x' --", "closes a parenthesis it did not open at character 5"],
    ["(id > 3", "leaves 1 parenthesis open"],
    ["id > 3 --", "ends in a '--' comment at character 8, which would swallow the query after it"],
    ["id > 3 /* x", "leaves the comment opened at character 8 unclosed"],
    ["name = 'x", "leaves the string literal opened at character 8 unclosed"],
    [`"x = 1`, "leaves the quoted identifier opened at character 1 unclosed"],
    ["x = $q$abc", "leaves the dollar-quoted string opened at character 5 unclosed"],
    // With standard_conforming_strings off, the server reads \' as a quote: the literal ends early and
    // the ';' runs. Either reading of the backslash must be safe.
    ["x = '\\'' ; delete from t; --'", "has a statement separator ';' at character 10"],
    ["x = E'\\'; delete from t", "leaves the string literal opened at character 6 unclosed"],
  ];
  for (const [sql, problem] of cases) assert.equal(sqlConditionProblem(sql), problem, sql);
});
