// Review of wait-sink (#29): status --wait writes Bird's answers as it lists. A round whose writes a send
// refused is written back from the table later: with Bird's ids and createdAt (what `status --interactions`
// and a later reconcile's clock anchors read), and never after, so over, a newer answer the sink wrote.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send, status } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { reopenJournal } from '../../src/journal/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function sent(batchSize: number) {
  fake = await startFakeBird({ accessKey: CANARY_KEY });
  const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
  writeFileSync(join(root, 'rows.csv'), `phone,name\n${[0, 1, 2].map((i) => `${phone(i)},P${i}`).join('\n')}\n`);
  const journal = tempDir('chirp-journal-');
  const base = { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY }, journal };
  const result = await send({
    ...base,
    message: 'notice',
    data: { path: join(root, 'rows.csv') },
    batchSize,
    confirm: () => Promise.resolve(true),
  });
  expect(result.report).toMatchObject({ accepted: 3 });
  const runId = result.report.runId!;
  /** The last status entry of each key, as the journal's readers fold them. */
  const last = (): Map<string, unknown[]> => {
    const lines = readFileSync(join(journal, `${runId}.ndjson`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: string; entries?: unknown[][] });
    return new Map(lines.filter((l) => l.t === 'status').flatMap((l) => l.entries!.map((e) => [e[0] as string, e] as const)));
  };
  return { fake, base, journal, runId, last };
}

/**
 * status --wait while "a send" holds the run: round 1 (its writes refused), the journal grows (round 2 sees a
 * send), the send lets go before round 3 (the reread, then the write-back). `between(n)` runs at sleep n.
 */
async function waitAcrossSend(run: Awaited<ReturnType<typeof sent>>, between: (n: number) => void) {
  const held = await reopenJournal(run.journal, run.runId, () => new Date(), process.pid);
  let sleeps = 0;
  const warnings: string[] = [];
  const sleep = async (): Promise<void> => {
    sleeps++;
    if (sleeps === 1) await held.appendDurable([{ t: 'status', at: new Date().toISOString(), entries: [] }]);
    else if (sleeps === 2) await held.close();
    between(sleeps);
  };
  const { summary } = await status({
    ...run.base,
    pid: process.pid,
    wait: true,
    intervalSeconds: 0,
    timeoutSeconds: 20,
    sleep,
    warn: (w) => warnings.push(w),
  });
  expect(sleeps).toBeGreaterThanOrEqual(2);
  expect(warnings.some((w) => /statuses not saved/.test(w))).toBe(true);
  return summary;
}

