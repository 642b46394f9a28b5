/**
 * The registry of built-in strategies: one explicit list, no registration by import side effect.
 *
 * @module
 */
import { StrategyRegistry } from "./registry.ts";
import { keep } from "./keep.ts";
import { nullStrategy } from "./null.ts";

/** A new registry holding every built-in strategy. */
export function builtinStrategies(): StrategyRegistry {
  return new StrategyRegistry()
    .add(keep)
    .add(nullStrategy);
}
