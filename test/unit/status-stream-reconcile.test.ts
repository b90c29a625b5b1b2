// A `status --reconcile` writes Bird's answers as the listing goes (issue #29): a chunk may hold the
// answer to an unknown outcome's message (Bird's proof that it was created) long before the listing
// ends. When the listing is cut after that chunk (a refused key, a kill), the journal must not hold
// Bird's answer for a key it still calls unknown: `send --retry-unknown` reads only the send's records
// and would send that recipient a second message. The proof goes with the chunk (a `resolve`).
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send, status } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { readJournal, type JournalRecord } from '../../src/journal/index.js';
import { headerRecord, recordLine } from '../../src/journal/records.js';
import { loadDetails, readRunDetail, refreshStatuses } from '../../src/status/index.js';
import { recipientKey } from '../../src/send/index.js';
import { testHeader } from '../helpers/journal.js';
import { STATUS_CHUNK } from '../../src/usecases/status.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('a reconcile cut after a chunk was written', () => {
  it('every unknown whose Bird answer is in the journal is resolved as sent there too (no second message on --retry-unknown)', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    // A chunk's worth of answers and one batch more; the last batch (listed first: newest first) is created, its answer lost.
    const count = STATUS_CHUNK + 100;
    const rows = ['phone,name', ...Array.from({ length: count }, (_, i) => `${phone(i)},Person ${i}`)];
    writeFileSync(join(root, 'rows.csv'), `${rows.join('\n')}\n`);
    const journal = tempDir('chirp-journal-');
    const base = { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY }, journal };
    let batches = 0;
    fake.faults.push({ kind: 'reset-after', on: (r) => r.endpoint === 'batch' && ++batches === count / 100 });
    const sent = await send({
      ...base,
      message: 'notice',
      data: { path: join(root, 'rows.csv') },
      batchSize: 100,
      concurrency: 1,
      rate: 10_000,
      confirm: () => Promise.resolve(true),
    });
    expect(sent.report).toMatchObject({ accepted: STATUS_CHUNK, unknown: 100 });
    // The key is refused once the first chunk is written: the listing's GETs are a probe (limit=1), then
    // pages of 100 (newest first); the page after a chunk's worth of answers is refused.
    let listed = 0;
    fake.faults.set((r) => r.endpoint === 'get' && r.path.endsWith('/messages') && ++listed > 1 + STATUS_CHUNK / 100, {
      kind: 'status',
      status: 401,
    });
    await expect(status({ ...base, reconcile: true, graceSeconds: 0, pid: 4242, rate: 10_000 })).rejects.toMatchObject({ code: 'E_AUTH' });
    const [file] = readdirSync(journal).filter((f) => f.endsWith('.ndjson'));
    const answered = new Set<string>();
    const state = await readJournal(join(journal, file!), (record: JournalRecord) => {
      if (record.t === 'status') for (const e of record.entries) if (e[3] !== 'lookup_failed') answered.add(e[0]);
    });
    // The chunk was written before the cut (the test proves the case it is about).
    expect(answered.size).toBeGreaterThanOrEqual(STATUS_CHUNK);
    const answeredButUnknown = [...answered].filter((key) => state.recipients.get(key)?.status !== 'accepted');
    expect(answeredButUnknown).toEqual([]);
    expect(state.counts.unknown).toBeLessThan(100);
  }, 60_000);
});

describe('a send time let go proves no age', () => {
  // One recipient whose intent has no outcome (unknown), sent an hour ago; Bird lists nothing: absent, if its age is known.
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const key = recipientKey('m', '+31620000001', 1);
  function journalFile(): string {
    const header = testHeader({ startedAt: at, planned: 1 });
    const records: JournalRecord[] = [{ t: 'intent', b: 0, keys: [key], at, refs: ['chirp:m:1'] }];
    const path = join(tempDir('status-times-'), 'r1.ndjson');
    writeFileSync(path, [headerRecord(header), ...records].map((r) => `${recordLine(r)}\n`).join(''));
    return path;
  }
  const empty = { get: () => Promise.resolve({ http: 200, date: new Date().toUTCString(), body: { results: [] } }) };

  it.each([
    [false, [key]],
    [true, []],
  ])('times released: %s → declared absent: %j', async (release, absent) => {
    const detail = await readRunDetail(journalFile());
    await loadDetails(detail, { reconcile: true });
    if (release) detail.table.releaseSendTimes();
    const refresh = await refreshStatuses(detail, {
      transport: empty as never,
      channelId: 'c',
      reconcile: true,
      messageId: 'm',
      graceMs: 0,
      now: Date.now(),
    });
    expect(refresh.listing?.complete).toBe(true);
    expect(refresh.resolved.resendable).toEqual(absent);
  });
});
