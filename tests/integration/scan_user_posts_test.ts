/**
 * `privaci scan` on a table with a column of user posts and a column of edited prose, both real texts of
 * the person-name model's training files (tools/ner/config.ts role "train"): the posts column's rule gets
 * `text: posts`, the prose column's does not, the draft passes `privaci check`, and `scan -c` leaves a
 * policy's own text.scrub rule as it is.
 *
 * @module
 */
import assert from "node:assert/strict";
import { scan } from "../../scan/scan.ts";
import { parsePolicy } from "../../config/load.ts";
import { readGum, readTweets } from "../../tools/ner/corpora.ts";
import { CORPORA_DIR, listCorpora } from "../../tools/ner/train.ts";
import { privaci } from "../fixtures/core/cli.ts";
import { connect, withDbs } from "../_pg.ts";

const ROWS = 200;

/** WNUT-17 training tweets with their @handles and hashtag signs removed: only the writing tells. */
async function posts(): Promise<string[]> {
  const text = await Deno.readTextFile(new URL("wnut17/wnut17train.conll", CORPORA_DIR));
  return readTweets(text, ["person"])
    .map((t) => t.text.replace(/(^|\s)@\S+/g, "$1").replace(/(^|\s)#(?=\p{L})/gu, "$1").trim())
    .filter((t) => t.length > 0)
    .slice(0, ROWS);
}

/** Sentences of GUM's training news and academic documents. */
async function prose(): Promise<string[]> {
  const out: string[] = [];
  for (const f of listCorpora()) {
    if (f.role !== "train" || !/gum\/GUM_(news|academic)_/.test(f.path)) continue;
    out.push(...readGum(await Deno.readTextFile(new URL(f.path, CORPORA_DIR)), 1).map((t) => t.text));
    if (out.length >= ROWS) break;
  }
  return out.slice(0, ROWS);
}

async function seed(url: string): Promise<{ comments: string[]; notes: string[] }> {
  const [comments, notes] = [await posts(), await prose()];
  assert.equal(comments.length, ROWS);
  assert.equal(notes.length, ROWS);
  const sql = connect(url);
  try {
    await sql`create table feedback (id int primary key, comment text, note text)`;
    await sql`insert into feedback ${
      sql(comments.map((comment, i) => ({ id: i + 1, comment, note: notes[i] })), "id", "comment", "note")
    }`;
  } finally {
    await sql.end();
  }
  return { comments, notes };
}

Deno.test("scan proposes text: posts for a column of informal posts and not for a column of prose", async () => {
  await withDbs(async ({ sourceUrl, targetUrl }) => {
    const { comments, notes } = await seed(sourceUrl);
    const result = await scan({ source: sourceUrl });
    const column = (c: string) => result.tables[0].columns.find((x) => x.column === c)!;
    assert.deepEqual(column("comment").rule, { strategy: "text.scrub", text: "posts" });
    assert.deepEqual(column("note").rule, { strategy: "text.scrub" });
    assert.match(
      column("comment").evidence.join("; "),
      /\d+\/\d+ sampled texts \(4\+ words or a handle\) read as user posts, cut 20%: user posts/,
    );
    assert.match(column("note").evidence.join("; "), /read as user posts, cut 20%: not user posts/);
    const dir = await Deno.makeTempDir();
    try {
      const draft = `${dir}/privaci.yaml`;
      const scanned = await privaci(["scan", "--source", sourceUrl, "--out", draft, "--quiet"]);
      assert.equal(scanned.code, 0, scanned.stderr);
      const text = await Deno.readTextFile(draft);
      assert.match(text, /^ {6}comment: \{ strategy: text\.scrub, text: posts \} # free_text/m);
      assert.match(text, /^ {6}note: text\.scrub # free_text/m);
      const quoted = [...comments, ...notes].filter((v) => v.length > 12 && text.includes(v));
      assert.deepEqual(quoted, [], "the draft quotes sampled values");
      const env = {
        PRIVACI_SOURCE_URL: sourceUrl,
        PRIVACI_TARGET_URL: targetUrl,
        PRIVACI_KEY: "k".repeat(40),
      };
      const checked = await privaci(["check", "-c", draft], env);
      assert.equal(checked.code, 0, checked.stdout + checked.stderr);
      const loaded = parsePolicy(text, { file: draft, env: (name) => env[name as keyof typeof env] });
      const rule = loaded.policy.tables["public.feedback"].columns.comment;
      assert.equal(typeof rule === "object" && rule !== null && "text" in rule ? rule.text : null, "posts");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("scan -c leaves a policy's own text.scrub rule on a column of posts as it is and suggests text: posts", async () => {
  await withDbs(async ({ sourceUrl }) => {
    await seed(sourceUrl);
    const dir = await Deno.makeTempDir();
    try {
      const policy = `${dir}/privaci.yaml`;
      await Deno.writeTextFile(
        policy,
        [
          "version: 1",
          "source: ${PRIVACI_SOURCE_URL}",
          "target: ${PRIVACI_TARGET_URL}",
          "key: ${PRIVACI_KEY}",
          "tables:",
          "  public.feedback:",
          "    columns:",
          "      id: keep",
          "      comment: { strategy: text.scrub, replace: fake } # ours",
          "",
        ].join("\n"),
      );
      const out = `${dir}/merged.yaml`;
      const merged = await privaci(["scan", "-c", policy, "--out", out], { PRIVACI_SOURCE_URL: sourceUrl });
      assert.equal(merged.code, 0, merged.stderr);
      const text = await Deno.readTextFile(out);
      // The rule stays as written; the suggestion is a comment above it, and a line of the summary.
      assert.match(
        text,
        /\n {6}# privaci scan suggests adding text: posts to this rule: \d+\/\d+ sampled texts .*: user posts, .*\n {6}comment: \{ strategy: text\.scrub, replace: fake \} # ours\n/,
      );
      assert.match(
        merged.stderr,
        /suggested for public\.feedback\.comment \(rule left as it is\): text: posts;/,
      );
      assert.match(text, /^ {6}note: text\.scrub # free_text/m);
      const loaded = parsePolicy(text, { file: out, env: () => "postgres://x.invalid/" + "k".repeat(40) });
      assert.deepEqual(loaded.policy.tables["public.feedback"].columns.comment, {
        strategy: "text.scrub",
        replace: "fake",
      });
      // A second scan replaces its suggestion rather than repeating it.
      const twice = await privaci(["scan", "-c", out, "--out", out], { PRIVACI_SOURCE_URL: sourceUrl });
      assert.equal(twice.code, 0, twice.stderr);
      assert.equal((await Deno.readTextFile(out)).match(/privaci scan suggests/g)?.length, 1);
      // A rule that has chosen its threshold gets no suggestion.
      await Deno.writeTextFile(policy, text.replace("replace: fake }", "replace: fake, text: auto }"));
      const again = await privaci(["scan", "-c", policy, "--out", out], { PRIVACI_SOURCE_URL: sourceUrl });
      assert.equal(again.code, 0, again.stderr);
      assert.doesNotMatch(again.stderr, /suggested for/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
