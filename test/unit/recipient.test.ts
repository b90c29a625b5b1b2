// Phone numbers: libphonenumber-js behind parseRecipient. Issue 11 cases 1 and 2, plus properties.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js/min';
import { maskText, normalizeRecipient, parseRecipient } from '../../src/util/recipient.js';

describe('phone numbers', () => {
  it('drops a national trunk prefix written in brackets instead of keeping its 0 (case 1)', () => {
    expect(normalizeRecipient('+31 (0)6 1234 5678')).toEqual({ kind: 'phone', value: '+31612345678' });
    expect(normalizeRecipient('+44 (0)20 7183 8750')).toEqual({ kind: 'phone', value: '+442071838750' });
  });

  it('refuses numbers too short or not valid for their country, saying why (case 1)', () => {
    const short = parseRecipient('+3161234');
    expect(short.ok).toBe(false);
    expect(!short.ok && short.reason).toMatch(/short|valid/);
    expect(parseRecipient('+31 612 345 678 9').ok).toBe(false);
    expect(parseRecipient('+999123456789').ok).toBe(false);
    expect(parseRecipient('+31612345678 ext. 12').ok).toBe(false);
    expect(parseRecipient('call +31612345678').ok).toBe(false);
    expect(parseRecipient('+1 800 FLOWERS').ok).toBe(false);
  });

  it('reads a national number with defaultCountry, and without it says to set it (case 2)', () => {
    expect(normalizeRecipient('0612345678', 'NL')).toEqual({ kind: 'phone', value: '+31612345678' });
    expect(normalizeRecipient('020 7183 8750', 'GB')).toEqual({ kind: 'phone', value: '+442071838750' });
    const none = parseRecipient('0612345678');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.hint).toMatch(/defaultCountry/);
    // A number with its own country code ignores the default.
    expect(normalizeRecipient('+44 20 7183 8750', 'NL')).toEqual({ kind: 'phone', value: '+442071838750' });
  });

  it('hostile spellings: invisible, fullwidth and bidi characters are refused, never read around (guard)', () => {
    for (const raw of [
      '\uff0b\uff13\uff11612345678', // fullwidth ＋３１
      '+31\u200b612345678', // a zero-width space
      '\u202a+31612345678\u202c', // a bidi embedding from a copy out of an RTL page
      '+31 6 12345678 / 06 12345679', // two numbers in one cell
      '+31612345678, +31612345679',
      '+0031612345678',
      '++31612345678',
    ])
      expect(parseRecipient(raw, 'NL').ok, JSON.stringify(raw)).toBe(false);
    // A national prefix only goes where the country has one: Italy keeps its 0 after +39.
    expect(normalizeRecipient('+39 (0)6 1234 5678')).toEqual({ kind: 'phone', value: '+390612345678' });
    // The country code written without + with the same defaultCountry is the same person.
    expect(normalizeRecipient('31612345678', 'NL')).toEqual({ kind: 'phone', value: '+31612345678' });
    expect(normalizeRecipient('+31\u00a06\u20111234\u30005678')).toEqual({ kind: 'phone', value: '+31612345678' });
  });

  it('keeps the 00 → + rule and lower-cases e-mail domains', () => {
    expect(normalizeRecipient('0031612345678')).toEqual({ kind: 'phone', value: '+31612345678' });
    expect(normalizeRecipient('Ada@Example.COM')).toEqual({ kind: 'email', value: 'Ada@example.com' });
  });

  it('masks every phone number and e-mail address in a text', () => {
    expect(maskText('row 3: recipient "+31 6 1234 5678" is not valid; also ada@example.com')).not.toMatch(/1234 5678|\d{7}|ada@/);
    expect(maskText('row 12345: 3 of 5')).toBe('row 12345: 3 of 5');
  });
});

// Valid numbers of several numbering plans, with their national trunk prefix (none for IT, US).
const VALID: { e164: string; country: string; national: string; trunk: string }[] = [
  { e164: '+31612345678', country: 'NL', national: '612345678', trunk: '0' },
  { e164: '+31201234567', country: 'NL', national: '201234567', trunk: '0' },
  { e164: '+442071838750', country: 'GB', national: '2071838750', trunk: '0' },
  { e164: '+447400123456', country: 'GB', national: '7400123456', trunk: '0' },
  { e164: '+4915123456789', country: 'DE', national: '15123456789', trunk: '0' },
  { e164: '+33612345678', country: 'FR', national: '612345678', trunk: '0' },
  { e164: '+12025550123', country: 'US', national: '2025550123', trunk: '' },
  { e164: '+5511987654321', country: 'BR', national: '11987654321', trunk: '0' },
  { e164: '+919876543210', country: 'IN', national: '9876543210', trunk: '0' },
];

/** The digits of `digits` with random separators between them. */
const spaced = (digits: string): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom('', '', '', ' ', '-', '.', '\u00a0', '/'), { minLength: digits.length, maxLength: digits.length })
    .map((seps) => [...digits].map((d, i) => (i === 0 ? d : `${seps[i]}${d}`)).join(''));

describe('phone normaliser properties (fast-check)', () => {
  it('any formatting of a valid number normalises to the same E.164', () => {
    const number = fc.constantFrom(...VALID);
    const written = number.chain((n) => {
      const cc = n.e164.slice(1, n.e164.length - n.national.length);
      return fc.tuple(
        fc.constant(n),
        fc.oneof(
          spaced(n.national).map((s) => `+${cc} ${s}`),
          spaced(n.national).map((s) => `00${cc} ${s}`),
          spaced(n.national).map((s) => (n.trunk ? `+${cc} (${n.trunk})${s}` : `+${cc} ${s}`)),
          spaced(n.national).map((s) => `${n.trunk}${s}`),
          spaced(n.national).map((s) => ` +${cc}${s} `),
        ),
      );
    });
    fc.assert(
      fc.property(written, ([n, text]) => {
        const international = text.trim().startsWith('+') || text.startsWith('00');
        expect(normalizeRecipient(text, international ? undefined : n.country)?.value).toBe(n.e164);
      }),
      { numRuns: 500 },
    );
  });

  it('nothing invalid comes out as valid: every accepted phone number is E.164 and valid', () => {
    const noise = fc.oneof(
      fc.stringMatching(/^\+?[0-9 ()\-.]{0,20}$/),
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...VALID).chain((n) => fc.integer({ min: 1, max: 4 }).map((cut) => n.e164.slice(0, -cut))),
      fc.constantFrom(...VALID).chain((n) => fc.stringMatching(/^[0-9]{1,4}$/).map((extra) => `${n.e164}${extra}`)),
    );
    const country = fc.constantFrom(undefined, 'NL', 'GB', 'US', 'DE');
    fc.assert(
      fc.property(noise, country, (text, c) => {
        const result = normalizeRecipient(text, c);
        if (result?.kind !== 'phone') return;
        expect(result.value).toMatch(/^\+[1-9]\d{6,14}$/);
        expect(isValidPhoneNumber(result.value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
