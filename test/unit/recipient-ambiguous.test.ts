// Numbers written without + or 00 whose digits are also a whole international number: `4915112345678`
// in a DE list is +49 4915112345678 by the country's lengths, and +49 151 12345678 written without its +.
// chirp refuses such a number (E_PHONE_AMBIGUOUS) when the full metadata calls both readings valid,
// and takes it when only the national reading is a real number. Checked against libphonenumber-js's
// public API with its "max" metadata, not against chirp's loader.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString as parseMin } from 'libphonenumber-js/min';
import { parseRecipient, suppressionKey } from '../../src/util/recipient.js';

const require = createRequire(import.meta.url);
const examples = require('libphonenumber-js/examples.mobile.json') as Record<string, string>;

/** The number `text` is by the full metadata, when valid; else null. */
function full(text: string): string | null {
  try {
    const parsed = parseMax(text);
    return parsed?.isValid() ? parsed.number : null;
  } catch {
    return null;
  }
}

const COUNTRIES = ['NL', 'DE', 'GB', 'US', 'IT', 'BR', 'FR', 'ES', 'IN', 'RU', 'CN', 'MX', 'TR', 'AR', 'BE', 'CH', 'AT', 'PL', 'AU', 'JP'];

describe('a number whose digits have two readings', () => {
  it.each([
    // The adversarial pass: foreign numbers written without +, read as numbers of the default country.
    ['4915112345678', 'DE', '+4915112345678'],
    ['447911123456', 'DE', '+447911123456'],
    ['31612345678', 'DE', '+31612345678'],
    ['32470123456', 'IT', '+32470123456'],
    ['33612345678', 'BR', '+33612345678'],
    ['49 151 1234 5678', 'DE', '+4915112345678'],
    // Both readings are real numbers: a Moscow number with its trunk 8, or a Vietnamese mobile.
    ['84951234567', 'RU', '+84951234567'],
    // A US number that is also an Egyptian one (+20 15 550123).
    ['2015550123', 'US', '+2015550123'],
    // An Italian mobile that is also a Belgian landline (+32 81 23 45 67).
    ['3281234567', 'IT', '+3281234567'],
  ])('%s in %s is refused as ambiguous, naming %s', (raw, country, other) => {
    const result = parseRecipient(raw, country);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('E_PHONE_AMBIGUOUS');
    expect(result.reason).toContain(other);
    expect(result.hint).toMatch(/\+/);
  });

  it.each([
    // Ordinary national numbers: a trunk 0 starts no calling code, so they have one reading.
    ['0612345678', 'NL', '+31612345678'],
    ['06 12345678', 'NL', '+31612345678'],
    ['015112345678', 'DE', '+4915112345678'],
    ['07911123456', 'GB', '+447911123456'],
    ['020 7183 8750', 'GB', '+442071838750'],
    ['0612345678', 'FR', '+33612345678'],
    // No trunk prefix, and the digits read internationally are no valid number.
    ['2025550123', 'US', '+12025550123'],
    ['3123456789', 'IT', '+393123456789'],
    ['3471234567', 'IT', '+393471234567'],
    ['89161234567', 'RU', '+79161234567'],
    // The country's own calling code without +: both readings are the same number.
    ['31612345678', 'NL', '+31612345678'],
    ['12015550123', 'US', '+12015550123'],
    ['393471234567', 'IT', '+393471234567'],
    // With + or 00 the digits have one reading, whatever the default country.
    ['+4915112345678', 'DE', '+4915112345678'],
    ['00447911123456', 'DE', '+447911123456'],
    ['+2015550123', 'US', '+2015550123'],
  ])('%s in %s is %s', (raw, country, expected) => {
    const result = parseRecipient(raw, country);
    if (expected === null) {
      expect(result.ok).toBe(false);
      return;
    }
    expect(result.ok ? result.recipient.value : result).toBe(expected);
  });

  it('a suppression list entry is read by the same rule (fail closed: the list stops the run)', () => {
    const entry = suppressionKey('4915112345678', 'DE');
    expect(entry.ok).toBe(false);
    expect(!entry.ok && entry.code).toBe('E_PHONE_AMBIGUOUS');
    expect(suppressionKey('+4915112345678', 'DE')).toEqual({ ok: true, recipient: { kind: 'phone', value: '+4915112345678' } });
    expect(suppressionKey('015112345678', 'DE')).toEqual({ ok: true, recipient: { kind: 'phone', value: '+4915112345678' } });
  });

  it('the same person written with and without + is never two people (the digits of a valid number)', () => {
    // Every country's example mobile, in E.164 and then without its +, in every default country.
    for (const [region, national] of Object.entries(examples)) {
      const parsed = parseMax(national, region as never);
      const e164 = parsed?.isValid() ? parsed.number : null;
      if (e164 === null) continue;
      for (const country of COUNTRIES) {
        const result = parseRecipient(e164.slice(1), country);
        if (result.ok) expect(result.recipient.value, `${e164.slice(1)} in ${country}`).toBe(e164);
      }
    }
  });
});

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** E.164 numbers valid by the full metadata: each country's example mobile with random last digits. */
const validInternational = fc
  .tuple(fc.constantFrom(...Object.entries(examples)), digits(4, 4), fc.integer({ min: 1, max: 4 }))
  .map(([[region, national], tail, n]) => {
    const code = parseMax(national, region as never)?.countryCallingCode;
    return code ? full(`+${code}${national.slice(0, -n)}${tail.slice(0, n)}`) : null;
  })
  .filter((n): n is string => n !== null);

describe('properties (fast-check)', () => {
  it('a number written without + is never read as one number while its digits are another valid number', () => {
    let ambiguous = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          digits(6, 15),
          validInternational.map((n) => n.slice(1)),
        ),
        fc.constantFrom(...COUNTRIES),
        (text, country) => {
          const result = parseRecipient(text, country);
          if (!result.ok) {
            if (result.code === 'E_PHONE_AMBIGUOUS') ambiguous++;
            return;
          }
          const international = full(`+${text}`);
          if (international !== null) expect(result.recipient.value, `${text} in ${country}`).toBe(international);
        },
      ),
      { numRuns: 20_000 },
    );
    // Not vacuous: the rule does refuse a good share of these.
    expect(ambiguous).toBeGreaterThan(500);
  });

  it('a valid international number written without + in any default country is that number or refused', () => {
    fc.assert(
      fc.property(validInternational, fc.constantFrom(...COUNTRIES), (e164, country) => {
        const result = parseRecipient(e164.slice(1), country);
        if (result.ok) expect(result.recipient.value).toBe(e164);
      }),
      { numRuns: 10_000 },
    );
  });

  it('what the full metadata calls valid, the min metadata does too (chirp asks the min one first)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validInternational,
          digits(6, 15).map((d) => `+${d}`),
        ),
        (text) => {
          const max = full(text);
          if (max === null) return;
          const min = parseMin(text);
          expect(min?.isValid() && min.number).toBe(max);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
