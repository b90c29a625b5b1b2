// The journal writer's bytes under a hostile file system: write(2) that takes only part of what it is
// given, records larger than the writer's 64 KB buffer while a group's records are staged in it, and
// text that is multi-byte, U+2028 or a lone surrogate. What must hold: every line reads back
// checksummed, whole, and in call order (plain and durable appends interleaved with syncs).
import fc from 'fast-check';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkLine, type JournalRecord } from '../../src/journal/records.js';
import { FileJournal, type JournalFs } from '../../src/journal/writer.js';

/** A file that accepts at most the next of `cuts` bytes per write (then the rest, one cut at a time). */
class PartialFs implements JournalFs {
  chunks: Buffer[] = [];
  syncs: (() => void)[] = [];
  #cut = 0;
  constructor(readonly cuts: number[]) {}
  write(_fd: number, bytes: Buffer, offset: number, length: number): number {
    const n = Math.max(1, Math.min(length, this.cuts[this.#cut++ % this.cuts.length]!));
    this.chunks.push(Buffer.from(bytes.subarray(offset, offset + n)));
    return n;
  }
  datasync(): Promise<void> {
    return new Promise((resolve) => this.syncs.push(resolve));
  }
  fsync(): void {}
  close(): void {}
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const op = fc.record({
  op: fc.constantFrom('durable', 'append', 'sync', 'tick'),
  // 70,000 characters of a 3-byte character outgrow the 64 KB buffer with records staged before them.
  length: fc.constantFrom(0, 7, 30_000, 70_000),
  char: fc.constantFrom('a', 'ü', '\u2028', '🐦', '\ud800'),
});

describe('journal writer bytes (partial writes, records over the buffer size)', () => {
  it('writes every record whole, checksummed and in call order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        async (ops, cuts) => {
          const fs = new PartialFs(cuts);
          const journal = new FileJournal('r', '/fake/r.ndjson', 3, { path: join(tmpdir(), 'chirp-no-such-lock'), text: '' }, [], fs);
          const calls: number[] = [];
          const waits: Promise<void>[] = [];
          let b = 0;
          for (const step of ops) {
            const record: JournalRecord = {
              t: 'intent',
              b,
              keys: [step.char.repeat(step.length), `k${b}`],
              at: '2025-03-01T10:00:00.000Z',
            };
            if (step.op === 'durable') {
              calls.push(b++);
              waits.push(journal.appendDurable([record]));
            } else if (step.op === 'append') {
              calls.push(b++);
              journal.append(record);
            } else if (step.op === 'sync') fs.syncs.shift()?.();
            else await tick();
          }
          for (let i = 0; i < 100 && (fs.syncs.length > 0 || i < 3); i++) {
            fs.syncs.shift()?.();
            await tick();
          }
          await Promise.all(waits);
          await journal.close();
          const text = Buffer.concat(fs.chunks).toString('utf8');
          expect(text === '' || text.endsWith('\n')).toBe(true);
          const lines = text === '' ? [] : text.slice(0, -1).split('\n');
          const read = lines.map((line) => {
            const check = checkLine(line, true);
            expect(check).toMatchObject({ ok: true, checksummed: true });
            return check.ok ? (check.record as { b: number }).b : -1;
          });
          expect(read).toEqual(calls);
        },
      ),
      { numRuns: 150 },
    );
  });
});
