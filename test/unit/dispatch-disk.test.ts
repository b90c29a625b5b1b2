// Issue 10 case 10 without a real full disk: a journal whose writes start failing with ENOSPC.
// Nothing may leave without its intent written; the run stops cleanly and reports what it knows.
import { describe, expect, it } from 'vitest';
import type { JournalRecord, JournalWriter } from '../../src/journal/index.js';
import { dispatch, type Entry } from '../../src/send/dispatch.js';
import type { SendOutcome, Transport } from '../../src/transport/index.js';

function fullDiskJournal(okWrites: number): JournalWriter & { written: JournalRecord[] } {
  const written: JournalRecord[] = [];
  const fail = (): never => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return {
    runId: 'r',
    path: '/full/r.ndjson',
    warnings: [],
    syncs: 0,
    written,
    append(record) {
      if (written.length >= okWrites) fail();
      written.push(record);
    },
    appendDurable(records) {
      for (const r of records) this.append(r);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

function countingTransport(): Transport & { sent: (string | Uint8Array)[][] } {
  const sent: (string | Uint8Array)[][] = [];
  return {
    sent,
    send(unit) {
      sent.push(unit.bodies);
      return Promise.resolve<SendOutcome>({ kind: 'accepted', http: 202, batchId: `b${sent.length}` });
    },
    get: () => Promise.reject(new Error('unused')),
    query: () => Promise.reject(new Error('unused')),
    stop: () => undefined,
    abandon: () => undefined,
    stats: () => ({ requests: 0, retries: 0, throttled: 0, currentRate: 0 }),
  };
}

async function* entries(n: number): AsyncGenerator<Entry> {
  await Promise.resolve();
  for (let i = 0; i < n; i++)
    yield { key: `k${i}`, hash: `h${i}`, row: i + 1, recipient: `+3160000${i}`, reference: `r${i}`, json: `{"i":${i}}` };
}

describe('a journal that runs out of space', () => {
  it('stops the run: no request without its intent on disk, no throw, the outcome says disk', async () => {
    const journal = fullDiskJournal(5); // intent, outcome, intent, outcome, intent… then ENOSPC
    const transport = countingTransport();
    const result = await dispatch({
      entries: entries(30),
      channelId: 'c',
      journal,
      transport,
      batchSize: 3,
      concurrency: 1,
      durability: 'disk',
      planned: 30,
      drainMs: 1000,
      firstBatch: 0,
      signal: new AbortController().signal,
      now: () => new Date(0),
    });
    expect(result.stop).toMatchObject({ reason: 'fatal', outcome: { reason: 'disk' } });
    const intents = journal.written.filter((r) => r.t === 'intent');
    // Every request that left had its intent written first.
    expect(transport.sent.length).toBeLessThanOrEqual(intents.length);
    expect(result.accepted).toBe(transport.sent.length * 3);
    expect(result.notSent).toBe(30 - result.accepted);
  });
});
