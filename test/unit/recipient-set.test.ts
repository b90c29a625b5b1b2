import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecipientSet } from '../../src/render/recipient-set.js';

describe('RecipientSet', () => {
  it('remembers the first row of every recipient across growth, and tells repeats apart', () => {
    const set = new RecipientSet();
    const n = 50_000;
    for (let i = 1; i <= n; i++) expect(set.firstRowOrAdd(`+3161${String(i).padStart(7, '0')}`, i)).toBe(0);
    expect(set.size).toBe(n);
    for (let i = 1; i <= n; i += 997) expect(set.firstRowOrAdd(`+3161${String(i).padStart(7, '0')}`, n + i)).toBe(i);
    expect(set.firstRowOrAdd('ada@example.com', n + 1)).toBe(0);
    expect(set.firstRowOrAdd('ada@example.com', n + 2)).toBe(n + 1);
  });

  // The set against the obvious model, a Map of recipient → first row: the same answer for every
  // row, through every growth (the old tables are released as it grows), whatever size it was told to expect.
  it('answers as a Map of first rows does, for any sequence of recipients', () => {
    const recipient = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map((i) => `+3161${String(i).padStart(7, '0')}`),
      fc.string({ unit: 'binary', maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.array(recipient, { maxLength: 600 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: -1, max: 20_000 }),
        (list, distinct, expected) => {
          const set = new RecipientSet(expected);
          const model = new Map<string, number>();
          let row = 0;
          const check = (who: string): void => {
            row++;
            const first = model.get(who);
            if (first === undefined) model.set(who, row);
            const got = set.firstRowOrAdd(who, row);
            if (got !== (first ?? 0)) expect({ who, row, got }).toEqual({ who, row, got: first ?? 0 });
          };
          // Enough distinct recipients first to grow the table (4,096 slots at the start) a few times.
          for (let i = 0; i < distinct; i++) check(`u${i}@example.com`);
          for (const who of list) check(who);
          for (const who of list) check(who);
          expect(set.size).toBe(model.size);
        },
      ),
      { numRuns: 30 },
    );
  });
});
