// Does a reply ask to stop? A reply is compared as a person reads it: Unicode-normalised (NFKC: `ＳＴＯＰ`
// is `STOP`), invisible format characters dropped (zero-width spaces, bidi marks), case-folded, spaces
// collapsed, and what is neither letter nor digit trimmed from both ends (`Stop.`, `stop!`, `🛑 STOP 🛑`).
// - `stop`: the whole reply is a stop word (the convention of SMS and WhatsApp keywords): its sender
//   asks to stop; `chirp status --replies` gives the `chirp suppress add` command.
// - `mention`: a stop word stands as a whole word inside a longer reply (`STOP please`, `please
//   unsubscribe me`, but also `don't stop`): listed apart, for a person to read before adding anyone.
//   Part of a word is no mention (`stopped`, `nonstop`).
// A missed opt-out is the costly mistake, so anything that might be one is shown; only the exact form
// is called a request to stop.

export const DEFAULT_STOP_WORDS: readonly string[] = ['STOP', 'UNSUBSCRIBE'];

/** Longest reply text looked at: a stop request is short; a long text is at most a mention near its start. */
const MAX_TEXT = 4096;

export type StopMatch = { kind: 'stop' | 'mention'; word: string } | undefined;

/** The comparable form of a reply or a stop word ('' when it holds no letter or digit). */
export function normaliseReply(text: string): string {
  return text
    .slice(0, MAX_TEXT)
    .normalize('NFKC')
    .replace(/\p{Cf}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

export interface StopWords {
  /** As configured, for output. */
  words: readonly string[];
  match(text: string): StopMatch;
}

/** The matcher for the configured words; a word with no letter or digit is refused (it would match nothing, or anything). */
export function stopWords(words: readonly string[]): StopWords | { error: string } {
  const forms: { word: string; form: string }[] = [];
  for (const word of words) {
    const form = normaliseReply(word);
    if (form === '') return { error: `stop word ${JSON.stringify(word)} has no letter or digit` };
    forms.push({ word, form });
  }
  return {
    words,
    match(text) {
      const reply = normaliseReply(text);
      if (reply === '') return undefined;
      for (const { word, form } of forms) if (reply === form) return { kind: 'stop', word };
      for (const { word, form } of forms) if (containsWord(reply, form)) return { kind: 'mention', word };
      return undefined;
    },
  };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** `form` inside `text` with no letter or digit right before or after it. */
function containsWord(text: string, form: string): boolean {
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
    const before = at === 0 ? '' : text.slice(0, at).slice(-2);
    const after = text.slice(at + form.length, at + form.length + 2);
    if (!WORD_CHAR.test(lastChar(before)) && !WORD_CHAR.test(firstChar(after))) return true;
  }
  return false;
}

// Code points, not UTF-16 units: a letter outside the BMP is still a letter.
const lastChar = (s: string): string => [...s].pop() ?? '';
const firstChar = (s: string): string => [...s][0] ?? '';
