// The journal writer encodes each record straight into its buffer (writeRecordLine): the bytes must be
// exactly those of the checksummed line recordLine() gives, newline included, wherever in the buffer
// the line starts; and the reader must accept them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkLine, lineRoom, recordLine, writeRecordLine, type JournalRecord } from '../../src/journal/records.js';

const text = fc.string({ unit: 'binary', maxLength: 30 });
const intent = fc.record({
  t: fc.constant('intent' as const),
  b: fc.nat(),
  keys: fc.array(text, { maxLength: 12 }),
  at: text,
  refs: fc.array(text, { maxLength: 12 }),
  h: fc.array(text, { maxLength: 12 }),
});
const outcome = fc.record(
  {
    t: fc.constant('outcome' as const),
    b: fc.nat(),
    status: fc.constantFrom('accepted' as const, 'failed' as const, 'unknown' as const),
    at: text,
    http: fc.integer({ min: 100, max: 599 }),
    code: text,
    message: text,
  },
  { requiredKeys: ['t', 'b', 'status', 'at'] },
);

describe('journal lines encoded straight into a buffer', () => {
  it('are byte for byte recordLine() and a newline, at any offset, and read back as the record', () => {
    fc.assert(
      fc.property(fc.oneof(intent, outcome), fc.nat({ max: 40 }), (record: JournalRecord, offset) => {
        const json = JSON.stringify(record);
        const buf = Buffer.alloc(offset + lineRoom(json), 0xff);
        const end = writeRecordLine(json, buf, offset);
        const expected = Buffer.from(`${recordLine(record)}\n`, 'utf8');
        expect(buf.subarray(offset, end)).toEqual(expected);
        expect(end).toBeLessThanOrEqual(buf.length);
        const back = checkLine(buf.toString('utf8', offset, end - 1), true);
        expect(back).toMatchObject({ ok: true, checksummed: true });
        // JSON.stringify escapes lone surrogates, so the text survives UTF-8 whole.
        if (back.ok) expect(back.record).toEqual(JSON.parse(json));
      }),
      { numRuns: 500 },
    );
  });
});
