/**
 * Randomness for tests, always replayable. Properties run through fast-check with {@link propertyParams}:
 * a bounded run count, and a failure prints `{ seed, path }` with the shrunk counter-example; set
 * `PRIVACI_FC_SEED` and `PRIVACI_FC_PATH` to those values (with `--filter` naming the test) to replay it.
 * {@link seededRandom} stays for the fault harness, which draws fault points for real runs against a
 * database rather than values to shrink.
 *
 * @module
 */
import type fc from "fast-check";

/** mulberry32: numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Parameters for `fc.assert`: `numRuns` runs (bounded, so the suite's time is known), or the replay of
 * one failure when `PRIVACI_FC_SEED` (and optionally `PRIVACI_FC_PATH`) are set.
 */
export function propertyParams<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const seed = Deno.env.get("PRIVACI_FC_SEED");
  const path = Deno.env.get("PRIVACI_FC_PATH");
  // The seed is chosen here rather than inside fast-check, so a check made after the runs can print it too.
  const replay = seed === undefined
    ? { seed: (Date.now() ^ (Math.random() * 2 ** 31)) | 0 }
    : { seed: Number(seed), ...(path ? { path } : {}) };
  return { numRuns, ...extra, ...replay };
}
