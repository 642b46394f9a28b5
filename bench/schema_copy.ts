/**
 * Times `schema: copy` without any row: planning (reading the catalog, rendering the DDL) and applying it
 * (pre-data, post-data, sequences) for the every-kind fixture and for a database of N tables, each with a
 * primary key, a foreign key to the table before it, an index, a check and a comment (N = 1000 by default).
 * Run: `deno run -A bench/schema_copy.ts [tables]`; it makes and drops its own databases on the test server.
 *
 * @module
 */
import { connect, createDb, dbUrl, dropDb, psqlFile } from "../tests/_pg.ts";
import { planSchemaCopy, type SchemaPlan } from "../pg/schema/plan.ts";
import { applyPost, applyPre, applySequences } from "../pg/schema/apply.ts";
import { EVERY_KIND, EVERY_KIND_SCHEMAS } from "../tests/fixtures/schema/_round_trip.ts";

const tables = Number(Deno.args[0] ?? 1000);

async function measure(name: string, load: (url: string) => Promise<void>, schemas: string[]): Promise<void> {
  const [source, target] = [await createDb("bsrc"), await createDb("bdst")];
  try {
    await load(dbUrl(source));
    const src = connect(dbUrl(source));
    const dst = connect(dbUrl(target), 2);
    try {
      let t = performance.now();
      const plan: SchemaPlan = await planSchemaCopy(src, { schemas });
      const planMs = performance.now() - t;
      t = performance.now();
      await applyPre(dst, plan);
      await applyPost(dst, plan, { parallel: 2 });
      await applySequences(dst, plan);
      const applyMs = performance.now() - t;
      const steps = plan.pre.length + plan.post.length + plan.sequences.length + plan.refresh.length +
        plan.final.length;
      console.log(`${name}: ${steps} steps, plan ${Math.round(planMs)} ms, apply ${Math.round(applyMs)} ms`);
    } finally {
      await src.end();
      await dst.end();
    }
  } finally {
    await dropDb(source);
    await dropDb(target);
  }
}

await measure("every-kind fixture", (url) => psqlFile(url, EVERY_KIND), EVERY_KIND_SCHEMAS);
await measure(`${tables} tables`, async (url) => {
  const sql = connect(url);
  try {
    const ddl = [];
    for (let i = 0; i < tables; i++) {
      ddl.push(
        `create table public.t${i} (id serial primary key, ${
          i > 0 ? `ref int references public.t${i - 1},` : ""
        }
        name text not null check (name <> ''), at timestamptz default now());
        create index t${i}_name_idx on public.t${i} (name);
        comment on table public.t${i} is 'table ${i}';`,
      );
    }
    for (let i = 0; i < ddl.length; i += 100) await sql.unsafe(ddl.slice(i, i + 100).join("\n"));
  } finally {
    await sql.end();
  }
}, ["public"]);
