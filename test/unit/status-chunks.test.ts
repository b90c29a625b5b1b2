// Issue #29: the first `status` after a big send asks Bird about every message; what it learns is written
// back as several `status` records of at most STATUS_CHUNK entries (as the listing answers, for a status
// that refreshes once), each whole, so a crash between two leaves a journal every reader folds.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send, status } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { readRunDetail } from '../../src/status/index.js';
import { STATUS_CHUNK } from '../../src/usecases/status.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('status writes what Bird answered back in chunks', () => {
  it('12,000 answers: three status records of at most 5,000 entries, every key once; a journal cut after the first is read whole', async () => {
    const n = 2 * STATUS_CHUNK + 2000;
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    const rows = ['phone,name', ...Array.from({ length: n }, (_, i) => `${phone(i)},Person ${i}`)];
    writeFileSync(join(root, 'rows.csv'), `${rows.join('\n')}\n`);
    const journal = tempDir('chirp-journal-');
    const base = { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY }, journal };
    const sent = await send({
      ...base,
      message: 'notice',
      data: { path: join(root, 'rows.csv') },
      batchSize: 100,
      confirm: () => Promise.resolve(true),
    });
    expect(sent.report).toMatchObject({ accepted: n });
    const { summary } = await status({ ...base, rate: 1_000_000 });
    expect(summary.accepted + summary.delivered).toBe(n);

    const path = join(journal, `${sent.report.runId}.ndjson`);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const statusLines = lines.filter((l) => (JSON.parse(l) as { t: string }).t === 'status');
    const sizes = statusLines.map((l) => (JSON.parse(l) as { entries: unknown[] }).entries.length);
    expect(sizes).toEqual([STATUS_CHUNK, STATUS_CHUNK, 2000]);
    const keys = statusLines.flatMap((l) => (JSON.parse(l) as { entries: [string][] }).entries.map((e) => e[0]));
    expect(new Set(keys).size).toBe(n);

    // A crash after the first chunk: the journal up to it is valid, and holds that chunk's statuses.
    const first = lines.indexOf(statusLines[0]!);
    writeFileSync(path, `${lines.slice(0, first + 1).join('\n')}\n`);
    const cut = await readRunDetail(path);
    let known = 0;
    for (let id = 0; id < cut.table.size; id++) if (cut.table.hasDelivery(id)) known++;
    expect(known).toBe(STATUS_CHUNK);
    // The next status asks about the rest and writes them back.
    const again = await status({ ...base, rate: 1_000_000 });
    expect(again.summary.accepted + again.summary.delivered).toBe(n);
    const after = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const records = after
      .filter((l) => (JSON.parse(l) as { t: string }).t === 'status')
      .map((l) => JSON.parse(l) as { entries: [string][] });
    expect(records.every((r) => r.entries.length <= STATUS_CHUNK)).toBe(true);
    expect(new Set(records.flatMap((r) => r.entries.map((e) => e[0]))).size).toBe(n);
  }, 120_000);

  it('the records are written as the listing answers: a status stopped by a refused key 5,900 answers in has saved the first 5,000', async () => {
    const n = STATUS_CHUNK + 2000;
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    const rows = ['phone,name', ...Array.from({ length: n }, (_, i) => `${phone(i)},Person ${i}`)];
    writeFileSync(join(root, 'rows.csv'), `${rows.join('\n')}\n`);
    const journal = tempDir('chirp-journal-');
    const base = { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY }, journal };
    const sent = await send({
      ...base,
      message: 'notice',
      data: { path: join(root, 'rows.csv') },
      batchSize: 100,
      confirm: () => Promise.resolve(true),
    });
    expect(sent.report).toMatchObject({ accepted: n });
    const path = join(journal, `${sent.report.runId}.ndjson`);
    const statusRecords = () =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { t: string; entries: [string, string, string?][] })
        .filter((r) => r.t === 'status');
    // Pages of 100 (after one request that reads Bird's clock): the 60th listing page (5,900 answers in) is refused, which ends the status.
    let pages = 0;
    fake.faults.set((r) => r.method === 'GET' && r.path.endsWith('/messages') && ++pages > 60, {
      kind: 'status',
      status: 401,
    });
    await expect(status({ ...base, rate: 1_000_000 })).rejects.toMatchObject({ code: 'E_AUTH' });
    expect(pages).toBe(61);
    const saved = statusRecords();
    expect(saved.map((r) => r.entries.length)).toEqual([STATUS_CHUNK]);
    // Whole entries: Bird's id with each, as a write-back at the end writes them.
    expect(saved[0]!.entries.every((e) => typeof e[2] === 'string' && e[2].length > 0)).toBe(true);
    fake.faults.clear();
    const again = await status({ ...base, rate: 1_000_000 });
    expect(again.summary.accepted + again.summary.delivered).toBe(n);
    const keys = statusRecords().flatMap((r) => r.entries.map((e) => e[0]));
    expect(new Set(keys).size).toBe(n);
  }, 120_000);
});
