// Replies: the journal's record of them (round trip; old journals and older chirps unaffected) and the
// listing's checks (each message checked; a page token that comes back, the page cap, a sender chirp
// cannot read: not complete).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJournal, parseRecord, readJournal, type HeaderFields, type JournalRecord } from '../../src/journal/index.js';
import { recipientKey } from '../../src/send/index.js';
import {
  journalReads,
  journalReplies,
  listReplies,
  newInteractionEntries,
  newReplyEntries,
  stopWords,
  summarizeReplies,
  type Reply,
  type StopWords,
} from '../../src/status/index.js';
import type { Transport } from '../../src/transport/index.js';
import { maskReplies, repliesText } from '../../src/report/index.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2026-12-07T10:00:00.000Z';
const header = (runId: string): HeaderFields => ({
  runId,
  messageId: 'notice',
  definitionHash: 'd',
  dataHash: 'h',
  chirpVersion: '0.1.0',
  startedAt: AT,
  channelId: 'chan',
  workspace: 'ws',
  options: {},
});

const replies: Reply[] = [
  { id: 'm1', at: AT, key: 'k1', receiver: '+31620000001', kind: 'stop', word: 'STOP' },
  { id: 'm2', at: AT, key: 'k2', receiver: '+31620000002', kind: 'mention', word: 'UNSUBSCRIBE' },
  { id: 'm3', at: AT, key: 'k3', receiver: '+31620000003', kind: 'reply' },
];

// What chirp checked of a `status` record before replies existed (records.ts at that time): the line
// must still pass it, so an older chirp reads the journal without calling it damaged.
const olderStatusShape = (r: Record<string, unknown>): boolean =>
  typeof r.at === 'string' &&
  Array.isArray(r.entries) &&
  r.entries.every((e: unknown) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string');

describe('replies in the journal', () => {
  it('round trip: written on a status record, read back by id (no number, no text), the journal undamaged', async () => {
    const dir = tempDir('chirp-replies-');
    const journal = await createJournal(dir, header('r1'), { pid: process.pid });
    const entries = newReplyEntries(replies, new Map());
    expect(entries).toEqual([
      ['k1', 'm1', AT, 'stop', 'STOP'],
      ['k2', 'm2', AT, 'mention', 'UNSUBSCRIBE'],
      ['k3', 'm3', AT, 'reply'],
    ]);
    const record: JournalRecord = { t: 'status', at: AT, entries: [], replies: entries };
    await journal.appendDurable([record]);
    await journal.close();
    const path = join(dir, 'r1.ndjson');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/\+3162/);
    const back = await journalReplies(path);
    expect([...back.values()]).toEqual(replies.map(({ receiver: _receiver, ...r }) => r));
    const state = await readJournal(path);
    expect(state.damage).toEqual([]);
    const line = text.split('\n').find((l) => l.includes('"replies"'))!;
    expect(parseRecord(line)).toMatchObject({ t: 'status', replies: entries });
    expect(olderStatusShape(JSON.parse(line) as Record<string, unknown>)).toBe(true);
    // Already journalled: nothing to write again.
    expect(newReplyEntries(replies, back)).toEqual([]);
  });

  it('old journals (format 1 and 2, no replies) read as before, with no replies', async () => {
    const dir = tempDir('chirp-replies-');
    const v1 = join(dir, 'old.ndjson');
    writeFileSync(
      v1,
      [
        JSON.stringify({ t: 'header', v: 1, ...header('old') }),
        JSON.stringify({ t: 'intent', b: 0, keys: ['k1'], at: AT }),
        JSON.stringify({ t: 'outcome', b: 0, status: 'accepted', at: AT }),
        JSON.stringify({ t: 'status', at: AT, entries: [['k1', 'delivered']] }),
        '',
      ].join('\n'),
    );
    expect((await readJournal(v1)).damage).toEqual([]);
    expect((await journalReplies(v1)).size).toBe(0);
    const journal = await createJournal(dir, header('r2'), { pid: process.pid });
    await journal.appendDurable([{ t: 'status', at: AT, entries: [['k1', 'delivered']] }]);
    await journal.close();
    expect((await journalReplies(join(dir, 'r2.ndjson'))).size).toBe(0);
  });

  it('interaction counts: only changed ones are written, the last one per key is read back, a bad count is damage', async () => {
    const dir = tempDir('chirp-replies-');
    const journal = await createJournal(dir, header('r4'), { pid: process.pid });
    const first = newInteractionEntries(
      new Map([
        ['k1', [1, 0, 0]],
        ['k2', [0, 0, 0]],
      ]),
      new Map(),
    );
    await journal.appendDurable([{ t: 'status', at: AT, entries: [], interactions: first }]);
    const path = join(dir, 'r4.ndjson');
    const known = (await journalReads(path)).interactions;
    const second = newInteractionEntries(
      new Map([
        ['k1', [1, 1, 0]],
        ['k2', [0, 0, 0]],
      ]),
      known,
    );
    expect(second).toEqual([['k1', 1, 1, 0]]);
    await journal.appendDurable([{ t: 'status', at: AT, entries: [], interactions: second }]);
    await journal.appendDurable([{ t: 'status', at: AT, entries: [], interactions: [['k3', -1, 0, 0]] }]);
    await journal.close();
    expect([...(await journalReads(path)).interactions]).toEqual([
      ['k1', [1, 1, 0]],
      ['k2', [0, 0, 0]],
    ]);
    expect((await readJournal(path)).damage.map((d) => d.line)).toEqual([4]);
  });

  it('a replies field of an unknown shape is damage, named by line, never read as replies', async () => {
    const dir = tempDir('chirp-replies-');
    const journal = await createJournal(dir, header('r3'), { pid: process.pid });
    await journal.appendDurable([{ t: 'status', at: AT, entries: [], replies: [['k1', 'm1', AT, 'maybe' as 'stop']] }]);
    await journal.appendDurable([{ t: 'status', at: AT, entries: [], replies: [['k1', 'm1', AT, 'stop', 'x'.repeat(65)]] }]);
    await journal.close();
    const path = join(dir, 'r3.ndjson');
    const state = await readJournal(path);
    expect(state.damage.map((d) => d.line)).toEqual([2, 3]);
    expect(state.damage[0]!.reason).toMatch(/"status" record of an unknown shape/);
    expect((await journalReplies(path)).size).toBe(0);
  });
});

