/**
 * The error a strategy factory throws when its params do not fit the column; the planner adds the table,
 * column and policy line.
 *
 * @module
 */

/** Params that passed the schema but do not fit this column (type, length, NOT NULL). */
export class StrategyParamsError extends Error {
  /** The fix, when one is known. */
  readonly hint?: string;

  constructor(message: string, options: { hint?: string } = {}) {
    super(message);
    this.name = "StrategyParamsError";
    if (options.hint !== undefined) this.hint = options.hint;
  }
}
