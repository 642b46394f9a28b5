/**
 * `number.bucket`: generalises a number to its bucket, for quasi-identifiers (age, income, weight):
 * buckets of one `width` (from `origin`), or between given `edges`, written as the bucket's lower edge,
 * its middle, or (in text columns) a label. Exact decimal arithmetic, so `width: 0.1` and bigints
 * bucket exactly.
 *
 * @module
 */
import { z } from "zod";
import { PrivaciError } from "../../errors.ts";
import { charLength, columnLabel, requireFamily } from "../_column.ts";
import { memoMasker } from "../_memo.ts";
import { StrategyParamsError } from "../errors.ts";
import {
  type Decimal,
  decimalOf,
  decimalWriter,
  floorDiv,
  formatDecimal,
  parseDecimal,
  rescale,
} from "./_decimal.ts";
import type { StrategyDefinition } from "../types.ts";

const params = z.strictObject({
  width: z.number().positive().optional().describe(
    "Width of every bucket: [origin + k × width, origin + (k + 1) × width); default 10 unless edges are given",
  ),
  origin: z.number().default(0).describe("Where the buckets of width start (a bucket edge)"),
  edges: z.array(z.number()).min(1).max(1000).optional().describe(
    "Ascending edges instead of a width: [18, 65] makes the buckets below 18, 18 to 65 and 65 or more",
  ),
  write: z.enum(["lower", "middle", "label"]).default("lower").describe(
    "lower (the bucket's lower edge; the upper one for the open bucket below the first edge), middle " +
      "(open buckets: their edge), or label (text columns: [30, 40), < 18, >= 65)",
  ),
}).refine((p) => p.width === undefined || p.edges === undefined, "give width or edges, not both")
  .refine(
    (p) => p.edges === undefined || p.edges.every((e, i) => i === 0 || e > p.edges![i - 1]),
    "edges must be strictly ascending",
  );
type Params = z.infer<typeof params>;

/** A bucket: its edges at a common scale, `null` for an open side. */
interface Bucket {
  lower: bigint | null;
  upper: bigint | null;
}

/** The `number.bucket` strategy. */
export const numberBucket = {
  meta: {
    name: "number.bucket",
    description: "Generalises numbers to buckets of a width or between edges (lower edge, middle or label)",
    details:
      "Generalisation for quasi-identifiers: an exact age, salary or weight, combined with a postcode " +
      "and a birth date, singles out most people; its bucket (ages 30–39, salaries by 10,000) is shared by " +
      "many. Every value of a bucket is written alike, so the masked copy keeps distributions and group " +
      "counts at the bucket's resolution. Choose buckets wide enough that each holds several people in " +
      "every combination with the other quasi-identifiers you keep, and top-code outliers with `edges` " +
      "(`[18, 30, 45, 65, 90]` puts everyone aged 90 or more together). Numbers that are not finite " +
      "(`NaN`, `Infinity`) are kept; text that is not a number stops the run naming the column.",
    suggest: [{ columnName: "^age$", families: ["integer", "numeric"], rank: 10 }],
    columnTypes: ["numeric", "integer", "float", "string"],
    deterministic: true,
    reproduces: "coarse",
    unique: false,
    keyed: false,
    examples: [
      { input: "37", output: "30", note: "decades by default" },
      { params: { width: 5000, write: "middle" }, input: "52340", output: "52500" },
      { params: { edges: [18, 30, 45, 65, 90] }, input: "93", output: "90", note: "top-coded at 90" },
    ],
  },
  params,
  create({ params, column }) {
    requireFamily("number.bucket", column, ["numeric", "integer", "float", "string"]);
    if (params.write === "label" && column.family !== "string") {
      throw new StrategyParamsError(
        `Cannot write bucket labels into ${columnLabel(column)}: ${column.type} is not a text column`,
        { hint: "use write: lower or write: middle for numeric columns" },
      );
    }
    const edges = params.edges ?? [params.width ?? 10, params.origin];
    if (column.family === "integer" && !edges.every(Number.isInteger)) {
      throw new StrategyParamsError(
        `Cannot bucket ${columnLabel(column)} by fractions: it is an integer column`,
        { hint: "give whole numbers for width, origin and edges" },
      );
    }
    const write = decimalWriter("number.bucket", column);
    const bucketOf = params.edges
      ? edgesBucket(params.edges)
      : widthBucket(params.width ?? 10, params.origin);
    const max = column.maxLength;
    return memoMasker((v) => {
      const d = parseDecimal(v);
      if (d === null) {
        if (column.family !== "string" && /^[+-]?(NaN|Infinity|inf)$/i.test(v.trim())) return v;
        throw new PrivaciError(
          "STRATEGY_FAILED",
          `Cannot bucket a value of ${columnLabel(column)}: it is not a number`,
          { hint: "mask this column with a strategy for text, or clean its non-numeric values" },
        );
      }
      const { bucket, scale } = bucketOf(d);
      const out = params.write === "label"
        ? label(bucket, scale)
        : params.write === "middle"
        ? middle(bucket, scale, write)
        : write(bucket.lower ?? bucket.upper!, scale);
      if (max !== null && charLength(out) > max) {
        throw new PrivaciError(
          "STRATEGY_INVALID_OUTPUT",
          `Cannot write a bucket into ${columnLabel(column)}: it is longer than ${column.type} holds`,
          { hint: "widen the column in the target, or write the bucket's lower edge" },
        );
      }
      return out;
    });
  },
} satisfies StrategyDefinition<Params>;

/** Buckets of one width from an origin. */
function widthBucket(width: number, origin: number): (d: Decimal) => { bucket: Bucket; scale: number } {
  const w = decimalOf(width), o = decimalOf(origin);
  return (d) => {
    const scale = Math.max(d.scale, w.scale, o.scale);
    const step = rescale(w.n, w.scale, scale), start = rescale(o.n, o.scale, scale);
    const lower = start + floorDiv(rescale(d.n, d.scale, scale) - start, step) * step;
    return { bucket: { lower, upper: lower + step }, scale };
  };
}

/** The buckets below, between and above ascending edges. */
function edgesBucket(edges: readonly number[]): (d: Decimal) => { bucket: Bucket; scale: number } {
  const ds = edges.map(decimalOf);
  const edgeScale = Math.max(...ds.map((e) => e.scale));
  return (d) => {
    const scale = Math.max(d.scale, edgeScale);
    const at = ds.map((e) => rescale(e.n, e.scale, scale));
    const x = rescale(d.n, d.scale, scale);
    let i = 0;
    while (i < at.length && at[i] <= x) i++;
    return { bucket: { lower: i === 0 ? null : at[i - 1], upper: i === at.length ? null : at[i] }, scale };
  };
}

function middle(b: Bucket, scale: number, write: (n: bigint, scale: number) => string): string {
  if (b.lower === null || b.upper === null) return write((b.lower ?? b.upper)!, scale);
  // (lower + upper) / 2, at one more decimal when it needs one.
  const sum = b.lower + b.upper;
  return sum % 2n === 0n ? write(sum / 2n, scale) : write(sum * 5n, scale + 1);
}

function label(b: Bucket, scale: number): string {
  const f = (n: bigint) => trimmed(formatDecimal(n, scale));
  if (b.lower === null) return `< ${f(b.upper!)}`;
  if (b.upper === null) return `>= ${f(b.lower)}`;
  return `[${f(b.lower)}, ${f(b.upper)})`;
}

/** A decimal without trailing zeros after its point (`30.00` → `30`). */
function trimmed(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}
