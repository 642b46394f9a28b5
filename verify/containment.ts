/**
 * Source values of masked columns inside other columns of the target: a surname masked in `last_name`
 * but still inside a kept `photo_path` (`…/employees/davolio.bmp`), a contact's name inside a kept
 * homepage URL. Matching is token-level (see `tokensOf`): the distinct tokens of the masked columns'
 * source values go into a temporary table of the target as keyed digests, and each kept or scrubbed
 * column's tokens are digested and joined against them on the target.
 *
 * Tokens in many of a column's values (`gmail`, `street`, `com`) describe the column's format rather
 * than a person and are left out: those in more than {@link COMMON_SHARE} of the values of a large column,
 * more than ten values of a small one, and more than {@link RARE_SHARE} of a tiny one.
 *
 * @module
 */
import { fromTable, quoteIdent } from "../pg/source.ts";
import type { CheckedColumn } from "./columns.ts";
import type { ContainmentResult, Finding, Risk } from "./findings.ts";
import { digest, textOf, tokensOf } from "./_sql.ts";
import { type Session, ship } from "./_ship.ts";

/** A token in more than this share of a large column's values is a format word, not personal data. */
const COMMON_SHARE = 0.05;
/** The same for a column of fewer than 50 values. */
const RARE_SHARE = 0.2;

/** Families whose values hold words (addresses and other types hold none of the tokens looked for). */
const TOKEN_FAMILIES = new Set(["string", "json", "array"]);

/** Strategies whose source values are the personal data containment looks for. */
const ORIGINS = new Set(["nothing", "placeholder", "pool"]);

/** Whether a masked column's source values are looked for in other columns. */
export function isOrigin(c: CheckedColumn): boolean {
  return ORIGINS.has(c.reproduces) && (c.info.family === "string" || c.info.family === "array");
}

/** Counts, per scanned column, the tokens equal to a token of a masked column's source values. */
export async function containment(
  source: Session,
  target: Session,
  origins: readonly CheckedColumn[],
  scanned: readonly CheckedColumn[],
): Promise<ContainmentResult[]> {
  if (origins.length === 0 || scanned.length === 0) return [];
  const parts = origins.map((c, i) => {
    const col = quoteIdent(c.info.column);
    return `select ${digest("tok")} as d, ${i} as origin from (
      select tok, count(*) as n, (select count(*) from ${
      fromTable(c.table.info)
    } where ${col} is not null) as total
        from ${fromTable(c.table.info)}, ${tokensOf(textOf(c.info))}
       where ${col} is not null group by tok) g
     where n <= greatest(2, least(total * ${RARE_SHARE}, greatest(10, total * ${COMMON_SHARE})))`;
  });
  await ship(source, target, {
    name: "privaci_tokens_raw",
    columns: [["d", "bigint"], ["origin", "int"]],
    query: parts.join("\nunion all\n"),
  });
  await target.unsafe(`drop table if exists pg_temp.privaci_tokens`);
  await target.unsafe(
    `create temp table privaci_tokens as
       select d, array_agg(distinct origin) as origins from pg_temp.privaci_tokens_raw group by d`,
  );
  await target.unsafe(`analyze pg_temp.privaci_tokens`);
  const out: ContainmentResult[] = [];
  for (const c of scanned.filter((x) => TOKEN_FAMILIES.has(x.info.family))) {
    const col = quoteIdent(c.info.column);
    const [row] = await target.unsafe<
      { rows: string; occ: string; dist: string; origins: string | null }[]
    >(
      `with g as (select tok, count(*) as n from ${fromTable(c.table.info)}, ${tokensOf(textOf(c.info))}
                   where ${col} is not null group by tok),
            m as materialized (select g.n, s.d, s.origins from g join pg_temp.privaci_tokens s on s.d = ${
        digest("g.tok")
      })
       select (select count(*) from ${fromTable(c.table.info)} where ${col} is not null)::text as rows,
              (select coalesce(sum(n), 0) from m)::text as occ,
              (select count(*) from m)::text as dist,
              (select string_agg(distinct o::text, ',') from m, unnest(m.origins) o) as origins`,
    );
    out.push({
      table: c.table.name,
      column: c.info.column,
      rows: Number(row.rows),
      occurrences: Number(row.occ),
      distinct: Number(row.dist),
      from: (row.origins?.split(",").map(Number) ?? []).sort((a, b) => a - b).map((i) =>
        `${origins[i].table.name}.${origins[i].info.column}`
      ),
    });
  }
  await target.unsafe(`drop table if exists pg_temp.privaci_tokens_raw, pg_temp.privaci_tokens`);
  return out;
}

/**
 * The finding a containment result raises: high when the column holds many source tokens (one in ten
 * rows, or ten distinct ones), medium for a few, low for one or two in a large column.
 */
export function containmentFinding(r: ContainmentResult): Omit<Finding, "policy"> | null {
  if (r.occurrences === 0) return null;
  const share = r.rows === 0 ? 0 : r.occurrences / r.rows;
  const risk: Risk = share >= 0.1 || r.distinct >= 10
    ? "high"
    : share >= 0.01 || r.distinct >= 3
    ? "medium"
    : "low";
  return {
    table: r.table,
    column: r.column,
    check: "containment",
    risk,
    count: r.occurrences,
    message:
      `${r.table}.${r.column} holds ${r.occurrences} occurrence(s) of ${r.distinct} distinct source token(s) of masked column(s) ${
        r.from.join(", ")
      }`,
  };
}
