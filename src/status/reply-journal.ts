// Replies in the journal: what `chirp status --replies` read is kept (on a `status` record's `replies`
// field), so a reply survives a crash and Bird's retention. Keys only: the journal never holds a number
// or a reply's text. Read back in a pass of its own that parses only the lines that can hold replies.
import { parseRecord, readLines, type ReplyEntry } from '../journal/index.js';
import type { Reply } from './replies.js';

/** Longest stop word kept (a configured word, not Bird's text; bounded all the same). */
const MAX_WORD = 64;
/** Longest Bird message id kept (Bird's are UUIDs). */
const MAX_ID = 128;

/** Every reply the journal recorded, by Bird's message id, in the order first recorded. */
export async function journalReplies(path: string): Promise<Map<string, Reply>> {
  const replies = new Map<string, Reply>();
  for await (const { text } of readLines(path)) {
    // Cheap test first: a million-line journal holds a handful of reply records.
    if (!text.includes('"replies":')) continue;
    const record = parseRecord(text);
    if (record?.t !== 'status' || record.replies === undefined) continue;
    for (const [key, id, at, kind, word] of record.replies) {
      if (!replies.has(id)) replies.set(id, { id, at, key, kind, ...(word !== undefined ? { word } : {}) });
    }
  }
  return replies;
}

/** The journal's entries for replies it does not hold yet (none of their text, their sender as a key). */
export function newReplyEntries(read: readonly Reply[], known: ReadonlyMap<string, Reply>): ReplyEntry[] {
  const out: ReplyEntry[] = [];
  for (const r of read) {
    if (known.has(r.id) || r.id.length > MAX_ID) continue;
    const word = r.word?.slice(0, MAX_WORD);
    out.push(word !== undefined ? [r.key, r.id, r.at, r.kind, word] : [r.key, r.id, r.at, r.kind]);
  }
  return out;
}
