// `status --replies` and `--interactions` on the run table (src/status/run-table.ts): a reply or a count
// is attributed to a recipient only by its whole key. An id two keys of the journal share (a 64-bit hash
// collision) gets neither its replies nor its counts; a sender whose key only shares a recipient's hash
// is one of the others.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../src/catalog/index.js';
import type { JournalRecord } from '../../src/journal/index.js';
import { hash64 } from '../../src/journal/key-index.js';
import { headerRecord, recordLine, type HeaderFields } from '../../src/journal/records.js';
import { recipientKey } from '../../src/send/index.js';
import { loadDetails, readRunDetail } from '../../src/status/index.js';
import type { Transport } from '../../src/transport/index.js';
import { statusInteractions } from '../../src/usecases/status-interactions.js';
import { statusReplies } from '../../src/usecases/status-replies.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2026-12-07T10:00:00.000Z';
const HEADER: HeaderFields = {
  runId: 'r1',
  messageId: 'm',
  definitionHash: 'sha256:0',
  dataHash: 'sha256:1',
  chirpVersion: '0.0.0-test',
  startedAt: AT,
  channelId: 'c',
  workspace: 'w',
  planned: 3,
  options: {},
};
const [A, B, C, X] = ['+31620000001', '+31620000002', '+31620000003', '+31620000009'];
const key = (n: string): string => recipientKey('m', n, 1);
// a and b (both recipients) share an id; x (not a recipient) shares c's.
const collide = (k: string): [number, number] =>
  k === key(A) || k === key(B) ? [7, 7] : k === key(C) || k === key(X) ? [9, 9] : hash64(k);
const ID = (n: number): string => `3f2b1c4d-0000-4000-8000-00000000000${n}`;

function writeJournal(records: JournalRecord[]): string {
  const path = join(tempDir('status-replies-table-'), 'r1.ndjson');
  writeFileSync(path, [headerRecord(HEADER), ...records].map((r) => `${recordLine(r)}\n`).join(''));
  return path;
}

const incoming = (id: string, from: string) => ({
  id,
  channelId: 'c',
  status: 'delivered',
  direction: 'incoming',
  createdAt: AT,
  sender: { contact: { identifierValue: from } },
  body: { type: 'text', text: { text: 'STOP' } },
});

function transport(listing: unknown[]): Transport & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    get: (path: string) => {
      paths.push(path);
      if (path.includes('/interactions'))
        return Promise.resolve({ http: 200, body: { results: [{ id: 'i', type: 'read', createdAt: AT }] } });
      return Promise.resolve({ http: 200, body: { results: listing } });
    },
  } as unknown as Transport & { paths: string[] };
}

// A catalog without the run's message: replies are read in the config's country (none here).
const catalog = {
  config: { suppress: [], configFile: 'chirp.config.yaml', root: '/nowhere' },
  cwd: '/nowhere',
  listing: { messages: new Map(), twins: new Set() },
} as unknown as Catalog;

async function collidingRun() {
  const path = writeJournal([
    { t: 'intent', b: 0, keys: [key(A), key(B), key(C)], at: AT },
    { t: 'outcome', b: 0, status: 'accepted', at: AT, http: 202, keys: [key(A), key(B), key(C)], ids: [ID(1), ID(2), ID(3)] },
    {
      t: 'status',
      at: AT,
      entries: [
        [key(A), 'delivered', ID(1)],
        [key(B), 'delivered', ID(2)],
        [key(C), 'delivered', ID(3)],
      ],
    },
  ]);
  return readRunDetail(path, collide);
}

describe('replies and interactions by whole key', () => {
  it("an ambiguous id's replies go to neither key; a sender sharing only a recipient's hash is one of the others", async () => {
    const detail = await readRunDetail(
      writeJournal([
        { t: 'intent', b: 0, keys: [key(A), key(B), key(C)], at: AT },
        { t: 'outcome', b: 0, status: 'accepted', at: AT, http: 202 },
        // An earlier status recorded b's reply (before the collision was seen): not attributed either.
        { t: 'status', at: AT, entries: [], replies: [[key(B), 'old', AT, 'stop', 'STOP']] },
      ]),
      collide,
    );
    expect([...detail.replies.keys()]).toEqual(['old']);
    const t = transport([incoming('ra', A), incoming('rb', B), incoming('rc', C), incoming('rx', X)]);
    const { summary, entries } = await statusReplies({ catalog, transport: t, detail, now: Date.parse(AT), offsetMs: 0 });
    expect([...detail.table.ambiguous]).toEqual([detail.table.keys.get(key(A))]);
    expect(summary.stop.map((r) => [r.receiver, r.messageId])).toEqual([[C, 'rc']]);
    expect(summary).toMatchObject({ replies: 1, fromOthers: 1 });
    expect(entries).toEqual([[key(C), 'rc', AT, 'stop', 'STOP']]);
  });

  it("an ambiguous id's message is not asked about for interactions; the others are counted by their key", async () => {
    const detail = await collidingRun();
    await loadDetails(detail, { reconcile: false, interactions: true });
    const t = transport([]);
    const { summary, read } = await statusInteractions(t, detail);
    expect(summary).toMatchObject({ messages: 1, read: 1 });
    expect([...read]).toEqual([[key(C), [1, 0, 0]]]);
    expect(t.paths.some((p) => p.includes(ID(1)) || p.includes(ID(2)))).toBe(false);
  });
});
