// Masking receivers in diagnostics (src/util/mask.ts): every phone number and e-mail address a text
// quotes is masked, whatever surrounds it; chirp's own numbers (2^53−1, date-times, the diagnostic's
// own row/line/column) print as written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskText } from '../../src/util/index.js';

const SEPARATORS = [' ', '-', '.', '/', '(', ')', '\u00a0'];

/** Every run of digits and phone separators in a text, separators dropped: what a reader can piece together. */
function digitRuns(text: string): string[] {
  return (text.match(/[\d\s().\-/\u00a0]+/g) ?? []).map((r) => r.replace(/\D/g, '')).filter(Boolean);
}

// A receiver as people write them: 7–15 digits, maybe a + or 00, maybe grouped with separators.
const phone = fc
  .tuple(
    fc.constantFrom('+', '00', '0', ''),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 15 }),
    fc.array(fc.tuple(fc.integer({ min: 1, max: 14 }), fc.constantFrom(...SEPARATORS)), { maxLength: 4 }),
  )
  .map(([prefix, digits, cuts]) => {
    const chars = digits.map(String);
    for (const [at, sep] of [...cuts].sort((a, b) => b[0] - a[0])) if (at < chars.length) chars.splice(at, 0, sep);
    return { text: `${prefix}${chars.join('')}`, digits: digits.join('') };
  });
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9._]{1,12}$/), fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('com', 'nl', 'co.uk'))
  .map(([local, domain, tld]) => ({ text: `${local}@${domain}.${tld}`, local }));

const dateTime = fc
  .tuple(
    fc.integer({ min: 2000, max: 2099 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.constantFrom('T', ' '),
    fc.constantFrom('', ':00', ':00Z', ':30+01:00', 'Z'),
  )
  .map(
    ([y, mo, d, h, mi, t, rest]) =>
      `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}${t}${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}${rest}`,
  );

const filler = fc.constantFrom('row', 'recipient', 'is not valid', ':', ' ', '"', "'", ', ', ' (', ') ', 'n:', 'x', '—', '=');

type Piece =
  | { kind: 'phone'; text: string; digits: string }
  | { kind: 'email'; text: string; local: string }
  | { kind: 'kept'; text: string }
  | { kind: 'text'; text: string };

const piece: fc.Arbitrary<Piece> = fc.oneof(
  phone.map((p) => ({ kind: 'phone' as const, ...p })),
  email.map((e) => ({ kind: 'email' as const, ...e })),
  dateTime.map((text) => ({ kind: 'kept' as const, text })),
  fc.constant({ kind: 'kept' as const, text: '2^53−1 (9007199254740991)' }),
  filler.map((text) => ({ kind: 'text' as const, text })),
  fc.integer({ min: 0, max: 999_999 }).map((n) => ({ kind: 'text' as const, text: String(n) })),
);

describe('maskText', () => {
  it('the send diagnostic quoting 2^53−1 keeps the constant; the data value stays masked', () => {
    const message = 'row 1: n: 9007199254740993 is beyond 2^53−1 (9007199254740991), the largest integer sent exactly; make it a string';
    expect(maskText(message, { keep: [1, 2, 2] })).toBe(
      'row 1: n: 900 7•••• 993 is beyond 2^53−1 (9007199254740991), the largest integer sent exactly; make it a string',
    );
  });

  it('date-times print as written; a date-time touching other digits is masked whole', () => {
    const message = 'row 4: sendAt: 2026-03-10 09:00 in Europe/Amsterdam (2026-03-10T08:00:00Z) has passed';
    expect(maskText(message)).toBe(message);
    expect(maskText('recipient +31 2026-03-10 09:00')).not.toContain('2026-03-10');
    expect(maskText('date "2026-02-30" does not exist')).not.toContain('2026-02-30'); // a date alone may be data: masked
  });

  it("keeps the diagnostic's own row, line and column, only as the whole run", () => {
    expect(maskText('row 1000000: recipient "+31612345678" is not valid', { keep: [1_000_000] })).toBe(
      'row 1000000: recipient "+31 6•••• 678" is not valid',
    );
    expect(maskText('row 1000000: 1000000 5', { keep: [1_000_000] })).toBe('row 1000000: 100 0•••• 005');
    expect(maskText('row 1000000: 1000000', { keep: [] })).toBe('row •••••••: •••••••');
  });

  it('a date-time is kept with a fraction of a second too short to hold a number; a longer fraction is masked', () => {
    expect(maskText('at 2026-03-10T08:00:00.123456Z')).toBe('at 2026-03-10T08:00:00.123456Z');
    // A receiver's digits written as the fraction of a date-time were printed whole.
    expect(digitRuns(maskText('sendAt "2026-03-10 08:00:00.31612345678" is not valid')).some((r) => r.includes('31612345678'))).toBe(false);
    expect(digitRuns(maskText('2026-03-10T08:00:00.612345678Z')).some((r) => r.includes('612345678'))).toBe(false);
  });

  it('an e-mail address is masked even around a date-time', () => {
    expect(maskText('ada2026-03-10T08:00@example.com')).not.toContain('ada2026');
  });

  it('random diagnostics: no receiver survives, whatever touches it', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1_000_000, max: 9_999_999 }), (pieces, row) => {
        const out = maskText(`row ${row}: ${pieces.map((p) => p.text).join('')}`, { keep: [row] });
        const runs = digitRuns(out);
        for (const p of pieces) {
          if (p.kind === 'phone') expect(runs.some((r) => r.includes(p.digits))).toBe(false);
          if (p.kind === 'email') expect(out).not.toContain(p.text);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('random diagnostics: the row and every date-time or constant standing on its own print as written', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1_000_000, max: 9_999_999 }), (pieces, row) => {
        const out = maskText(`row ${row}: ${pieces.map((p) => p.text).join(' ')}`, { keep: [row] });
        expect(out.startsWith(`row ${row}: `)).toBe(true);
        pieces.forEach((p, i) => {
          if (p.kind !== 'kept') return;
          // Kept unless a digit reaches it through separators (then the run is masked whole: fail closed).
          const before = `row ${row}: ${pieces
            .slice(0, i)
            .map((q) => `${q.text} `)
            .join('')}`;
          const after = pieces
            .slice(i + 1)
            .map((q) => ` ${q.text}`)
            .join('');
          const touches = /[\d+][\s().\-/\u00a0]*$/.test(before) || /^[\s().\-/\u00a0]*\d/.test(after);
          if (!touches) expect(out).toContain(p.text);
        });
      }),
      { numRuns: 3000 },
    );
  });
});