// A transport that answers GET listings from a list of pages (one per call).
function pages(answers: unknown[]): Transport & { paths: string[] } {
  const paths: string[] = [];
  let i = 0;
  return {
    paths,
    get: (path: string) => {
      paths.push(path);
      return Promise.resolve({ http: 200, body: answers[Math.min(i++, answers.length - 1)] });
    },
  } as unknown as Transport & { paths: string[] };
}

const words = stopWords(['STOP', 'UNSUBSCRIBE']) as StopWords;
const key = (n: string): string => recipientKey('notice', n, 1);
const incoming = (id: string, from: unknown, text = 'STOP', extra: Record<string, unknown> = {}) => ({
  id,
  channelId: 'chan',
  status: 'delivered',
  direction: 'incoming',
  createdAt: AT,
  sender: from === undefined ? { connector: { id: 'x' } } : { contact: { identifierValue: from } },
  body: { type: 'text', text: { text } },
  ...extra,
});
const run = new Set([key('+31620000001'), key('+31620000002')]);
const options = (transport: Transport, extra: object = {}) => ({
  transport,
  channelId: 'chan',
  messageId: 'notice',
  isRecipient: (k: string) => run.has(k),
  startAt: Date.parse(AT),
  endAt: Date.parse(AT) + 3_600_000,
  stopWords: words,
  ...extra,
});

