/**
 * The one registry of strategies. Built-ins and plugins are added the same way and listed, validated and
 * documented the same way. No import registers anything by side effect.
 *
 * @module
 */
import type { StrategyDefinition } from "./types.ts";

/** A set of strategies addressed by name. */
export class StrategyRegistry {
  #defs = new Map<string, StrategyDefinition<unknown>>();

  /**
   * Adds a strategy.
   *
   * @throws {TypeError} when a strategy of the same name is already registered.
   */
  add<P>(def: StrategyDefinition<P>): this {
    const name = def.meta.name;
    if (this.#defs.has(name)) {
      throw new TypeError(`Cannot add strategy as its name is already registered: "${name}"`);
    }
    this.#defs.set(name, def as StrategyDefinition<unknown>);
    return this;
  }

  /** The strategy of that name, or `undefined`. */
  get(name: string): StrategyDefinition<unknown> | undefined {
    return this.#defs.get(name);
  }

  /** True when a strategy of that name is registered. */
  has(name: string): boolean {
    return this.#defs.has(name);
  }

  /** Every registered name, sorted. */
  names(): string[] {
    return [...this.#defs.keys()].sort();
  }

  /** Every registered strategy, sorted by name. */
  list(): StrategyDefinition<unknown>[] {
    return this.names().map((n) => this.#defs.get(n)!);
  }
}
