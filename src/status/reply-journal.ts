// Replies and interactions in the journal: what `chirp status --replies` and `--interactions` read is
// kept (the `replies` and `interactions` fields of a `status` record), so it survives a crash and Bird's
// retention. Keys only: the journal never holds a number or a reply's text. Read back in a pass of its
// own that parses only the lines that can hold them.
import { parseRecord, readLines, type InteractionEntry, type ReplyEntry } from '../journal/index.js';
import type { Reply } from './replies.js';

/** Longest stop word kept (a configured word, not Bird's text; bounded all the same). */
const MAX_WORD = 64;
/** Longest Bird message id kept (Bird's are UUIDs). */
const MAX_ID = 128;

/** Reads and clicks of one recipient's message, as last recorded. */
export type InteractionTally = [read: number, clicked: number, other: number];

export interface JournalReads {
  /** Every reply the journal recorded, by Bird's message id, in the order first recorded. */
  replies: Map<string, Reply>;
  /** Recipient key → the interactions last recorded for its message. */
  interactions: Map<string, InteractionTally>;
}

/**
 * What earlier `chirp status` runs read and recorded beside statuses: replies and interactions.
 * `keepInteractions`: the keys whose recorded counts are wanted (default: all); the others are not kept.
 */
export async function journalReads(path: string, keepInteractions?: (key: string) => boolean): Promise<JournalReads> {
  const replies = new Map<string, Reply>();
  const interactions = new Map<string, InteractionTally>();
  for await (const { text } of readLines(path)) {
    // Cheap test first: a million-line journal holds a handful of these records.
    if (!text.includes('"replies":') && !text.includes('"interactions":')) continue;
    const record = parseRecord(text);
    if (record?.t !== 'status') continue;
    addReplies(replies, record.replies);
    for (const [key, read, clicked, other] of record.interactions ?? [])
      if (keepInteractions === undefined || keepInteractions(key)) interactions.set(key, [read, clicked, other]);
  }
  return { replies, interactions };
}

/**
 * Every interaction count the journal recorded, in the order recorded (a later one for the same key
 * supersedes an earlier): the lines that hold them only, nothing kept here.
 */
export async function journalInteractions(
  path: string,
  visit: (key: string, read: number, clicked: number, other: number) => void,
): Promise<void> {
  for await (const { text } of readLines(path)) {
    if (!text.includes('"interactions":')) continue;
    const record = parseRecord(text);
    if (record?.t !== 'status') continue;
    for (const [key, read, clicked, other] of record.interactions ?? []) visit(key, read, clicked, other);
  }
}

/** A status record's replies into `replies` (by Bird's message id; the first record of an id stays). */
export function addReplies(replies: Map<string, Reply>, entries: readonly ReplyEntry[] | undefined): void {
  for (const [key, id, at, kind, word] of entries ?? []) {
    if (!replies.has(id)) replies.set(id, { id, at, key, kind, ...(word !== undefined ? { word } : {}) });
  }
}

/** Every reply the journal recorded, by Bird's message id, in the order first recorded. */
export async function journalReplies(path: string): Promise<Map<string, Reply>> {
  return (await journalReads(path)).replies;
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

/** The journal's entries for interaction counts that differ from what it last recorded for the key. */
export function newInteractionEntries(
  read: ReadonlyMap<string, InteractionTally>,
  known: ReadonlyMap<string, InteractionTally>,
): InteractionEntry[] {
  const out: InteractionEntry[] = [];
  for (const [key, [r, c, o]] of read) {
    const before = known.get(key);
    if (before && before[0] === r && before[1] === c && before[2] === o) continue;
    out.push([key, r, c, o]);
  }
  return out;
}
