// The dispatch loop reads the spool a batch at a time (one promise per batch, not per entry): the same
// entries, in the same order and the same batches, as reading them one by one; and a stop mid-run
// launches nothing more.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JournalRecord, JournalWriter } from '../../src/journal/index.js';
import { dispatch, type Entry } from '../../src/send/dispatch.js';
import { SpoolWriter, type EntrySource } from '../../src/send/spool.js';
import type { SendOutcome, Transport } from '../../src/transport/index.js';
import { entryAsText } from '../helpers/entries.js';

function memoryJournal(): JournalWriter & { written: JournalRecord[] } {
  const written: JournalRecord[] = [];
  return {
    runId: 'r',
    path: '/mem/r.ndjson',
    warnings: [],
    syncs: 0,
    written,
    append: (record) => void written.push(record),
    appendDurable(records) {
      written.push(...records);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

/** What goes on the wire for a body: its UTF-8 bytes, whether it came as text or as spool bytes. */
const wire = (body: string | Uint8Array): string => Buffer.from(body).toString('hex');

function recordingTransport(failAt = Infinity): Transport & { sent: (string | Uint8Array)[][] } {
  const sent: (string | Uint8Array)[][] = [];
  return {
    sent,
    send(unit) {
      sent.push(unit.bodies);
      if (sent.length >= failAt) return Promise.resolve<SendOutcome>({ kind: 'fatal', reason: 'auth', http: 401, message: 'no' });
      return Promise.resolve<SendOutcome>({ kind: 'accepted', http: 202, batchId: `b${sent.length}` });
    },
    get: () => Promise.reject(new Error('unused')),
    query: () => Promise.reject(new Error('unused')),
    stop: () => undefined,
    abandon: () => undefined,
    stats: () => ({ requests: 0, retries: 0, throttled: 0, currentRate: 0 }),
  };
}

const entry = (i: number, text: string): Entry => ({
  key: `k${i}`,
  hash: `h${i}`,
  row: i + 1,
  recipient: `+3161${String(i).padStart(7, '0')}`,
  reference: `chirp:m:${i}`,
  json: JSON.stringify({ i, text }),
});

/** The same entries without `batches`: the one-by-one path. */
const oneByOne = (source: EntrySource): EntrySource => ({ [Symbol.asyncIterator]: () => source[Symbol.asyncIterator]() });

async function run(source: EntrySource, n: number, batchSize: number, concurrency: number, failAt?: number) {
  const journal = memoryJournal();
  const transport = recordingTransport(failAt);
  const outcomes: number[] = [];
  const result = await dispatch({
    entries: source,
    channelId: 'c',
    journal,
    transport,
    batchSize,
    concurrency,
    durability: 'disk',
    planned: n,
    drainMs: 1000,
    firstBatch: 0,
    signal: new AbortController().signal,
    now: () => new Date(0),
    onOutcome: (e) => void outcomes.push(e.row),
  });
  return { result, sent: transport.sent, written: journal.written, outcomes: outcomes.sort((a, b) => a - b) };
}

describe('dispatch reads the spool a batch at a time', () => {
  it('sends the same batches in the same order as reading one entry at a time, in memory and from the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 130 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(1 << 30, 1),
        fc.string({ maxLength: 40, unit: 'binary' }),
        async (n, batchSize, concurrency, memoryLimit, text) => {
          const spool = await SpoolWriter.create(memoryLimit);
          const given = Array.from({ length: n }, (_, i) => entry(i, `${text}${i}`));
          for (const e of given) spool.add(e);
          spool.close();
          try {
            expect(typeof spool.entries().batches).toBe('function');
            const batched = await run(spool.entries(), n, batchSize, concurrency);
            const single = await run(oneByOne(spool.entries()), n, batchSize, concurrency);
            expect(batched.sent.map((b) => b.map(wire))).toEqual(single.sent.map((b) => b.map(wire)));
            expect(batched.written).toEqual(single.written);
            expect(batched.sent.flat().map(wire)).toEqual(given.map((e) => wire(e.json)));
            expect(batched.sent.every((b, i, all) => b.length === batchSize || i === all.length - 1)).toBe(true);
            expect(batched.result.accepted).toBe(n);
            expect(batched.outcomes).toEqual(given.map((e) => e.row));
          } finally {
            spool.remove();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('hands out batches of exactly `size` across the 1 MB reads of the file, the last one shorter', async () => {
    const spool = await SpoolWriter.create(1);
    // About 3.5 MB: the reads end inside lines and inside multi-byte characters.
    const given = Array.from({ length: 9_001 }, (_, i) => entry(i, `${'ü'.repeat(i % 173)}🐦 ${'x'.repeat(i % 61)}`));
    for (const e of given) spool.add(e);
    spool.close();
    const batches: Entry[][] = [];
    for await (const batch of spool.entries().batches!(250)) batches.push(batch);
    spool.remove();
    expect(batches.map((b) => b.length)).toEqual([...Array.from({ length: 36 }, () => 250), 1]);
    expect(batches.flat().map(entryAsText)).toEqual(given);
  });

  it('after a fatal outcome launches no further batch', async () => {
    const spool = await SpoolWriter.create(1);
    const given = Array.from({ length: 1_000 }, (_, i) => entry(i, 'x'));
    for (const e of given) spool.add(e);
    spool.close();
    const { result, sent } = await run(spool.entries(), 1_000, 10, 1, 3);
    spool.remove();
    expect(result.stop).toMatchObject({ reason: 'fatal', outcome: { reason: 'auth' } });
    expect(sent.length).toBe(3);
    expect(result.accepted).toBe(20);
    expect(result.notSent).toBe(980);
  });
});
