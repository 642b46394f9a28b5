/**
 * Whether a text reads as a user post (a tweet, a comment, a chat line) rather than edited prose. In a
 * user post casing says less about names ("saw tobenna at the game") and the quality targets allow more
 * false hits, so the person-name model gets its user-posts threshold there (`detect.ts`).
 *
 * A text is a user post when it holds an @handle or a #hashtag; or, in four words or more, one strong
 * cue of informal writing: a lowercase "i" as a word, no capital letter at all, an emoticon or emoji,
 * chat abbreviations ("lol", "idk", "u", "im"), doubled "!"/"?", a letter stretched three times
 * ("sooo"), a retweet's "RT"; or two weak cues: a lowercase first word, a lowercase word after a full stop, "!", a link, no final
 * punctuation, a "#" set apart from its word. Each weak cue alone is common in edited text (a sentence
 * cut mid-way, a quoted exclamation, a headline); the cues and their split were chosen on the training
 * tweets (handles and hashtag signs removed) against GUM's and the SEC filings' training documents, and
 * checked on the tune files (tools/ner/config.ts).
 *
 * @module
 */

/** An @handle or a #hashtag opening a word (not the "@" of an e-mail address, not "#4512"). */
const POST_MARK = /(?:^|\s)(?:@[\p{L}\p{N}_]|#\p{L})/u;

/** A test of one cue on a whole text. */
interface Cue {
  test(text: string): boolean;
}

const WORD_CHAR = /[\p{L}\p{N}:]/u;
const LETTERS = /^\p{L}+$/u;

/**
 * A letter three times in a word of letters ("sooo"), not Roman numerals ("XIII", "iii"), "www" or an
 * IPv6 group ("fffa"): found by its triple first, then its word is checked, which is much cheaper than
 * one pattern doing both at every position.
 */
const STRETCHED: Cue = {
  test(text: string): boolean {
    const triple = /(?![ivxw])(\p{Ll})\1\1/gu;
    for (let m = triple.exec(text); m !== null; m = triple.exec(text)) {
      let a = m.index;
      let b = m.index + 3;
      while (a > 0 && WORD_CHAR.test(text[a - 1])) a--;
      while (b < text.length && WORD_CHAR.test(text[b])) b++;
      if (LETTERS.test(text.slice(a, b))) return true;
    }
    return false;
  },
};
/** No final punctuation: the last character that is not a space is no full stop, quote or bracket. */
const NO_FINAL_PUNCTUATION: Cue = {
  test(text: string): boolean {
    const end = text.trimEnd();
    return end.length > 0 && !".!?\"'”)".includes(end[end.length - 1]);
  },
};

// The costlier patterns open with the character they are about (V8 scans for it) and look behind from
// there; a pattern that would start at every position is a small function instead.
const STRONG: readonly Cue[] = [
  // "i" as a word, not an enumeration's "( i )" or "i . e .".
  /i(?<=(?:^|[^(\s]\s)i)(?=\s(?![).])|['’]|$)/u,
  // Lowercase letters only (in a text of four words or more, see FOUR_WORDS).
  { test: (text: string) => !/\p{Lu}/u.test(text) && /\p{Ll}/u.test(text) },
  /(?:^|\s)(?:[:;=]-?[)(DPpO/|]|xD|XD|<3|:'\()(?=[\s.,!?]|$)|\p{Extended_Pictographic}/u,
  // Chat abbreviations in any casing, and the ones that are also words or abbreviations of edited text
  // ("U.S.", "Ur", "SMH") and apostrophe-less contractions in lower case only.
  /\b(?:lol|lmao|lmfao|omg|omfg|idk|haha\w*|hehe|thx|tbh|btw|imho|wtf|rofl)\b/i,
  /\b(?:u|ur|pls|plz|smh|imo|ya|yall|luv|dont|cant|im|ive|thats|ppl|cuz|bc|gonna|wanna|gotta)\b/,
  /[!?] ?[!?]/,
  STRETCHED,
  /(?:^|\s)RT(?=\s)/,
];

const WEAK: readonly Cue[] = [
  /^[^\p{L}\p{N}@]*\p{Ll}{2,}(?=[\s,!?'’]|$)/u,
  // A lowercase word after a full stop that ends a word (not an ellipsis, not "e.g.").
  /(?:[!?]+|\.(?! ?[.…]))(?<=\p{L}{3} ?(?:[!?]+|(?<![.…] ?)\.)) +\p{Ll}{2,}(?=[\s,!?'’]|$)/u,
  /!/,
  /https?:\/\/|www\./,
  NO_FINAL_PUNCTUATION,
  /(?:^|\s)#\s\p{L}/u,
];

/**
 * Four words or more: a shorter value (a label, a product name, "garden hose") has too little writing
 * for its casing or punctuation to say anything, so only an @handle or a #hashtag counts there.
 */
const FOUR_WORDS = /\S\s+\S+\s+\S+\s+\S/;

/**
 * Whether `text` has enough to be read by its writing: an @handle or a #hashtag, or four words or more.
 * A shorter text never reads as a user post; a column's share of user posts counts only texts with writing.
 */
export function hasWriting(text: string): boolean {
  return POST_MARK.test(text) || FOUR_WORDS.test(text);
}

/** Whether `text` reads as a user post (see the module's description). */
export function readsAsUserPost(text: string): boolean {
  if (POST_MARK.test(text)) return true;
  if (!FOUR_WORDS.test(text)) return false;
  for (const cue of STRONG) if (cue.test(text)) return true;
  let weak = 0;
  for (const cue of WEAK) if (cue.test(text) && ++weak === 2) return true;
  return false;
}
