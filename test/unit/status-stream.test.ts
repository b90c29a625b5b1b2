// A status that refreshes once writes what Bird answers as the listing goes (a StatusSink) and keeps no
// Bird id or createdAt of a listed answer in its table, except where a later match reads them: the
// copies of a recipient (`--allow-duplicates`) are told apart by the Bird id a match records, and a
// message listed twice must not be credited to a second copy. Both ways must write the same statuses.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerRecord, recordLine, type JournalRecord, type StatusRecord } from '../../src/journal/records.js';
import { testHeader } from '../helpers/journal.js';
import { loadDetails, readRunDetail, refreshStatuses, statusEntry, type StatusSink } from '../../src/status/index.js';
import { recipientKey } from '../../src/send/index.js';
import { shortKey } from '../../src/util/index.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2026-01-01T00:00:00.000Z';
const PHONES = ['+31620000001', '+31620000002', '+31620000003'];
const ref = (p: number): string => `chirp:m:${String(p).padStart(20, '0')}`;
const uuid = (p: number, copy: number): string => `00000000-0000-4000-8000-${String(p * 10 + copy).padStart(12, '0')}`;

/** Two copies (the same text: the same reference and request hash) of each phone, sent in one batch, accepted. */
function journal(): string {
  const keys: string[] = [];
  const refs: string[] = [];
  const h: string[] = [];
  PHONES.forEach((phone, p) => {
    for (const n of [1, 2]) {
      keys.push(recipientKey('m', phone, n));
      refs.push(ref(p));
      h.push(shortKey(`body${p}`));
    }
  });
  const header = testHeader({ startedAt: AT, planned: keys.length, options: { allowDuplicates: true } });
  const records: JournalRecord[] = [
    { t: 'intent', b: 0, keys, at: AT, refs, h },
    { t: 'outcome', b: 0, status: 'accepted', at: AT, http: 202 },
  ];
  const path = join(tempDir('status-stream-'), 'r1.ndjson');
  writeFileSync(path, [headerRecord(header), ...records].map((r) => `${recordLine(r)}\n`).join(''));
  return path;
}

/** Bird's listing: each phone's first message, the same message again, then the second copy's message. */
const listing = {
  get(_path: string) {
    const results = [];
    for (const copy of [1, 1, 2])
      for (let p = 0; p < PHONES.length; p++)
        results.push({
          id: uuid(p, copy),
          status: copy === 1 ? 'delivered' : 'sent',
          createdAt: `2026-01-01T00:00:0${copy}.000Z`,
          reference: ref(p),
          receiver: { contacts: [{ identifierValue: PHONES[p] }] },
        });
    return Promise.resolve({ http: 200, date: new Date().toUTCString(), body: { results } });
  },
};

async function refresh(sink?: StatusSink) {
  const detail = await readRunDetail(journal());
  await loadDetails(detail, { reconcile: false });
  const result = await refreshStatuses(detail, {
    transport: listing as never,
    channelId: 'c',
    reconcile: false,
    messageId: 'm',
    graceMs: 0,
    now: Date.parse(AT) + 3_600_000,
    ...(sink ? { sink } : {}),
  });
  return { table: detail.table, result };
}

describe('a status that writes as the listing answers', () => {
  it('copies with a message listed twice: each copy gets its own message, and the entries are those the write-back at the end wrote', async () => {
    const kept = await refresh();
    const expected = [...kept.result.updates].map(([k, d]) => statusEntry(k, d));
    // Without a sink: each copy its own message (the second listing of the first is the first copy's, by its id).
    const byKey = new Map(expected.map((e) => [e[0], e[2]]));
    PHONES.forEach((phone, p) => {
      expect(byKey.get(recipientKey('m', phone, 1))).toBe(uuid(p, 1));
      expect(byKey.get(recipientKey('m', phone, 2))).toBe(uuid(p, 2));
    });
    const saved: StatusRecord['entries'] = [];
    const streamed = await refresh({
      chunk: 2,
      save: (entries) => {
        saved.push(...entries);
        return Promise.resolve(true);
      },
    });
    // The same entries, in the order Bird answered (the write-back at the end went in id order), each key once.
    const sorted = (entries: StatusRecord['entries']) => [...entries].sort((a, b) => a[0].localeCompare(b[0]));
    expect(sorted(saved)).toEqual(sorted(expected));
    expect(saved).toHaveLength(PHONES.length * 2);
    // The copies' Bird ids stay in the table (a later match reads them), as without a sink.
    const id = streamed.table.keys.get(recipientKey('m', PHONES[0]!, 1));
    expect(streamed.table.delivery(id)?.id).toBe(uuid(0, 1));
  });
});
