/**
 * Source values of masked columns inside other columns of the target: a surname masked in `last_name`
 * but still inside a kept `photo_path` (`…/employees/davolio.bmp`), a contact's name left in a scrubbed
 * ticket. Matching is token-level (see `tokensOf`): the distinct tokens of the masked columns' source
 * values go into a temporary table of the target as keyed digests, and each scanned column's tokens are
 * digested and joined against them on the target.
 *
 * A kept column, or one of a table without a primary key, is checked globally: any such token anywhere in
 * it is a finding (a kept value is its own row's source value, so nothing else could have put it there).
 * A column whose strategy writes text of its own (`text.scrub` with `replace: fake`) can write a fake that
 * equals another row's real name, as fakes and real names come from the same pools; in a table with a
 * primary key such a column is checked row by row: a token counts only when the same row (by key) held it
 * in the column's source value too, so the masking left it there. The source sends the digests of its
 * (row key, token) pairs for tokens of masked columns' values; tokens only other rows held are counted
 * apart and are not findings.
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
import { digest, rowKey, textOf, tokensOf } from "./_sql.ts";
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

/** Whether a scanned column is checked row by row (see the module doc) rather than globally. */
export function isRowLinked(c: CheckedColumn): boolean {
  return c.strategy !== "keep" && c.table.info.primaryKey.length > 0;
}

/** Counts, per scanned column, the tokens equal to a token of a masked column's source values. */
export async function containment(
  source: Session,
  target: Session,
  origins: readonly CheckedColumn[],
  scanned: readonly CheckedColumn[],
): Promise<ContainmentResult[]> {
  if (origins.length === 0 || scanned.length === 0) return [];
  const tokens = originTokens(origins);
  await ship(source, target, {
    name: "privaci_tokens_raw",
    columns: [["d", "bigint"], ["origin", "int"]],
    query: `select ${digest("tok")} as d, origin from (${tokens}) o`,
  });
  await target.unsafe(`drop table if exists pg_temp.privaci_tokens`);
  await target.unsafe(
    `create temp table privaci_tokens as
       select d, array_agg(distinct origin) as origins from pg_temp.privaci_tokens_raw group by d`,
  );
  await target.unsafe(`analyze pg_temp.privaci_tokens`);
  const out: ContainmentResult[] = [];
  for (const c of scanned.filter((x) => TOKEN_FAMILIES.has(x.info.family))) {
    const counts = isRowLinked(c)
      ? await linkedCounts(source, target, c, tokens)
      : await globalCounts(target, c);
    out.push({
      table: c.table.name,
      column: c.info.column,
      linked: isRowLinked(c),
      rows: Number(counts.rows),
      occurrences: Number(counts.occ),
      distinct: Number(counts.dist),
      otherRows: Number(counts.other),
      from: (counts.origins?.split(",").map(Number) ?? []).sort((a, b) => a - b).map((i) =>
        `${origins[i].table.name}.${origins[i].info.column}`
      ),
    });
  }
  await target.unsafe(
    `drop table if exists pg_temp.privaci_tokens_raw, pg_temp.privaci_tokens, pg_temp.privaci_row_tokens`,
  );
  return out;
}

/** What the target counts for one column, as text (bigint counts). */
interface Counts {
  rows: string;
  occ: string;
  dist: string;
  other: string;
  origins: string | null;
}

/**
 * The tokens (`tok`) of each masked column's source values, with the column's index (`origin`), without
 * the column's format words.
 */
function originTokens(origins: readonly CheckedColumn[]): string {
  return origins.map((c, i) => {
    const col = quoteIdent(c.info.column);
    return `select tok, ${i} as origin from (
      select tok, count(*) as n, (select count(*) from ${
      fromTable(c.table.info)
    } where ${col} is not null) as total
        from ${fromTable(c.table.info)}, ${tokensOf(textOf(c.info))}
       where ${col} is not null group by tok) g
     where n <= greatest(2, least(total * ${RARE_SHARE}, greatest(10, total * ${COMMON_SHARE})))`;
  }).join("\nunion all\n");
}

