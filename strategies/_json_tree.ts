/**
 * JSON paths inside parsed documents, for the `json` strategy: the path syntax, the slots a path reaches,
 * and the leaves no path reaches (which `others:` decides about).
 *
 * @module
 */

/** Every member of an object or array (`[*]`, `.*`). */
export const ALL: unique symbol = Symbol("all");
/** The node itself and every node below it (`..`): the next step then applies to each. */
export const DESCEND: unique symbol = Symbol("descend");

/** One step of a path: a key, an index, `*` (every member) or `..` (any depth). */
export type PathStep = string | number | typeof ALL | typeof DESCEND;

/**
 * Parses a path such as `$.contact["e-mail"].tags[0]`, `$.items[*].name` or `$..email`.
 *
 * @throws {SyntaxError} for a path outside that syntax.
 */
export function parsePath(path: string): PathStep[] {
  if (!path.startsWith("$")) {
    throw new SyntaxError(`Cannot parse JSON path as it does not start with $: ${path}`);
  }
  const steps: PathStep[] = [];
  // `..` (any depth) comes before a name, `*` or a bracket, e.g. `$..email`, `$..*`, `$..["e-mail"]`.
  const re =
    /(\.\.(?=[A-Za-z_*[])|\.)(?:([A-Za-z_][\w-]*)|\*)|(\.\.)?(?:\[\*\]|\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\])/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m) throw new SyntaxError(`Cannot parse JSON path at offset ${at}: ${path}`);
    if (m[1] === ".." || m[3] === "..") steps.push(DESCEND);
    if (m[2] !== undefined) steps.push(m[2]);
    else if (m[4] !== undefined) steps.push(Number(m[4]));
    else if (m[5] !== undefined) steps.push(JSON.parse(`"${m[5]}"`));
    else if (m[6] !== undefined) steps.push(m[6].replace(/\\(.)/g, "$1"));
    else steps.push(ALL);
  }
  return steps;
}

/** An object or an array. */
export type Container = Record<string, unknown> | unknown[];

/** A place in a document: the value at `holder[key]`. */
export interface Slot {
  holder: Container;
  key: string | number;
}

/** A parsed document, held in a wrapper so that the root itself can be replaced. */
export interface Doc {
  root: unknown;
}

function valueAt(s: Slot): unknown {
  return (s.holder as Record<string | number, unknown>)[s.key];
}

/** `s` and every slot below it, parents before children. */
function descendants(s: Slot, out: Slot[]): void {
  out.push(s);
  const node = valueAt(s);
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      descendants({ holder: node, key: i }, out);
    }
  } else for (const k of Object.keys(node)) descendants({ holder: node as Container, key: k }, out);
}

/** Appends every slot `steps` reaches inside `doc` to `out`. */
export function collect(doc: Doc, steps: readonly PathStep[], out: Slot[]): void {
  let slots: Slot[] = [{ holder: doc as unknown as Container, key: "root" }];
  for (const step of steps) {
    const next: Slot[] = [];
    if (step === DESCEND) {
      for (const s of slots) descendants(s, next);
      slots = next;
      continue;
    }
    for (const s of slots) {
      const node = valueAt(s);
      if (node === null || typeof node !== "object") continue;
      if (step === ALL) {
        if (Array.isArray(node)) {
          for (let i = 0; i < node.length; i++) next.push({ holder: node, key: i });
        } else for (const k of Object.keys(node)) next.push({ holder: node as Container, key: k });
      } else if (
        Array.isArray(node) ? typeof step === "number" && step < node.length : Object.hasOwn(node, step)
      ) {
        next.push({ holder: node as Container, key: step });
      }
    }
    slots = next;
  }
  for (const s of slots) out.push(s);
}

/** Keys a message may show as they are; any other key is shown as `*` so no stored text reaches it. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,40}$/;

/**
 * The leaves (strings, numbers, booleans) of `doc` that no slot in `covered` holds, neither themselves nor
 * through a container above them. NULL leaves carry nothing and are not counted.
 *
 * @param covered the slots the paths reach, by holder.
 * @param leaves receives each uncovered leaf's slot.
 * @param shapes receives each uncovered leaf's path in general form (`$.a[*].b`, `$.*` for a key that is
 *   not a plain identifier), for messages.
 */
export function uncovered(
  doc: Doc,
  covered: ReadonlyMap<Container, ReadonlySet<string | number>>,
  leaves: Slot[],
  shapes: Set<string>,
): void {
  const walk = (s: Slot, shape: string): void => {
    if (covered.get(s.holder)?.has(s.key)) return;
    const node = valueAt(s);
    if (node === null || node === undefined) return;
    if (typeof node !== "object") {
      leaves.push(s);
      shapes.add(shape);
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk({ holder: node, key: i }, `${shape}[*]`);
    } else {
      for (const k of Object.keys(node)) {
        walk({ holder: node as Container, key: k }, PLAIN_KEY.test(k) ? `${shape}.${k}` : `${shape}.*`);
      }
    }
  };
  walk({ holder: doc as unknown as Container, key: "root" }, "$");
}

/** Adds `slots` to a map of covered slots by holder. */
export function cover(slots: readonly Slot[], covered: Map<Container, Set<string | number>>): void {
  for (const s of slots) {
    let keys = covered.get(s.holder);
    if (!keys) covered.set(s.holder, keys = new Set());
    keys.add(s.key);
  }
}
