// `status --interactions` in bounded memory (#29): the counts read are columns by id, compared with
// what the journal last recorded in one pass, and written in records of at most 5,000 entries. These
// tests hold it to the map-based reading it replaced: the same entries, in the same order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerRecord, recordLine, type InteractionEntry, type JournalRecord, type ReplyEntry } from '../../src/journal/records.js';
import { loadDetails, readRunDetail } from '../../src/status/index.js';
import { interactionEntries, READS_CHUNK, readsRecords, statusInteractions } from '../../src/usecases/status-interactions.js';
import { recipientKey } from '../../src/send/index.js';
import { testHeader } from '../helpers/journal.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2026-01-01T00:00:00.000Z';
const N = 40;
const key = (i: number): string => recipientKey('m', `+3162${String(i).padStart(7, '0')}`, 1);
const birdId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** What Bird counts for message i now: reads, clicks, others. */
const counts = (i: number): [number, number, number] => [i % 3, i % 2, i % 5 === 0 ? 1 : 0];

function journal(recorded: InteractionEntry[][]): string {
  const header = testHeader({ startedAt: AT, planned: N });
  const ids = Array.from({ length: N }, (_, i) => i);
  const records: JournalRecord[] = [
    { t: 'intent', b: 0, keys: ids.map(key), at: AT },
    { t: 'outcome', b: 0, status: 'accepted', at: AT, http: 202 },
    // Message 7 has no Bird id recorded: never asked about.
    { t: 'status', at: AT, entries: ids.filter((i) => i !== 7).map((i) => [key(i), i === 9 ? 'sending_failed' : 'delivered', birdId(i)]) },
    ...recorded.map((interactions): JournalRecord => ({ t: 'status', at: AT, entries: [], interactions })),
  ];
  const path = join(tempDir('status-interactions-'), 'r1.ndjson');
  writeFileSync(path, [headerRecord(header), ...records].map((r) => `${recordLine(r)}\n`).join(''));
  return path;
}

const transport = {
  get(path: string) {
    const i = Number(/messages\/0{8}-0{4}-4000-8000-(\d{12})\/interactions/.exec(path)?.[1]);
    const [r, c, o] = counts(i);
    const results = [
      ...Array<unknown>(r).fill({ type: 'read' }),
      ...Array<unknown>(c).fill({ type: 'clicked' }),
      ...Array<unknown>(o).fill({ type: 'x' }),
    ];
    return Promise.resolve({ http: 200, body: { results } });
  },
};

describe('status --interactions by the table', () => {
  it('writes the counts that differ from the last recorded ones (compared per key whole), in id order, as the map did', async () => {
    const recorded: InteractionEntry[][] = [
      [
        [key(1), ...counts(1)],
        [key(2), 9, 9, 9],
        [key(3), ...counts(3)],
        [key(4), 9, 9, 9],
        ['not-a-key-of-the-run', 1, 1, 1],
      ],
      [
        [key(3), 9, 9, 9],
        [key(4), ...counts(4)],
      ],
    ];
    const path = journal(recorded);
    const detail = await readRunDetail(path);
    await loadDetails(detail, { reconcile: false, interactions: true });
    const { summary, read } = await statusInteractions(transport as never, detail);
    // Asked: every delivered message with a Bird id (not 7: no id; not 9: failed).
    const asked = Array.from({ length: N }, (_, i) => i).filter((i) => i !== 7 && i !== 9);
    expect(summary.messages).toBe(asked.length);
    expect([...read]).toEqual(asked.map((i) => [key(i), counts(i)]));
    // The map model: the last recorded counts per key, then every count read that differs or was never recorded.
    const last = new Map(recorded.flat().map(([k, ...c]) => [k, c.join()]));
    const expected = asked.filter((i) => last.get(key(i)) !== counts(i).join()).map((i) => [key(i), ...counts(i)]);
    expect([...(await interactionEntries(path, read))]).toEqual(expected);
    expect(expected.map(([k]) => k)).toEqual(expect.arrayContaining([key(2), key(3)]));
    expect(expected.map(([k]) => k)).not.toContain(key(1));
    expect(expected.map(([k]) => k)).not.toContain(key(4));
  });

  it('the records: replies and the first 5,000 entries on the first, 5,000 a record after, every entry once, none when nothing is new', () => {
    const reply: ReplyEntry = [key(1), 'r1', AT, 'stop', 'STOP'];
    fc.assert(
      fc.property(fc.nat(3 * READS_CHUNK), fc.boolean(), (n, withReplies) => {
        const entries: InteractionEntry[] = Array.from({ length: n }, (_, i) => [`k${i}`, i, 0, 0]);
        const replies = withReplies ? [reply] : [];
        const records = [...readsRecords(AT, replies, entries)];
        if (n === 0 && !withReplies) {
          expect(records).toEqual([]);
          return;
        }
        expect(records.length).toBe(Math.max(1, Math.ceil(n / READS_CHUNK)));
        const parts = records.map((r) => (r.t === 'status' ? r : undefined)!);
        expect(parts.flatMap((r) => r.interactions ?? [])).toEqual(entries);
        expect(parts.every((r) => (r.interactions?.length ?? 0) <= READS_CHUNK && r.entries.length === 0)).toBe(true);
        expect(parts.map((r) => r.replies)).toEqual(parts.map((_, i) => (i === 0 && withReplies ? replies : undefined)));
        // Up to one chunk: the one record the map-based code wrote.
        if (n <= READS_CHUNK)
          expect(records).toEqual([
            { t: 'status', at: AT, entries: [], ...(withReplies ? { replies } : {}), ...(n > 0 ? { interactions: entries } : {}) },
          ]);
      }),
      { numRuns: 40 },
    );
  });
});
