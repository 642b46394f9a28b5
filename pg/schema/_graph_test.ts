import assert from "node:assert/strict";
import { closure, type Edge, type Graph, orderingDeps } from "./_graph.ts";

function graph(edges: Edge[], members: [string, string][] = []): Graph {
  const g: Graph = { edges, out: new Map(), into: new Map(), memberOf: new Map(members) };
  for (const e of edges) {
    g.out.set(e.from, [...(g.out.get(e.from) ?? []), e]);
    g.into.set(e.to, [...(g.into.get(e.to) ?? []), e]);
  }
  return g;
}

const e = (from: string, to: string, type: string, fromKind = ""): Edge => ({ from, to, type, fromKind });

Deno.test("closure() follows references and ownership, stops at extension members and returns their extensions", () => {
  const g = graph(
    [
      e("rel:1", "type:2", "n"), // a column of a type in another schema
      e("rel:3", "rel:1", "a", "r"), // a partition of the selected table
      e("con:4", "rel:1", "a"), // a constraint of it
      e("con:4", "rel:5", "n"), // referencing another table
      e("rel:1", "type:7", "n"), // a column of an extension's type
      e("rel:8", "rel:1", "n", "v"), // a view on the table: not needed by it
    ],
    [["type:7", "ext:6"]],
  );
  const { keys, extensions } = closure(g, ["rel:1"]);
  assert.deepEqual([...keys].sort(), ["con:4", "rel:1", "rel:3", "rel:5", "type:2"]);
  assert.deepEqual([...extensions], ["ext:6"]);
});

Deno.test("orderingDeps() leaves out a sequence's dependency on the column that owns it", () => {
  const g = graph([
    e("rel:9", "rel:1", "a", "S"),
    e("rel:1", "rel:9", "n", "r"),
    e("rel:3", "rel:1", "a", "r"),
  ]);
  const deps = orderingDeps(g);
  assert.deepEqual([...deps.keys()].sort(), ["rel:1", "rel:3"]);
  assert.deepEqual([...deps.get("rel:1")!], ["rel:9"]);
});