describe('listReplies', () => {
  it('keeps replies of the run (a number in any spelling Bird may use), counts others, skips outgoing, each message once', async () => {
    const t = pages([
      {
        results: [incoming('a', '+31 6 2000 0001'), incoming('b', '+31699999999'), incoming('c', '0620000002', 'hi', {})],
        nextPageToken: 'p2',
      },
      { results: [incoming('a', '+31620000001'), { ...incoming('d', '+31620000001'), direction: 'outgoing' }] },
    ]);
    const listing = await listReplies(options(t, { defaultCountry: 'NL' }));
    expect(listing).toMatchObject({ complete: true, pages: 2, fromOthers: 1, outgoingListed: 1 });
    expect(listing.replies.map((r) => [r.id, r.receiver, r.kind])).toEqual([
      ['a', '+31620000001', 'stop'],
      ['c', '+31620000002', 'reply'],
    ]);
    expect(t.paths[0]).toMatch(/^\/channels\/chan\/messages\?limit=100&direction=incoming&startAt=.+&endAt=.+$/);
    expect(t.paths[1]).toMatch(/&pageToken=p2$/);
  });

  it('an address replying in any case is the run recipient, keyed case-folded (this chirp) or as sent (the chirp before)', async () => {
    const keys = new Set([key('ada@x.com'), key('Bo@x.com')]);
    const t = pages([
      { results: [incoming('a', 'ADA@X.com'), incoming('b', 'Bo@X.COM'), incoming('c', 'bo@x.com'), incoming('d', 'cy@x.com')] },
    ]);
    const listing = await listReplies(options(t, { isRecipient: (k: string) => keys.has(k) }));
    // `bo@x.com` to a run of the chirp before, which keyed `Bo@x.com`: no key tells the two apart, so it is another's.
    expect(listing.fromOthers).toBe(2);
    expect(listing.replies.map((r) => [r.id, r.key])).toEqual([
      ['a', key('ada@x.com')],
      ['b', key('Bo@x.com')],
    ]);
  });

  it.each([
    ['a page token that comes back', [{ results: [], nextPageToken: 'p' }], /page token it had given before/],
    ['an incoming message without a sender contact', [{ results: [incoming('a', undefined)] }], /names no sender contact/],
    ['a sender chirp cannot read', [{ results: [incoming('a', 'not-a-number')] }], /sender is not a number/],
    [
      'a message without direction',
      [{ results: [{ ...incoming('a', '+31620000001'), direction: undefined }] }],
      /neither incoming nor outgoing/,
    ],
    ['a result that is no Bird message', [{ results: [{ id: 'a' }] }], /not a Bird message/],
    ['a token that is not a string', [{ results: [], nextPageToken: 7 }], /nextPageToken is not a string/],
  ])('%s: not complete, with the reason', async (_name, answers, reason) => {
    const listing = await listReplies(options(pages(answers)));
    expect(listing.complete).toBe(false);
    expect(listing.reason).toMatch(reason);
  });

  it('a 400 to direction=incoming on a first page: read again without it; a 400 later is no such answer', async () => {
    const paths: string[] = [];
    const refusing = {
      get: (path: string) => {
        paths.push(path);
        if (path.includes('direction=')) return Promise.resolve({ kind: 'failed', http: 400, message: 'unknown parameter' });
        if (!path.includes('pageToken'))
          return Promise.resolve({ http: 200, body: { results: [incoming('a', '+31620000001')], nextPageToken: 'p2' } });
        return Promise.resolve({ http: 400, body: { code: 'BadRequest' } });
      },
    } as unknown as Transport;
    const listing = await listReplies(options(refusing));
    expect(paths).toHaveLength(3);
    expect(paths[1]).not.toMatch(/direction/);
    expect(listing).toMatchObject({ complete: false, directionRefused: true });
    expect(listing.reason).toMatch(/page 3: HTTP 400/);
    expect(listing.replies.map((r) => r.id)).toEqual(['a']);
  });

  it('stops at the page cap, and reads a window longer than 7 days in chunks, oldest first', async () => {
    let n = 0;
    const endless = { get: () => Promise.resolve({ http: 200, body: { results: [], nextPageToken: `t${n++}` } }) } as unknown as Transport;
    const capped = await listReplies(options(endless, { maxPages: 5 }));
    expect(capped).toMatchObject({ complete: false, pages: 5 });
    expect(capped.reason).toMatch(/more than 5 pages/);
    const t = pages([{ results: [] }]);
    const long = await listReplies(options(t, { endAt: Date.parse(AT) + 15 * 86_400_000 }));
    expect(long).toMatchObject({ complete: true, pages: 3 });
  });
});

describe('the replies report', () => {
  const listing = (replies: Reply[]) => ({
    complete: true,
    startAt: AT,
    endAt: AT,
    pages: 1,
    replies,
    fromOthers: 0,
    outgoingListed: 0,
  });
  const at = (s: number): string => new Date(Date.parse(AT) + s * 1000).toISOString();

  it('one item per sender (its first STOP; a mention only without one), commands unless on a list, masked without them', () => {
    const read: Reply[] = [
      { id: 'a', at: at(3), key: 'k1', receiver: '+31620000001', kind: 'stop', word: 'STOP' },
      { id: 'b', at: at(1), key: 'k1', receiver: '+31620000001', kind: 'mention', word: 'STOP' },
      { id: 'c', at: at(5), key: 'k1', receiver: '+31620000001', kind: 'stop', word: 'UNSUBSCRIBE' },
      { id: 'd', at: at(2), key: 'k2', receiver: '+31620000002', kind: 'mention', word: 'STOP' },
      { id: 'e', at: at(4), key: 'k3', receiver: "o'hara@example.com", kind: 'stop', word: 'STOP' },
      { id: 'f', at: at(6), key: 'k4', receiver: '+31620000004', kind: 'stop', word: 'STOP' },
    ];
    const r = summarizeReplies(listing(read), new Map(), { runId: 'run-1', words: ['STOP'], onList: (x) => x === '+31620000004' });
    expect(r.stop.map((i) => [i.messageId, i.onList])).toEqual([
      ['a', false],
      ['e', false],
      ['f', true],
    ]);
    expect(r.mentions.map((i) => i.messageId)).toEqual(['d']);
    expect(r.notOnList).toBe(3);
    expect(r.stop[0]!.command).toBe(`chirp suppress add +31620000001 --reason 'replied STOP (run run-1, ${AT.slice(0, 10)})'`);
    expect(r.stop[1]!.command).toMatch(/^chirp suppress add 'o'\\''hara@example.com' --reason/);
    expect(r.stop[2]!.command).toBeNull();
    const masked = maskReplies(r);
    expect([...masked.stop, ...masked.mentions].every((i) => i.command === null && !/\d{7}/.test(i.receiver ?? ''))).toBe(true);
    const text = repliesText(masked, { reveal: false, runId: 'run-1' });
    expect(text).not.toMatch(/suppress add [+o]/);
    expect(text).toMatch(/chirp status run-1 --replies --reveal/);
    expect(repliesText(r, { reveal: true, runId: 'run-1' })).toMatch(/add them with:\n {2}chirp suppress add \+31620000001/);
  });
});