/** Every token of the column equal to a token of the masked columns' source values. */
async function globalCounts(target: Session, c: CheckedColumn): Promise<Counts> {
  const col = quoteIdent(c.info.column);
  const [row] = await target.unsafe<Counts[]>(
    `with g as (select tok, count(*) as n from ${fromTable(c.table.info)}, ${tokensOf(textOf(c.info))}
                 where ${col} is not null group by tok),
          m as materialized (select g.n, s.d, s.origins from g join pg_temp.privaci_tokens s on s.d = ${
      digest("g.tok")
    })
     select (select count(*) from ${fromTable(c.table.info)} where ${col} is not null)::text as rows,
            (select coalesce(sum(n), 0) from m)::text as occ,
            (select count(*) from m)::text as dist,
            '0' as other,
            (select string_agg(distinct o::text, ',') from m, unnest(m.origins) o) as origins`,
  );
  return row;
}

/**
 * The tokens of the column equal to a token of the masked columns' source values that the same row held
 * in the column's source value: the source sends the digests of its rows' (key, token) pairs for such
 * tokens, and the target joins its own pairs against them.
 */
async function linkedCounts(
  source: Session,
  target: Session,
  c: CheckedColumn,
  tokens: string,
): Promise<Counts> {
  const col = quoteIdent(c.info.column);
  const from = fromTable(c.table.info);
  const pair = digest(`${rowKey(c.table.info.primaryKey, "r.")} || E'\\x1f' || toks.tok`);
  await ship(source, target, {
    name: "privaci_row_tokens",
    columns: [["p", "bigint"]],
    query: `with o as materialized (select distinct tok from (${tokens}) x)
      select ${pair} as p from ${from} r, ${tokensOf(textOf(c.info, "r."))}
       where r.${col} is not null and toks.tok in (select tok from o)`,
  });
  const [row] = await target.unsafe<Counts[]>(
    `with m as materialized (
       select ${pair} as p, s.d, s.origins from ${from} r, ${tokensOf(textOf(c.info, "r."))}
         join pg_temp.privaci_tokens s on s.d = ${digest("toks.tok")}
        where r.${col} is not null),
          l as materialized (select * from m where p in (select p from pg_temp.privaci_row_tokens))
     select (select count(*) from ${from} where ${col} is not null)::text as rows,
            (select count(*) from l)::text as occ,
            (select count(distinct d) from l)::text as dist,
            ((select count(*) from m) - (select count(*) from l))::text as other,
            (select string_agg(distinct o::text, ',') from l, unnest(l.origins) o) as origins`,
  );
  return row;
}

/**
 * The share of a row-by-row column's source tokens (its own rows' and other rows') up to which its own
 * rows' are what fakes drawn from the same pools explain: a deterministic fake maps a name to itself now
 * and then, in every row holding that name. The same share as replay allows a `pool` strategy.
 */
const CHANCE_SHARE = 0.05;

/**
 * The finding a containment result raises: high when the column holds many source tokens (one in ten
 * rows, or ten distinct ones), medium for a few, low for one or two in a large column. Row by row, own
 * rows' tokens that are at most {@link CHANCE_SHARE} of the column's source tokens cannot be told apart
 * from fakes equal to their own row's name by chance, and are low.
 */
export function containmentFinding(r: ContainmentResult): Omit<Finding, "policy"> | null {
  if (r.occurrences === 0) return null;
  const share = r.rows === 0 ? 0 : r.occurrences / r.rows;
  const chance = r.linked && r.occurrences <= CHANCE_SHARE * (r.occurrences + r.otherRows);
  const risk: Risk = chance
    ? "low"
    : share >= 0.1 || r.distinct >= 10
    ? "high"
    : share >= 0.01 || r.distinct >= 3
    ? "medium"
    : "low";
  const where = !r.linked
    ? ""
    : chance
    ? ` still in the row that held them in the source, of ${
      r.occurrences + r.otherRows
    } source tokens in all: as few as fakes drawn from the same pools equal by chance`
    : " still in the row that held them in the source";
  return {
    table: r.table,
    column: r.column,
    check: "containment",
    risk,
    count: r.occurrences,
    message:
      `${r.table}.${r.column} holds ${r.occurrences} occurrence(s) of ${r.distinct} distinct source token(s) of masked column(s) ${
        r.from.join(", ")
      }${where}`,
  };
}
