// The library's send() and status() with an injected clock (issue 18 #2): the journal is written on a
// clock that differs from Bird's; reconcile measures the difference from Bird's Date header.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send, status } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function run(skewMs: number) {
  fake = await startFakeBird({ accessKey: CANARY_KEY });
  const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
  const rows = ['phone,name', ...Array.from({ length: 150 }, (_, i) => `${phone(i)},Person ${i}`)];
  writeFileSync(join(root, 'rows.csv'), `${rows.join('\n')}\n`);
  const journal = tempDir('chirp-journal-');
  const base = {
    cwd: root,
    env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    journal,
    now: () => new Date(Date.now() + skewMs),
  };
  // Batch 1 is created but its answer is lost; batch 2 never reaches Bird.
  fake.faults.push({ kind: 'reset-after', on: 'batch' }, { kind: 'reset-before', on: 'batch' });
  const sent = await send({
    ...base,
    message: 'notice',
    data: { path: join(root, 'rows.csv') },
    batchSize: 50,
    concurrency: 1,
    confirm: () => Promise.resolve(true),
  });
  expect(sent.report).toMatchObject({ accepted: 50, unknown: 100 });
  const { summary } = await status({ ...base, reconcile: true, graceSeconds: 0, pid: 4242 });
  return summary;
}

describe('reconcile with an injected clock', () => {
  it('a clock 100 s fast: the offset is measured, the created batch found, the missing one declared absent', async () => {
    const s = await run(100_000);
    expect(s).toMatchObject({ accepted: 100, unknown: 0, resendable: 50 });
    expect(s.clockOffsetMs).toBeGreaterThan(-102_000);
    expect(s.clockOffsetMs).toBeLessThan(-98_000);
    expect(s.listing?.complete).toBe(true);
  });

  it('a clock 10 minutes fast: the skew is reported and nobody is declared absent', async () => {
    const s = await run(600_000);
    expect(s).toMatchObject({ accepted: 100, unknown: 50, resendable: 0 });
    expect(s.listing?.reason).toMatch(/is (599|600|601) s ahead of Bird's/);
  });

  it('a clock 10 minutes slow: the same, the other way', async () => {
    const s = await run(-600_000);
    expect(s).toMatchObject({ accepted: 100, unknown: 50, resendable: 0 });
    expect(s.listing?.reason).toMatch(/is (599|600|601) s behind Bird's/);
  });
});
