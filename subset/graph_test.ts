import assert from "node:assert/strict";
import type { Subset } from "../config/schema.ts";
import type { Edge } from "./edges.ts";
import { notNullCycles, subsetGraph } from "./graph.ts";

function edge(child: string, parent: string, options: Partial<Edge> = {}): Edge {
  return {
    name: `${child}_${parent}_fk`,
    child,
    childColumns: [`${parent}_id`],
    parent,
    parentColumns: ["id"],
    virtual: false,
    nullable: false,
    cut: false,
    ...options,
  };
}

function subset(options: Partial<Subset> = {}): Subset {
  return {
    roots: { orders: { percent: 1 } },
    follow: "parents",
    virtual_foreign_keys: [],
    exclude_children: [],
    foreign_keys: {},
    ...options,
  };
}

// customers <- orders <- items -> products <- tags; settings alone.
const TABLES = ["customers", "items", "orders", "products", "settings", "tags"];
const EDGES = [
  edge("orders", "customers"),
  edge("items", "orders"),
  edge("items", "products"),
  edge("tags", "products"),
];

Deno.test("subsetGraph() with follow: parents reaches the roots' parents only; tables referencing kept rows are connected, the rest whole", () => {
  const g = subsetGraph(subset(), TABLES, EDGES);
  assert.deepEqual([...g.down].sort(), ["orders"]);
  assert.deepEqual([...g.reached].sort(), ["customers", "orders"]);
  assert.deepEqual([...g.connected].sort(), ["items"]);
});

Deno.test("subsetGraph() with follow: all takes children, their parents, and leaves link tables connected", () => {
  const g = subsetGraph(subset({ follow: "all" }), TABLES, EDGES);
  assert.deepEqual([...g.down].sort(), ["items", "orders"]);
  assert.deepEqual([...g.reached].sort(), ["customers", "items", "orders", "products"]);
  assert.deepEqual([...g.connected].sort(), ["tags"]);
});

Deno.test("subsetGraph() keeps excluded tables and cut relations out of the walk", () => {
  const excluded = subsetGraph(subset({ follow: "all", exclude_children: ["items"] }), TABLES, EDGES);
  assert.deepEqual([...excluded.reached].sort(), ["customers", "orders"]);
  assert.deepEqual([...excluded.connected].sort(), ["items"]);
  const cut = subsetGraph(subset(), TABLES, [edge("orders", "customers", { cut: true }), ...EDGES.slice(1)]);
  assert.deepEqual([...cut.reached].sort(), ["orders"]);
  assert.equal(cut.edges.some((e) => e.cut), false);
  assert.deepEqual(cut.cut.map((e) => e.name), ["orders_customers_fk"]);
});

Deno.test("notNullCycles() finds self-references and longer cycles of NOT NULL keys, not nullable ones", () => {
  const tables = new Set(["a", "b", "c", "d"]);
  const self = edge("a", "a");
  const ring = [edge("b", "c"), edge("c", "d"), edge("d", "b")];
  assert.deepEqual(notNullCycles(tables, [self, ...ring]), [[self], ring]);
  assert.deepEqual(
    notNullCycles(tables, [{ ...self, nullable: true }, ring[0], ring[1], { ...ring[2], nullable: true }]),
    [],
  );
});