describe('status --wait: answers of a round whose writes were refused', () => {
  it('are written back with their Bird ids and createdAt (listed answers: a later --interactions and reconcile read them)', async () => {
    const run = await sent(100);
    // Round 1: two are delivered (final, listed), one only sent; all delivered by round 3.
    run.fake.accepted[0]!.status = 'delivered';
    run.fake.accepted[1]!.status = 'delivered';
    run.fake.accepted[2]!.status = 'sent';
    const summary = await waitAcrossSend(run, (n) => {
      if (n === 2) run.fake.accepted[2]!.status = 'delivered';
    });
    expect(summary).toMatchObject({ delivered: 3 });
    const last = run.last();
    expect(last.size).toBe(3);
    for (const m of run.fake.accepted) {
      const entry = [...last.values()].find((e) => e[2] === m.id);
      // Bird's id and createdAt: a status entry without them erases what the journal knew.
      expect(entry, `the last entry for ${m.id}`).toBeDefined();
      expect(entry![1]).toBe('delivered');
      expect(typeof entry![7]).toBe('string');
    }
  }, 60_000);

  it('a delivery the sink wrote in a later round is not overwritten by the older answer carried over the reread', async () => {
    const run = await sent(1);
    for (const m of run.fake.accepted) m.status = 'sent';
    // An earlier status recorded them as sent.
    await status({ ...run.base });
    const summary = await waitAcrossSend(run, (n) => {
      if (n === 2) for (const m of run.fake.accepted) m.status = 'delivered';
    });
    expect(summary).toMatchObject({ delivered: 3 });
    // The journal says what this status said: delivered, the last word for each key.
    for (const [, e] of run.last()) expect(e[1]).toBe('delivered');
    // A later status that cannot reach Bird for them still reads them as delivered.
    run.fake.faults.set((r) => r.method === 'GET', { kind: 'status', status: 404 });
    const again = await status({ ...run.base });
    expect(again.summary).toMatchObject({ delivered: 3 });
  }, 60_000);

  it('a wait whose deadline passes while the send still holds the run says its answers were not saved', async () => {
    const run = await sent(1);
    for (const m of run.fake.accepted) m.status = 'delivered';
    // A live send (this process, status given another pid): status --wait waits for it, the deadline passes first.
    const held = await reopenJournal(run.journal, run.runId, () => new Date(), process.pid);
    const warnings: string[] = [];
    try {
      const { summary } = await status({ ...run.base, wait: true, intervalSeconds: 0, timeoutSeconds: 0, warn: (w) => warnings.push(w) });
      expect(summary).toMatchObject({ delivered: 3 });
      expect(summary.sending).toBeTruthy();
    } finally {
      await held.close();
    }
    expect(run.last().size).toBe(0);
    // Not written, and said so: the next status asks again.
    expect(warnings.filter((w) => /statuses not saved/.test(w))).toHaveLength(1);
  }, 60_000);

  it('without --wait, a refused write is said once', async () => {
    const run = await sent(100);
    for (const m of run.fake.accepted) m.status = 'delivered';
    const held = await reopenJournal(run.journal, run.runId, () => new Date(), process.pid);
    const warnings: string[] = [];
    try {
      await status({ ...run.base, warn: (w) => warnings.push(w) });
    } finally {
      await held.close();
    }
    expect(warnings.filter((w) => /statuses not saved/.test(w))).toHaveLength(1);
  }, 60_000);

  it('--wait --interactions (no sink) and a later --interactions after a --wait (sink) count every listed message read', async () => {
    const run = await sent(100);
    for (const m of run.fake.accepted) {
      m.status = 'sent';
      run.fake.addInteraction(m.id, 'read');
    }
    let sleeps = 0;
    const sleep = (): Promise<void> => {
      if (++sleeps === 1) for (const m of run.fake.accepted) m.status = 'delivered';
      return Promise.resolve();
    };
    const waited = await status({ ...run.base, wait: true, interactions: true, intervalSeconds: 0, timeoutSeconds: 20, sleep });
    expect(sleeps).toBe(1);
    expect(waited.summary).toMatchObject({ delivered: 3, interactions: { messages: 3, read: 3 } });
    // The same through the sink: a --wait of two rounds, then --interactions reads Bird's ids from the journal.
    await run.fake.close();
    const again = await sent(100);
    for (const m of again.fake.accepted) {
      m.status = 'sent';
      again.fake.addInteraction(m.id, 'read');
    }
    sleeps = 0;
    const sleep2 = (): Promise<void> => {
      if (++sleeps === 1) for (const m of again.fake.accepted) m.status = 'delivered';
      return Promise.resolve();
    };
    expect((await status({ ...again.base, wait: true, intervalSeconds: 0, timeoutSeconds: 20, sleep: sleep2 })).summary).toMatchObject({
      delivered: 3,
    });
    again.fake.faults.set((r) => r.method === 'GET' && !r.path.endsWith('/interactions'), { kind: 'status', status: 404 });
    expect((await status({ ...again.base, interactions: true })).summary).toMatchObject({
      delivered: 3,
      interactions: { messages: 3, read: 3 },
    });
  }, 60_000);

  it('its own writes as it lists are not taken for a send growing the journal', async () => {
    const run = await sent(100);
    for (const m of run.fake.accepted) m.status = 'sent';
    let sleeps = 0;
    const sleep = (): Promise<void> => {
      if (++sleeps === 1) for (const m of run.fake.accepted) m.status = 'delivered';
      return Promise.resolve();
    };
    const waited = await status({ ...run.base, wait: true, intervalSeconds: 0, timeoutSeconds: 20, sleep });
    expect(waited.summary).toMatchObject({ delivered: 3, final: true });
    expect(waited.summary.sending ?? null).toBeNull();
    // Delivered at the first look after the first round: the second round ends the wait.
    expect(sleeps).toBe(1);
    // Never final: the wait ends at its timeout, and no send is reported where there was none.
    await run.fake.close();
    const other = await sent(100);
    for (const m of other.fake.accepted) m.status = 'sent';
    const timedOut = await status({
      ...other.base,
      wait: true,
      intervalSeconds: 0,
      timeoutSeconds: 1,
      sleep: () => new Promise((r) => setTimeout(r, 50)),
    });
    expect(timedOut.summary).toMatchObject({ sent: 3, final: false });
    expect(timedOut.summary.sending ?? null).toBeNull();
  }, 60_000);
});
