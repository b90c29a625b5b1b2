// Group commit in the journal writer, on an injected file system whose fdatasync the test completes
// (or fails) by hand: random interleavings of durable appends, plain appends and sync completions.
// What must hold: a durable append resolves only after a sync that started after its record was
// written (what was written when a sync started is what it covers); a failed write or sync rejects
// every waiter and everything after it, so nothing is sent; the file holds the records in call order.
import fc from 'fast-check';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/journal/index.js';
import { FileJournal, type JournalFs } from '../../src/journal/writer.js';

interface PendingSync {
  covers: number;
  settle: (error?: Error) => void;
}

/** A file in memory: writes append bytes; a sync covers what was written when it started. */
class FakeFs implements JournalFs {
  file = '';
  durable = 0;
  syncs: PendingSync[] = [];
  failWrites = false;
  closed = false;

  write(_fd: number, bytes: Buffer, offset: number, length: number): number {
    if (this.failWrites) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    this.file += bytes.toString('utf8', offset, offset + length);
    return length;
  }
  datasync(): Promise<void> {
    const covers = Buffer.byteLength(this.file);
    return new Promise((resolve, reject) => {
      this.syncs.push({
        covers,
        settle: (error) => {
          if (error) return reject(error);
          this.durable = Math.max(this.durable, covers);
          resolve();
        },
      });
    });
  }
  fsync(): void {
    this.durable = Buffer.byteLength(this.file);
  }
  close(): void {
    this.closed = true;
  }
}

const AT = '2025-03-01T10:00:00.000Z';
const intent = (b: number): JournalRecord => ({ t: 'intent', b, keys: [`k${b}`, `ü${b}`], at: AT });
const outcome = (b: number): JournalRecord => ({ t: 'outcome', b, status: 'accepted', at: AT, http: 202 });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Op = { op: 'durable'; n: number } | { op: 'append' } | { op: 'sync'; fail: boolean } | { op: 'failWrites' } | { op: 'tick' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('durable' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('append' as const) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('sync' as const), fail: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('failWrites' as const) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('tick' as const) }) },
);

/** Where a record's line ends in the file (bytes), or -1 when it is not there. */
function endOf(file: string, record: JournalRecord): number {
  const marker = `{"t":"${record.t}","b":${(record as { b: number }).b},`;
  const at = file.indexOf(marker);
  if (at === -1) return -1;
  return Buffer.byteLength(file.slice(0, file.indexOf('\n', at) + 1));
}

function journalOn(fs: FakeFs): FileJournal {
  return new FileJournal('r', '/fake/r.ndjson', 3, { path: join(tmpdir(), 'chirp-no-such-lock'), text: '' }, [], fs);
}

describe('group commit (injected fdatasync)', () => {
  it('releases each durable record only after a sync that covered it; a failure fails every waiter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 60 }), async (ops) => {
        const fs = new FakeFs();
        const journal = journalOn(fs);
        let b = 0;
        const calls: JournalRecord[] = []; // every record in call order, as long as nothing failed
        const released: JournalRecord[][] = [];
        const rejected: JournalRecord[][] = [];
        let failed = false;
        const violations: string[] = [];

        const durable = (records: JournalRecord[]): void => {
          if (!failed) calls.push(...records);
          journal.appendDurable(records).then(
            () => {
              // "Send" the batch: its records must be inside what a finished sync covered.
              for (const record of records) {
                const end = endOf(fs.file, record);
                if (end <= 0 || end > fs.durable)
                  violations.push(`intent ${JSON.stringify(record)} released, not covered by a finished sync`);
              }
              if (failed) violations.push('released after a failure');
              released.push(records);
            },
            () => rejected.push(records),
          );
        };

        for (const step of ops) {
          if (step.op === 'durable') durable(Array.from({ length: step.n }, () => intent(b++)));
          else if (step.op === 'append') {
            const record = outcome(b++);
            try {
              journal.append(record);
              expect(failed).toBe(false);
              calls.push(record);
              // A plain append is written when it returns (it survives SIGKILL).
              expect(endOf(fs.file, record)).toBe(Buffer.byteLength(fs.file));
            } catch {
              failed = true;
            }
          } else if (step.op === 'sync') {
            const sync = fs.syncs.shift();
            if (sync) {
              if (step.fail) failed = true;
              sync.settle(step.fail ? new Error('EIO: i/o error, fdatasync') : undefined);
            }
          } else if (step.op === 'failWrites') {
            fs.failWrites = true;
          } else await tick();
          // A write failure shows at the next write (in append or in the sync's write).
          if (fs.failWrites && fs.syncs.length === 0) await tick();
        }
        // Finish: complete every sync still running, then close.
        for (let i = 0; i < 200 && (fs.syncs.length > 0 || released.length + rejected.length < countDurable(ops)); i++) {
          const sync = fs.syncs.shift();
          sync?.settle();
          await tick();
        }
        const closing = journal.close().then(
          () => undefined,
          () => undefined,
        );
        await closing;
        expect(violations).toEqual([]);
        expect(fs.closed).toBe(true);
        expect(released.length + rejected.length).toBe(countDurable(ops));

        const everFailed = failed || fs.failWrites;
        if (!everFailed) {
          // Nothing failed: every durable call resolved, with few syncs, and the file is the calls in order.
          expect(rejected).toEqual([]);
          const lines = fs.file.split('\n').filter((line) => line !== '');
          expect(lines.map((line) => (JSON.parse(line) as { b: number }).b)).toEqual(calls.map((r) => (r as { b: number }).b));
          expect(journal.syncs).toBeLessThanOrEqual(countDurable(ops));
        } else {
          // Later durable appends are refused at once.
          await expect(journal.appendDurable([intent(b++)])).rejects.toThrow();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('shares one sync among every durable append made while a sync runs', async () => {
    const fs = new FakeFs();
    const journal = journalOn(fs);
    const first = journal.appendDurable([intent(0)]);
    await tick();
    expect(fs.syncs).toHaveLength(1); // the first sync started, covering intent 0
    const waiting = Array.from({ length: 10 }, (_, i) => journal.appendDurable([intent(i + 1)]));
    await tick();
    expect(fs.syncs).toHaveLength(1); // the others wait for it to end, then share the next one
    fs.syncs.shift()!.settle();
    await first;
    await tick();
    expect(fs.syncs).toHaveLength(1);
    expect(fs.syncs[0]!.covers).toBe(Buffer.byteLength(fs.file));
    let done = false;
    void Promise.all(waiting).then(() => (done = true));
    await tick();
    expect(done).toBe(false); // not before their sync ends
    fs.syncs.shift()!.settle();
    await Promise.all(waiting);
    expect(journal.syncs).toBe(2);
    await journal.close();
  });

  it('fails every waiter of a failed sync and every later caller (fail closed)', async () => {
    const fs = new FakeFs();
    const journal = journalOn(fs);
    const first = journal.appendDurable([intent(0)]);
    await tick();
    const second = journal.appendDurable([intent(1), intent(2)]);
    fs.syncs.shift()!.settle(new Error('EIO: i/o error, fdatasync'));
    await expect(first).rejects.toThrow(/cannot sync journal \/fake\/r\.ndjson: EIO/);
    await expect(second).rejects.toThrow(/EIO/);
    expect(fs.syncs).toHaveLength(0); // the second group never got a sync of its own
    await expect(journal.appendDurable([intent(3)])).rejects.toThrow(/EIO/);
    expect(() => journal.append(outcome(4))).toThrow(/EIO/);
    await journal.close();
  });
});

function countDurable(ops: Op[]): number {
  return ops.filter((o) => o.op === 'durable').length;
}
